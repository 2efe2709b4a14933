// The email channel against a real Dovecot and a real SMTP receiver: backfill, IDLE push,
// UIDVALIDITY resync, reconnect after a server restart, poison mail, deleted conversations,
// safe HTML and attachments, send failures, inbox set-up and its connection test.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, request } from './helpers/http';
import { createAgent } from './helpers/fixtures';
import { emailWorld, eventually, type EmailWorld } from './helpers/email-app';
import { rawMail } from './helpers/mails';

let w: EmailWorld;
let support: string;
const url = (p: string) => `${w.t.url}/api/v1${p}`;
const byExternalId = (externalId: string) => w.t.prisma.message.findFirst({ where: { externalId } });
const stored = (externalId: string, what = externalId) => eventually(() => byExternalId(externalId), `${what} stored`);

beforeAll(async () => {
  w = await emailWorld({ users: ['support@acme.test', 'backfill@acme.test', 'folders@acme.test'] });
  support = await w.addInbox('Support', 'support@acme.test', { maxAttachmentBytes: 2_000 });
});
afterAll(async () => w?.close());

describe('reading mail over IMAP', () => {
  it('backfills the last N days on first start, then takes new mail pushed by IDLE', async () => {
    const old = new Date(Date.now() - 60 * 86_400_000);
    await w.imap.session('backfill@acme.test', async (c) => {
      await c.append('INBOX', Buffer.from(rawMail({ from: 'old@customer.test', messageId: '<bf-old@x>', date: old })), [], old);
      await c.append('INBOX', Buffer.from(rawMail({ from: 'recent1@customer.test', messageId: '<bf-1@x>' })));
      await c.append('INBOX', Buffer.from(rawMail({ from: 'recent2@customer.test', messageId: '<bf-2@x>' })));
    });
    const inbox = await w.addInbox('Backfill', 'backfill@acme.test', { backfillDays: 14 });
    await stored('<bf-1@x>');
    await stored('<bf-2@x>');
    // Pushed, not found by a later poll: IDLE tells the reader at once.
    await w.imap.deliver('backfill@acme.test', rawMail({ from: 'live@customer.test', messageId: '<bf-live@x>', text: 'Is anyone there?' }));
    const live = await stored('<bf-live@x>');
    expect(live.inboxId).toBe(inbox);
    expect(await byExternalId('<bf-old@x>')).toBeNull();
    const cursor = await w.t.prisma.channelCursor.findUnique({ where: { inboxId_key: { inboxId: inbox, key: 'imap:INBOX' } } });
    expect(cursor!.value).toMatchObject({ lastUid: 4 });
  });

  it('reads the folder again when its UIDVALIDITY changes, without storing anything twice', async () => {
    await w.imap.session('folders@acme.test', (c) => c.mailboxCreate('Support'));
    await w.imap.deliver('folders@acme.test', rawMail({ from: 'uv@customer.test', messageId: '<uv-1@x>' }), 'Support');
    const inbox = await w.addInbox('Folders', 'folders@acme.test', { imap: { host: w.imap.host, port: w.imap.port, security: 'none', mailboxes: ['Support'] } });
    await stored('<uv-1@x>');
    const before = await w.t.prisma.channelCursor.findUnique({ where: { inboxId_key: { inboxId: inbox, key: 'imap:Support' } } });
    // The server renumbers the folder (a restore, a migration): same mail, new UIDs.
    await w.imap.session('folders@acme.test', async (c) => {
      await c.mailboxDelete('Support');
      await new Promise((r) => setTimeout(r, 1_100)); // UIDVALIDITY is a timestamp in seconds
      await c.mailboxCreate('Support');
      await c.append('Support', Buffer.from(rawMail({ from: 'uv@customer.test', messageId: '<uv-1@x>' }).replace(/\r?\n/g, '\r\n')));
      await c.append('Support', Buffer.from(rawMail({ from: 'uv2@customer.test', messageId: '<uv-2@x>' }).replace(/\r?\n/g, '\r\n')));
    });
    // Reconnect so the reader opens the renumbered folder.
    await request(url(`/inboxes/${inbox}`), { method: 'PATCH', token: w.admin, body: { name: 'Folders (renumbered)' } });
    await w.t.app.worker!.channels.rescan();
    await stored('<uv-2@x>');
    const after = await eventually(async () => {
      const c = await w.t.prisma.channelCursor.findUnique({ where: { inboxId_key: { inboxId: inbox, key: 'imap:Support' } } });
      return (c?.value as { uidValidity: string }).uidValidity !== (before!.value as { uidValidity: string }).uidValidity ? c : null;
    }, 'cursor moved to the new UIDVALIDITY');
    expect(after.value).toMatchObject({ lastUid: 2 });
    expect(await w.t.prisma.message.count({ where: { externalId: '<uv-1@x>' } })).toBe(1);
  });

  it('reconnects after the IMAP server restarts and reads what arrived', async () => {
    await w.imap.halt();
    await w.imap.start();
    await w.imap.deliver('support@acme.test', rawMail({ from: 'after-restart@customer.test', messageId: '<restart-1@x>' }));
    const m = await stored('<restart-1@x>', 'mail after the restart');
    expect(m.inboxId).toBe(support);
  });

  it('records a mail that cannot be stored once, shows it to admins, and does not fetch it again', async () => {
    await w.imap.deliver('support@acme.test', 'To: support@acme.test\r\nSubject: no sender\r\nMessage-ID: <poison-1@x>\r\n\r\nwho am I?\r\n');
    await w.imap.deliver('support@acme.test', rawMail({ from: 'huge@customer.test', messageId: '<poison-2@x>', text: 'x'.repeat(250_000) }));
    await w.imap.deliver('support@acme.test', rawMail({ from: 'fine@customer.test', messageId: '<after-poison@x>' }));
    await stored('<after-poison@x>');
    const letters = await eventually(async () => {
      const r = await request(url(`/inboxes/${support}/dead-letters`), { token: w.admin });
      return r.body.data?.length === 2 ? r.body.data : null;
    }, 'two dead letters');
    expect(letters.map((l: { error: string }) => l.error).join('\n')).toMatch(/no sender address/);
    expect(letters.map((l: { error: string }) => l.error).join('\n')).toMatch(/could not be stored/);
    expect(letters[0].key).toMatch(/^INBOX\/\d+\/\d+$/);
    // A restart of the reader does not read them again.
    await request(url(`/inboxes/${support}`), { method: 'PATCH', token: w.admin, body: { name: 'Support' } });
    await w.t.app.worker!.channels.rescan();
    await w.imap.deliver('support@acme.test', rawMail({ from: 'fine@customer.test', messageId: '<after-poison-2@x>' }));
    await stored('<after-poison-2@x>');
    expect(await w.t.prisma.channelDeadLetter.count({ where: { inboxId: support } })).toBe(2);
    const agent = await createAgent(w.t.prisma);
    const agentView = await request(url(`/inboxes/${support}/dead-letters`), { token: await login(w.t.url, agent.email) });
    expect(agentView.status).toBe(403);
  });

  it('a conversation deleted in the product does not come back from the mailbox', async () => {
    await w.imap.deliver('support@acme.test', rawMail({ from: 'spam@customer.test', messageId: '<deleted-1@x>', text: 'Buy cheap watches' }));
    const m = await stored('<deleted-1@x>');
    const del = await request(url(`/conversations/${m.conversationId}`), { method: 'DELETE', token: w.admin });
    expect(del.status).toBe(204);
    // Forget how far the reader got: it reads the whole window again.
    await w.t.prisma.channelCursor.deleteMany({ where: { inboxId: support } });
    await request(url(`/inboxes/${support}`), { method: 'PATCH', token: w.admin, body: { name: 'Support' } });
    await w.t.app.worker!.channels.rescan();
    await eventually(() => w.t.prisma.channelCursor.findFirst({ where: { inboxId: support } }), 'backfill again');
    expect(await byExternalId('<deleted-1@x>')).toBeNull();
    expect(await w.t.prisma.conversation.count({ where: { id: m.conversationId } })).toBe(0);
    expect(await w.t.prisma.message.count({ where: { externalId: '<bf-1@x>' } })).toBe(1);
  });
});

