// Mail as real clients write it (test/fixtures/email/clients, see its README): inline images,
// legacy and mislabelled charsets, HTML-only bodies, delivery status notifications, malformed
// MIME and odd senders, each read by `readMail` exactly as the IMAP reader calls it.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readMail } from '../src/connectors/email/parse';

const DIR = path.resolve(import.meta.dirname, 'fixtures/email/clients');

interface Expected {
  file: string;
  from?: string;
  name?: string;
  subject?: string;
  /** How the text starts (the whole text when textIs). */
  text?: string;
  textIs?: boolean;
  /** File names of images shown in place ('*': an image without a name). */
  inline?: string[];
  /** File names in the message's file list. */
  attached?: string[];
  automated?: boolean;
  /** A recovered malformed mail carries a warning. */
  warning?: boolean;
  report?: { status: string; originalMessageIds: string[] };
}

const corpus = JSON.parse(fs.readFileSync(path.join(DIR, 'expected.json'), 'utf8')) as Expected[];
const read = (file: string, maxAttachmentBytes = 10_000_000) => readMail(fs.readFileSync(path.join(DIR, file)), { address: 'support@acme.test', maxAttachmentBytes });

describe('mail from every client', () => {
  it('has a corpus of at least 40 mails', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(40);
    expect(fs.readdirSync(DIR).filter((f) => f.endsWith('.eml')).sort()).toEqual(corpus.map((c) => c.file).sort());
  });

  it.each(corpus.map((c) => [c.file, c] as const))('%s', async (_file, x) => {
    const r = await read(x.file);
    if (x.report) {
      expect(r.kind).toBe('delivery-report');
      if (r.kind !== 'delivery-report') return;
      expect(r.report.status).toBe(x.report.status);
      expect(r.report.originalMessageIds).toEqual(x.report.originalMessageIds);
      expect(r.report.reason).toMatch(/\S/);
      return;
    }
    expect(r.kind).toBe('message');
    if (r.kind !== 'message') return;
    const m = r.message;
    expect(m.from.identities[0]!.address).toBe(x.from);
    expect(m.from.name).toBe(x.name);
    expect(m.subject).toBe(x.subject);
    if (x.textIs) expect(m.text).toBe(x.text);
    else expect(m.text.replace(/\s+/g, ' ').startsWith(x.text!)).toBe(true);
    expect(m.text).not.toMatch(/\uFFFD/);
    expect(m.text).not.toContain(String.fromCharCode(0x1b)); // ISO-2022-JP escapes left undecoded
    expect(m.automated).toBe(!!x.automated);
    // Shown in place: a data: image in the HTML for each, none left pointing at cid:.
    const shown = r.inlineImages.map((i) => i.fileName);
    if (x.inline!.includes('*')) expect(shown).toHaveLength(x.inline!.length);
    else expect(shown.sort()).toEqual([...x.inline!].sort());
    if (shown.length) expect(m.html!.match(/src="data:image\//g)).toHaveLength(shown.length);
    expect(m.html ?? '').not.toMatch(/src=["']?cid:/i);
    expect(r.attachments.map((a) => a.fileName).sort()).toEqual([...x.attached!].sort());
    const warnings = (m.metadata?.email as { warnings?: string[] }).warnings ?? [];
    expect(warnings.length > 0).toBe(!!x.warning);
  });

  it('lists an inline image over the size budget as a file instead of embedding it', async () => {
    const r = await readMail(fs.readFileSync(path.join(DIR, '01-apple-mail-two-inline-images.eml')), { address: 'support@acme.test', maxAttachmentBytes: 10_000_000, maxInlineImageBytes: 10 });
    if (r.kind !== 'message') throw new Error(r.kind);
    expect(r.inlineImages).toEqual([]);
    expect(r.attachments.map((a) => a.fileName).sort()).toEqual(['IMG_0001.png', 'IMG_0002.png']);
    expect(r.message.html).not.toMatch(/cid:/i);
    expect(r.message.html).toMatch(/IMG_0001\.png/);
  });
});
