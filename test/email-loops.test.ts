// Loop safety: our acknowledgements meet auto-responders. One that follows RFC 3834 (marks
// its answers Auto-Submitted) must cause zero loops; one that marks nothing and writes a
// fresh mail every time is stopped by the per-contact limit on automatic messages.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emailWorld, eventually, type EmailWorld } from './helpers/email-app';
import { rawMail } from './helpers/mails';

let w: EmailWorld;
let peerReplies = 0;

beforeAll(async () => {
  w = await emailWorld({ users: ['support@acme.test'], env: { ROUTING_DEFAULTS: 'true', AUTOMATIC_MESSAGES_PER_HOUR: '3' } });
  await w.addInbox('Support', 'support@acme.test');
  // The peers: each answers every mail we send them, straight into our mailbox.
  w.smtp.onMail = async (m) => {
    const to = m.envelope.to[0]!;
    peerReplies++;
    if (to === 'robot@peer.test') {
      await w.imap.deliver('support@acme.test', rawMail({
        from: 'Robot <robot@peer.test>', subject: `Auto: ${m.parsed.subject}`, text: 'I am away. Your mail was received.',
        headers: { 'Auto-Submitted': 'auto-replied', 'In-Reply-To': m.parsed.messageId! },
      }));
    } else if (to === 'naive@peer.test') {
      // Marks nothing, threads nothing: looks like a new customer mail every time.
      await w.imap.deliver('support@acme.test', rawMail({ from: 'Naive <naive@peer.test>', subject: `Thanks for your mail ${peerReplies}`, text: 'Thank you for your message, we will reply as soon as possible, urgent issue with my refund.' }));
    }
  };
});
afterAll(async () => w?.close());

const mailsTo = (address: string) => w.smtp.mails.filter((m) => m.envelope.to.includes(address));

async function settled(address: string): Promise<number> {
  // Quiet for two seconds: nothing more is going to be sent.
  let last = -1;
  for (;;) {
    const n = mailsTo(address).length;
    if (n === last) return n;
    last = n;
    await new Promise((r) => setTimeout(r, 2_000));
  }
}

describe('auto-responders', () => {
  it('an RFC 3834 auto-responder gets one acknowledgement and no loop', async () => {
    await w.imap.deliver('support@acme.test', rawMail({ from: 'Robot <robot@peer.test>', subject: 'Refund not received', text: 'My refund for order 7781 has not arrived, I am angry.' }));
    const ack = await eventually(async () => mailsTo('robot@peer.test')[0], 'acknowledgement sent', 30_000).catch(async (err: Error) => {
      // Say what happened instead, so a failure explains itself.
      const messages = await w.t.prisma.message.findMany({ where: { OR: [{ contact: { email: 'robot@peer.test' } }, { conversation: { contact: { email: 'robot@peer.test' } } }] }, select: { direction: true, senderType: true, deliveryStatus: true, deliveryError: true, metadata: true, createdAt: true } });
      const events = await w.t.prisma.auditEvent.findMany({ orderBy: { id: 'asc' }, select: { type: true, data: true } });
      const outbox = await w.t.prisma.routingEvent.findMany({ select: { type: true, attempts: true, lastError: true } });
      throw new Error(`${err.message}; messages ${JSON.stringify(messages)}; audit ${JSON.stringify(events)}; routing outbox ${JSON.stringify(outbox)}`);
    });
    expect(ack.parsed.headers.get('auto-submitted')).toBe('auto-replied');
    await eventually(() => w.t.prisma.message.findFirst({ where: { contact: { email: 'robot@peer.test' }, metadata: { path: ['automated'], equals: true } } }), 'auto-reply stored');
    expect(await settled('robot@peer.test')).toBe(1);
  });

  it('an auto-responder that marks nothing is stopped by the per-contact limit', async () => {
    await w.imap.deliver('support@acme.test', rawMail({ from: 'Naive <naive@peer.test>', subject: 'Refund', text: 'My refund has not arrived, this is urgent.' }));
    await eventually(async () => mailsTo('naive@peer.test')[0], 'first acknowledgement');
    const sent = await settled('naive@peer.test');
    expect(sent).toBe(3);
    const refused = await w.t.prisma.message.findFirst({ where: { senderType: 'system', deliveryStatus: 'failed', conversation: { contact: { email: 'naive@peer.test' } } } });
    expect(refused?.deliveryError).toMatch(/already got 3 automatic messages in the last hour/);
  });
});