describe('what agents see of a mail', () => {
  it('sanitises HTML, blocks remote images, keeps attachments under the limit for download', async () => {
    const small = Buffer.from('order 4411, receipt').toString('base64');
    const big = Buffer.alloc(5_000, 'a').toString('base64');
    const raw = [
      'From: Html Person <html@customer.test>',
      'To: support@acme.test',
      'Subject: Photo of the damage',
      `Date: ${new Date().toUTCString()}`,
      'Message-ID: <html-1@x>',
      'MIME-Version: 1.0',
      'Content-Type: multipart/mixed; boundary="MIX"',
      '',
      '--MIX',
      'Content-Type: multipart/alternative; boundary="ALT"',
      '',
      '--ALT',
      'Content-Type: text/plain; charset=utf-8',
      '',
      'The lid is cracked, see the photo.',
      '--ALT',
      'Content-Type: text/html; charset=utf-8',
      '',
      '<p onclick="steal()">The lid is <b>cracked</b>.</p><script>alert(1)</script><img src="https://tracker.example/pixel.gif"><a href="javascript:alert(1)">x</a>',
      '--ALT--',
      '--MIX',
      'Content-Type: text/plain; name="receipt.txt"',
      'Content-Disposition: attachment; filename="receipt.txt"',
      'Content-Transfer-Encoding: base64',
      '',
      small,
      '--MIX',
      'Content-Type: application/octet-stream; name="video.bin"',
      'Content-Disposition: attachment; filename="video.bin"',
      'Content-Transfer-Encoding: base64',
      '',
      big,
      '--MIX--',
      '',
    ].join('\r\n');
    await w.imap.deliver('support@acme.test', raw);
    const m = await stored('<html-1@x>');
    expect(m.html).toContain('<b>cracked</b>');
    expect(m.html).not.toMatch(/script|onclick|javascript:/);
    expect(m.html).toContain('data-blocked-src="https://tracker.example/pixel.gif"');
    const conversation = await request(url(`/conversations/${m.conversationId}`), { token: w.admin });
    const view = conversation.body.messages.find((x: { id: string }) => x.id === m.id);
    const receipt = view.attachments.find((a: { fileName: string }) => a.fileName === 'receipt.txt');
    const video = view.attachments.find((a: { fileName: string }) => a.fileName === 'video.bin');
    expect(video).toMatchObject({ size: 5_000, url: null });
    const file = await fetch(`${w.t.url}${receipt.url}`, { headers: { authorization: `Bearer ${w.admin}` } });
    expect(file.status).toBe(200);
    expect(await file.text()).toBe('order 4411, receipt');
    expect(file.headers.get('content-disposition')).toMatch(/^attachment;/);
    expect((await fetch(`${w.t.url}${receipt.url}`)).status).toBe(401);
  });
});

