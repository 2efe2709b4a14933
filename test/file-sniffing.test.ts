// Files keep the type their bytes show, not the one a sender claims: a real PNG stays a PNG, an
// HTML page sent as "image/png" becomes text (and is neither shown in place nor served as an
// image), a program sent as a PDF is named a program. Through a real mail too.
import { describe, expect, it } from 'vitest';
import { sniffContentType } from '../src/platform/files/sniff';
import { readMail } from '../src/connectors/email/parse';

const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000' + '1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082', 'hex');
const EXE = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(58), Buffer.from([0x80, 0, 0, 0]), Buffer.alloc(64), Buffer.from('PE\0\0'), Buffer.alloc(200)]);
const HTML = Buffer.from('<html><body><script>alert(1)</script></body></html>');

describe('sniffing a file\u2019s type', () => {
  it.each([
    ['a real PNG', PNG, 'image/png', 'image/png', false],
    ['a PNG sent as octet-stream', PNG, 'application/octet-stream', 'image/png', false],
    ['an HTML page sent as a PNG', HTML, 'image/png', 'text/plain', true],
    ['a program sent as a PDF', EXE, 'application/pdf', 'application/x-msdownload', true],
    ['a CSV', Buffer.from('a,b\n1,2\n'), 'text/csv; charset=utf-8', 'text/csv', false],
    ['unknown bytes sent as a JPEG', Buffer.from([1, 2, 3, 0, 4, 5, 6, 0, 7]), 'image/jpeg', 'application/octet-stream', true],
    ['unknown bytes with no claim', Buffer.from([1, 2, 3, 0, 4, 5, 6, 0, 7]), 'application/x-custom', 'application/x-custom', false],
  ])('%s', async (_what, bytes, declared, expected, mismatch) => {
    expect(await sniffContentType(bytes, declared)).toEqual({ contentType: expected, mismatch });
  });

  it('does not show an HTML page dressed as an inline image in place, and lists it as text', async () => {
    const boundary = 'b1';
    const raw = [
      'From: Mallory <m@example.com>',
      'To: support@acme.test',
      'Subject: look',
      'Message-ID: <sniff-1@example.com>',
      'MIME-Version: 1.0',
      `Content-Type: multipart/related; boundary="${boundary}"`,
      '',
      `--${boundary}`,
      'Content-Type: text/html; charset=utf-8',
      '',
      '<p>Hi <img src="cid:pic@x"> and <img src="cid:real@x"></p>',
      `--${boundary}`,
      'Content-Type: image/png; name="pic.png"',
      'Content-ID: <pic@x>',
      'Content-Transfer-Encoding: base64',
      '',
      HTML.toString('base64'),
      `--${boundary}`,
      'Content-Type: image/png; name="real.png"',
      'Content-ID: <real@x>',
      'Content-Transfer-Encoding: base64',
      '',
      PNG.toString('base64'),
      `--${boundary}--`,
      '',
    ].join('\r\n');
    const read = await readMail(Buffer.from(raw), { address: 'support@acme.test', maxAttachmentBytes: 1_000_000 });
    if (read.kind !== 'message') throw new Error('not a message');
    expect(read.message.html).toContain('data:image/png;base64,');
    expect(read.message.html).not.toContain(HTML.toString('base64'));
    expect(read.attachments.map((a) => [a.fileName, a.contentType])).toEqual([['pic.png', 'text/plain']]);
  });
});
