// Mail as it arrives, made readable before it is parsed: the raw bytes are walked part by part
// and only headers are rewritten, never a body byte. What is repaired:
// - 8-bit header text in a legacy charset (a raw GB2312 Subject, a Big5 file name) → UTF-8;
// - encoded words whose label does not fit their bytes (a "ISO-2022-JP" name in Shift_JIS);
// - an encoded word that hides the address itself (From: =?utf-8?B?TmFtZSA8YUBiLmM+?=);
// - text parts whose charset is missing or wrong → the charset their bytes are in;
// - a multipart whose boundary parameter sits on an unfolded line, names a boundary that never
//   occurs, or is missing: the body's own boundary is used, or the body is read as plain text.
// Structural repairs are reported as warnings, kept on the message for the agent.
import { decodeAs, fits, guessCharset } from './charset';

export interface RepairedMail {
  raw: Buffer;
  warnings: string[];
}

interface Header {
  name: string;
  value: string;
  /** Line indexes the header spans (the first holds its name). */
  lines: number[];
}

const HEADER_START = /^[!-9;-~]+:/;
const PARAMETER_LINE = /^[A-Za-z0-9*_.-]+\s*=/;
const ENCODED_WORD = /=\?([^?\s]+)\?([bBqQ])\?([^?\s]*)\?=/g;
const ADDRESS_HEADERS = /^(from|to|cc|bcc|reply-to|sender)$/i;
const PARAMETER_HEADERS = /^content-(type|disposition)$/i;

const bytesOf = (latin1: string) => Buffer.from(latin1, 'latin1');
const latin1Of = (text: string) => Buffer.from(text, 'utf8').toString('latin1');
const eol = (line: string) => /\r?\n$/.exec(line)?.[0] ?? '\r\n';
const isBlank = (line: string) => /^\r?\n?$/.test(line);

function param(value: string, name: string): string | undefined {
  const m = new RegExp(`(?:^|;)\\s*${name}\\s*=\\s*("([^"]*)"|[^;\\s]+)`, 'i').exec(value);
  return m ? (m[2] ?? m[1]) : undefined;
}

function withParam(value: string, name: string, v: string): string {
  const re = new RegExp(`((?:^|;)\\s*${name}\\s*=\\s*)("[^"]*"|[^;\\s]+)`, 'i');
  return re.test(value) ? value.replace(re, `$1"${v}"`) : `${value.trimEnd()}; ${name}="${v}"`;
}

function decodeWord(encoding: string, data: string): Buffer {
  if (encoding.toLowerCase() === 'b') return Buffer.from(data, 'base64');
  return bytesOf(data.replace(/_/g, ' ').replace(/=([0-9A-Fa-f]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16))));
}

function transferDecoded(body: string, cte: string | undefined): Buffer {
  const e = (cte ?? '').trim().toLowerCase();
  if (e === 'base64') return Buffer.from(body.replace(/[^A-Za-z0-9+/=]/g, ''), 'base64');
  if (e === 'quoted-printable') return bytesOf(body.replace(/=\r?\n/g, '').replace(/=([0-9A-Fa-f]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16))));
  return bytesOf(body);
}

class Walker {
  readonly lines: string[];
  readonly warnings: string[] = [];
  /** Charsets declared anywhere in the mail, in order: the likeliest charset of unlabelled header bytes. */
  private readonly declared: string[];