describe('sending replies over SMTP', () => {
  async function customerConversation(id: string) {
    await w.imap.deliver('support@acme.test', rawMail({ from: `${id}@customer.test`, messageId: `<${id}@x>` }));
    return (await stored(`<${id}@x>`)).conversationId;
  }
  async function replyAndWait(conversationId: string, status: 'sent' | 'failed') {
    const r = await request(url(`/conversations/${conversationId}/messages`), { token: w.admin, body: { text: 'Thanks for writing.' } });
    return eventually(async () => {
      const m = await w.t.prisma.message.findUnique({ where: { id: r.body.id } });
      return m?.deliveryStatus === status ? m : null;
    }, `reply ${status}`);
  }

  it('retries a temporary refusal and records a permanent one for the agent to see', async () => {
    const c1 = await customerConversation('retry-me');
    w.smtp.rejectNext(2, 451);
    const sent = await replyAndWait(c1, 'sent');
    expect(w.smtp.mails.some((m) => m.parsed.messageId === sent.externalId)).toBe(true);

    const c2 = await customerConversation('no-such-user');
    w.smtp.rejectNext(1, 550);
    const failed = await replyAndWait(c2, 'failed');
    expect(failed.deliveryError).toMatch(/No such user/);
  });
});

describe('setting up an email inbox', () => {
  it('refuses plain-text connections to other machines, with the reason', async () => {
    const r = await request(url('/inboxes'), {
      token: w.admin,
      body: { kind: 'email', name: 'Bad', config: { address: 'x@acme.test', imap: { host: 'imap.acme.test', security: 'none' }, smtp: { host: 'smtp.acme.test' } } },
    });
    expect(r.status).toBe(400);
    expect(JSON.stringify(r.body)).toContain('only allowed to this machine');
  });

  it('tests the connection and says what is wrong in plain words', async () => {
    const ok = await request(url(`/inboxes/${support}/test-connection`), { method: 'POST', token: w.admin });
    expect(ok.body).toMatchObject({ ok: true });
    expect(ok.body.checks).toHaveLength(2);

    const broken = await w.addInbox('Broken', 'support@acme.test', {
      imap: { host: '127.0.0.1', port: 1, security: 'none' },
      smtp: { host: '127.0.0.1', port: w.smtp.port, security: 'none', username: 'support@acme.test' },
    });
    await request(url(`/inboxes/${broken}`), { method: 'PATCH', token: w.admin, body: { secretRefs: { password: 'env:SUPPORT_MAIL_PASSWORD', smtpPassword: 'env:WRONG_PASSWORD' } } });
    process.env.WRONG_PASSWORD = 'not-the-password';
    const r = await request(url(`/inboxes/${broken}/test-connection`), { method: 'POST', token: w.admin });
    expect(r.body.ok).toBe(false);
    const [imap, smtp] = r.body.checks;
    expect(imap.message).toMatch(/^Nothing answered at IMAP server 127\.0\.0\.1:1/);
    expect(smtp.message).toMatch(/refused the username or password/);

    await request(url(`/inboxes/${broken}`), { method: 'PATCH', token: w.admin, body: { config: { address: 'support@acme.test', imap: { host: w.imap.host, port: w.imap.port, security: 'none', mailboxes: ['Nope'] }, smtp: { host: '127.0.0.1', port: w.smtp.port, security: 'none' } } } });
    const missing = await request(url(`/inboxes/${broken}/test-connection`), { method: 'POST', token: w.admin });
    expect(missing.body.checks[0].message).toMatch(/folder "Nope" does not exist/);
  });
});
