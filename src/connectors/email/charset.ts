// Which charset a run of bytes is really in. Mail labels text wrongly or not at all: raw
// GB2312 in a Subject, a name labelled ISO-2022-JP that is Shift_JIS, UTF-8 labelled
// ISO-8859-1, an 8-bit body with no charset. The label is believed when the bytes fit it;
// otherwise the bytes decide.
import chardet from 'chardet';
import iconv from 'iconv-lite';

/** Labels read as the superset their senders really use (Outlook's GB2312 is GBK, Latin-1 is Windows-1252, …). */
const SUPERSET: Record<string, string> = {
  gb2312: 'gb18030', gbk: 'gb18030', cp936: 'gb18030', 'x-gbk': 'gb18030', euccn: 'gb18030',
  big5: 'big5hkscs', 'x-x-big5': 'big5hkscs',
  shiftjis: 'cp932', sjis: 'cp932', mskanji: 'cp932', xsjis: 'cp932', windows31j: 'cp932',
  euckr: 'cp949', ksc56011987: 'cp949', ksc5601: 'cp949', uhc: 'cp949',
  iso88591: 'windows-1252', latin1: 'windows-1252', usascii: 'windows-1252', ascii: 'windows-1252',
  iso88599: 'windows-1254', tis620: 'windows-874', iso885911: 'windows-874',
};

const key = (label: string) => label.toLowerCase().replace(/[^a-z0-9]/g, '');

/** The charset to decode a label with (its superset), or null when no decoder knows it. */
export function decoderFor(label: string): string | null {
  const k = key(label);
  if (k === 'utf8') return 'utf-8';
  if (/^iso2022jp/.test(k)) return 'iso-2022-jp';
  const name = SUPERSET[k] ?? label.toLowerCase();
  return iconv.encodingExists(name) ? name : null;
}

/** Whether the bytes are UTF-8; `partial`: they may end inside a character (a sample cut from longer text). */
export function isUtf8(bytes: Uint8Array, partial = false): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes, { stream: partial });
    return true;
  } catch {
    return false;
  }
}

const ESC = String.fromCharCode(0x1b);
const hasHighBytes = (bytes: Uint8Array) => bytes.some((b) => b >= 0x80);
/** ISO-2022-JP switches into JIS with ESC $ B / ESC $ @ and stays 7-bit. */
function isIso2022Jp(bytes: Uint8Array): boolean {
  const text = Buffer.from(bytes).toString('latin1');
  return !hasHighBytes(bytes) && (text.includes(`${ESC}$B`) || text.includes(`${ESC}$@`));
}

/** Bytes a charset cannot have produced: decode errors, C1 controls, and half-width katakana (never seen in real mail text). */
const IMPLAUSIBLE = /[\uFFFD\u0080-\u009F\uFF61-\uFF9F\uE000-\uF8FF]/;

/** Whether these bytes decode under this charset without a sign that the label is wrong. */
export function fits(bytes: Uint8Array, charset: string, partial = false): boolean {
  const c = decoderFor(charset);
  if (!c) return false;
  if (c === 'utf-8') return isUtf8(bytes, partial);
  if (c === 'iso-2022-jp') return !hasHighBytes(bytes);
  // A single-byte label fits anything; UTF-8 bytes under it are the commoner mistake.
  if (isSingleByte(c) && hasHighBytes(bytes) && isUtf8(bytes)) return false;
  const text = iconv.decode(Buffer.from(bytes), c);
  return !IMPLAUSIBLE.test(partial ? text.replace(/\uFFFD$/, '') : text);
}

const isSingleByte = (c: string) => /^(windows-12|iso-8859|koi8|cp125|windows-874|mac)/.test(c);

const SAMPLE_BYTES = 16_384;
const CJK = ['gb18030', 'big5hkscs', 'cp932', 'euc-jp', 'cp949'] as const;
const han = new Intl.Segmenter('zh', { granularity: 'word' });
const ja = new Intl.Segmenter('ja', { granularity: 'word' });
const IDEOGRAPHIC = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u;

/**
 * How much of a decoding reads as words: the share of its ideographs and kana that ICU's
 * dictionary segmenter joins into words of two or more characters. The right decoding of
 * Chinese or Japanese makes words ("绩效 管理"); a wrong one makes a string of unrelated rare
 * characters, each a word of its own.
 */
function wordShare(text: string, segmenter: Intl.Segmenter): number {
  let chars = 0;
  let inWords = 0;
  for (const s of segmenter.segment(text)) {
    const n = [...s.segment].filter((c) => IDEOGRAPHIC.test(c)).length;
    chars += n;
    if (s.isWordLike && [...s.segment].length > 1) inWords += n;
  }
  return chars ? inWords / chars : 0;
}

/** Korean text is Hangul; the 2,350 syllables of KS X 1001 are the ones people write. */
function hangulShare(text: string, bytes: Uint8Array): number {
  const letters = [...text].filter((c) => /[\p{L}]/u.test(c));
  if (!letters.length || letters.some((c) => !/\p{Script=Hangul}/u.test(c))) return 0;
  let common = 0;
  let pairs = 0;
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i]! < 0x80) continue;
    pairs++;
    if (bytes[i]! >= 0xb0 && bytes[i]! <= 0xc8 && bytes[i + 1]! >= 0xa1 && bytes[i + 1]! <= 0xfe) common++;
    i++;
  }
  return pairs ? common / pairs : 0;
}

function cjkScore(bytes: Uint8Array, charset: (typeof CJK)[number]): number {
  // A sample may end inside a character: its last one is not held against the charset.
  const text = iconv.decode(Buffer.from(bytes), charset).replace(/\uFFFD$/, '');
  if (IMPLAUSIBLE.test(text)) return 0;
  if (charset === 'cp949') return hangulShare(text, bytes);
  return wordShare(text, charset === 'cp932' || charset === 'euc-jp' ? ja : han);
}

/**
 * The charset of these bytes: UTF-8 when they are valid UTF-8, ISO-2022-JP by its escapes,
 * else the first label (hints, most specific first) they fit, else the East Asian charset
 * whose decoding reads as words, else a detector's best single-byte guess.
 */
export function guessCharset(all: Uint8Array, hints: readonly string[] = []): string {
  // A long body is judged by its start: the same answer, at a bounded cost.
  const bytes = all.subarray(0, SAMPLE_BYTES);
  const partial = bytes.length < all.length;
  if (!hasHighBytes(bytes)) return isIso2022Jp(bytes) ? 'iso-2022-jp' : 'utf-8';
  if (isUtf8(bytes, partial)) return 'utf-8';
  for (const h of hints) if (!isSingleByte(decoderFor(h) ?? '') && fits(bytes, h, partial)) return decoderFor(h)!;
  let best: { charset: string; score: number } = { charset: '', score: 0.5 };
  for (const c of CJK) {
    const score = cjkScore(bytes, c);
    if (score > best.score) best = { charset: c, score };
  }
  if (best.charset) return best.charset;
  for (const h of hints) if (fits(bytes, h, partial)) return decoderFor(h)!;
  const detected = chardet.detect(bytes);
  const c = detected ? decoderFor(detected) : null;
  return c && isSingleByte(c) ? c : 'windows-1252';
}

/** The bytes as text in that charset (ISO-2022-JP and anything unknown are left to the caller). */
export function decodeAs(bytes: Uint8Array, charset: string): string {
  const c = decoderFor(charset) ?? 'utf-8';
  return c === 'utf-8' || c === 'iso-2022-jp' ? Buffer.from(bytes).toString('utf8') : iconv.decode(Buffer.from(bytes), c);
}