  constructor(raw: Buffer) {
    const text = raw.toString('latin1');
    this.lines = text.split(/(?<=\n)/);
    this.declared = [...new Set([...text.matchAll(/charset\s*=\s*"?([\w.:-]+)/gi)].map((m) => m[1]!.toLowerCase()))].filter((c) => !/^(us-ascii|utf-?8)$/.test(c));
  }

  entity(start: number, end: number, depth: number): void {
    if (depth > 20) return;
    let i = start;
    const headerLines: number[] = [];
    while (i < end && !isBlank(this.lines[i]!)) {
      const line = this.lines[i]!;
      if (!/^[ \t]/.test(line) && !HEADER_START.test(line)) {
        if (!headerLines.length || !PARAMETER_LINE.test(line)) break;
        // A client split "Content-Type: multipart/alternative;" from its "boundary=…" without the leading space that folds it.
        this.lines[i] = ` ${line}`;
        this.warnings.push(`the header parameter “${line.trim().slice(0, 80)}” was on a line of its own; read as part of the header above it`);
      }
      headerLines.push(i);
      i++;
    }
    const bodyStart = i < end && isBlank(this.lines[i]!) ? i + 1 : i;
    const headers = this.headers(headerLines);
    const contentType = headers.find((h) => /^content-type$/i.test(h.name));
    const type = (contentType?.value.split(';')[0] ?? 'text/plain').trim().toLowerCase();
    const ownCharset = contentType ? param(contentType.value, 'charset') : undefined;
    for (const h of headers) this.header(h, ownCharset);

    if (type.startsWith('multipart/')) return this.multipart(contentType!, bodyStart, end, depth);
    const disposition = headers.find((h) => /^content-disposition$/i.test(h.name))?.value ?? '';
    if ((type.startsWith('text/') || !contentType) && !/^\s*attachment/i.test(disposition)) {
      const cte = headers.find((h) => /^content-transfer-encoding$/i.test(h.name))?.value;
      this.textCharset(contentType, headerLines, this.lines.slice(bodyStart, end).join(''), cte, ownCharset);
    }
  }

  private headers(lineIndexes: number[]): Header[] {
    const out: Header[] = [];
    for (const i of lineIndexes) {
      const line = this.lines[i]!;
      if (/^[ \t]/.test(line) && out.length) {
        out.at(-1)!.value += line.replace(/\r?\n$/, '');
        out.at(-1)!.lines.push(i);
      } else {
        const colon = line.indexOf(':');
        out.push({ name: line.slice(0, colon).trim(), value: line.slice(colon + 1).replace(/\r?\n$/, ''), lines: [i] });
      }
    }
    return out;
  }

  /** Rewrites one header's lines as one line with this value (the other lines emptied). */
  private rewrite(h: Header, value: string): void {
    const end = eol(this.lines[h.lines.at(-1)!]!);
    h.lines.forEach((i, n) => (this.lines[i] = n === 0 ? `${h.name}: ${value.trim()}${end}` : ''));
    h.value = ` ${value.trim()}`;
  }

  private header(h: Header, ownCharset: string | undefined): void {
    let value = h.value;
    const hints = [...(ownCharset ? [ownCharset] : []), ...this.declared];
    // Raw 8-bit bytes: read in the charset they are in, written as UTF-8 (or, inside parameters, as UTF-8 encoded words).
    const raw = bytesOf(value);
    if (raw.some((b) => b >= 0x80) && !fits(raw, 'utf-8')) {
      const charset = guessCharset(raw, hints);
      const text = decodeAs(raw, charset);
      value = PARAMETER_HEADERS.test(h.name)
        ? text.replace(/"([^"]*[^\p{ASCII}][^"]*)"/gu, (_, v: string) => `"=?UTF-8?B?${Buffer.from(v, 'utf8').toString('base64')}?="`)
        : latin1Of(text);
    }
    // Encoded words whose bytes do not fit their label are relabelled; one that hides an address is decoded in place.
    value = value.replace(ENCODED_WORD, (word, charset: string, encoding: string, data: string) => {
      const bytes = decodeWord(encoding, data);
      if (ADDRESS_HEADERS.test(h.name)) {
        const text = decodeAs(bytes, fits(bytes, charset) ? charset : guessCharset(bytes, [charset, ...hints]));
        if (/@/.test(text) && !/[",;]/.test(text.replace(/<[^>]*>/, ''))) return latin1Of(text);
      }
      if (fits(bytes, charset)) return word;
      const actual = guessCharset(bytes, hints);
      return `=?UTF-8?B?${Buffer.from(decodeAs(bytes, actual), 'utf8').toString('base64')}?=`;
    });
    if (value !== h.value) this.rewrite(h, value);
  }

  private textCharset(contentType: Header | undefined, headerLines: number[], body: string, cte: string | undefined, declared: string | undefined): void {
    const bytes = transferDecoded(body, cte);
    if (declared && fits(bytes, declared)) return;
    const actual = guessCharset(bytes, declared ? [declared] : []);
    if (!declared && actual === 'utf-8') return;
    if (contentType) this.rewrite(contentType, withParam(contentType.value, 'charset', actual));
    else {
      // No Content-Type at all: one is added before the blank line, so the body is read in its charset.
      const at = headerLines.at(-1);
      if (at === undefined) return;
      this.lines[at] = `${this.lines[at]}Content-Type: text/plain; charset="${actual}"${eol(this.lines[at]!)}`;
    }
  }

  private multipart(contentType: Header, start: number, end: number, depth: number): void {
    let boundary = param(contentType.value, 'boundary');
    const delimiters = (b: string) => {
      const found: number[] = [];
      for (let i = start; i < end; i++) if (this.lines[i]!.startsWith(`--${b}`) && /^(--)?\s*$/.test(this.lines[i]!.slice(b.length + 2))) found.push(i);
      return found;
    };
    let at = boundary ? delimiters(boundary) : [];
    if (!at.length) {
      // The body's own boundary: the first "--x" line that recurs or closes.
      const candidate = this.lines.slice(start, end).map((l) => /^--(\S{1,200}?)(--)?\s*$/.exec(l)?.[1]).find((b) => b && delimiters(b).length);
      if (candidate) {
        this.warnings.push(boundary ? `the declared MIME boundary “${boundary}” never occurs; the body's own boundary “${candidate}” was used` : `the multipart has no boundary parameter; the body's own boundary “${candidate}” was used`);
        boundary = candidate;
        this.rewrite(contentType, withParam(contentType.value, 'boundary', candidate));
        at = delimiters(candidate);
      } else {
        this.warnings.push(boundary ? `the declared MIME boundary “${boundary}” never occurs; the body was read as plain text` : 'the multipart has no boundary; the body was read as plain text');
        this.rewrite(contentType, 'text/plain');
        this.textCharset(contentType, [], this.lines.slice(start, end).join(''), undefined, undefined);
        return;
      }
    }
    for (let n = 0; n < at.length; n++) {
      if (this.lines[at[n]!]!.startsWith(`--${boundary}--`)) break;
      this.entity(at[n]! + 1, at[n + 1] ?? end, depth + 1);
    }
  }
}

/** The mail with its headers made readable; the same bytes when nothing needed repair. */
export function repairMime(raw: Buffer): RepairedMail {
  const w = new Walker(raw);
  w.entity(0, w.lines.length, 0);
  const out = bytesOf(w.lines.join(''));
  return { raw: out.equals(raw) ? raw : out, warnings: w.warnings };
}
