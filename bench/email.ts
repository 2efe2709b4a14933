// bench/email: how long the product takes to fetch, thread and store 1,000 mails from a real
// IMAP server (Debian's Dovecot on loopback), the product as `npm start` runs it. A third of
// the mails are replies (In-Reply-To an earlier one), so threading does real work. Then the
// push latency: single mails delivered one at a time, from APPEND to stored.
// Goal on this 2-core machine: 1,000 mails in under 10 s.
import { parseArgs } from 'node:util';
import { percentile } from './lib/measure';
import { startBenchProduct } from './lib/product';
import { CUSTOMER_TEXTS } from './lib/texts';
import { MAIL_PASSWORD, startDovecot, startSmtpCapture } from '../test/helpers/mail-servers';
import { rawMail } from '../test/helpers/mails';

const { values } = parseArgs({ options: { mails: { type: 'string', default: '1000' }, live: { type: 'string', default: '20' } } });
const MAILS = Number(values.mails);
const LIVE = Number(values.live);
const USER = 'support@bench.test';

const imap = await startDovecot([USER]);
// Routing acknowledges new conversations by mail: an SMTP receiver takes them.
const smtp = await startSmtpCapture();
process.env.BENCH_MAIL_PASSWORD = MAIL_PASSWORD;
const product = await startBenchProduct({ CHANNEL_RESCAN_MS: '60000' });
const { prisma } = product.app.services.db;

try {
  console.log(`[bench:email] putting ${MAILS} mails in the mailbox (not timed)…`);
  let bytes = 0;
  await imap.session(USER, async (c) => {
    for (let i = 0; i < MAILS; i++) {
      const customer = i % 3 === 2 ? i - 2 : i; // every third mail answers the one two before it
      const raw = rawMail({
        from: `Customer ${customer} <customer${customer}@example.test>`,
        to: USER,
        subject: i % 3 === 2 ? `Re: Order ${customer}` : `Order ${customer}`,
        messageId: `<bench-${i}@example.test>`,
        text: `${CUSTOMER_TEXTS[i % CUSTOMER_TEXTS.length]}\n\nOrder ${customer}, mail ${i}.`,
        headers: i % 3 === 2 ? { 'In-Reply-To': `<bench-${i - 2}@example.test>` } : {},
      });
      bytes += raw.length;
      await c.append('INBOX', Buffer.from(raw));
    }
  });

  const inbox = await prisma.inbox.create({
    data: {
      kind: 'email', name: 'Bench',
      config: { address: USER, imap: { host: imap.host, port: imap.port, security: 'none', mailboxes: ['INBOX'] }, smtp: { host: '127.0.0.1', port: smtp.port, security: 'none' }, backfillDays: 14, plusAddressing: true, maxAttachmentBytes: 25 << 20, allowRemoteImages: false },
      secretRefs: { password: 'env:BENCH_MAIL_PASSWORD' },
    },
  });
  const started = performance.now();
  await product.app.worker!.channels.rescan();
  let stored = 0;
  while (stored < MAILS) {
    await new Promise((r) => setTimeout(r, 20));
    stored = await prisma.message.count({ where: { inboxId: inbox.id } });
  }
  const seconds = (performance.now() - started) / 1000;
  const conversations = await prisma.conversation.count({ where: { inboxId: inbox.id } });
  const threaded = await prisma.message.count({ where: { inboxId: inbox.id, threadReason: 'in-reply-to' } });
  console.log(`[bench:email] backfill: ${MAILS} mails (${(bytes / 1024).toFixed(0)} KB) fetched over IMAP, parsed, threaded and stored in ${seconds.toFixed(2)} s = ${(MAILS / seconds).toFixed(0)} mails/s (goal: under 10 s)`);
  console.log(`[bench:email]   ${conversations} conversations, ${threaded} mails threaded by In-Reply-To; ${smtp.mails.length} acknowledgements sent over SMTP meanwhile`);

  const latencies: number[] = [];
  for (let i = 0; i < LIVE; i++) {
    const id = `<live-${i}@example.test>`;
    const t0 = performance.now();
    await imap.deliver(USER, rawMail({ from: `live${i}@example.test`, to: USER, messageId: id, text: CUSTOMER_TEXTS[i % CUSTOMER_TEXTS.length] }));
    while (!(await prisma.message.findFirst({ where: { externalId: id }, select: { id: true } }))) await new Promise((r) => setTimeout(r, 5));
    latencies.push(performance.now() - t0);
  }
  console.log(`[bench:email] push (IDLE): ${LIVE} mails delivered one at a time, APPEND → stored p50 ${percentile(latencies, 50).toFixed(0)} ms, p99 ${percentile(latencies, 99).toFixed(0)} ms`);
} finally {
  await product.close();
  await smtp.stop();
  await imap.stop();
}
