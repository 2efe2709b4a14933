// A resolved incident's updates across a crash: the worker sending them is killed with SIGKILL
// part-way, with SMS sends in flight at the provider, and a new worker finishes. Each of the 50
// linked customers gets exactly one update message, written once whoever sends it; the provider
// hears each customer once, except a send that was in flight at the kill, which is sent again
// (at least once: Twilio takes no idempotency key); the opted-out get nothing. Real processes,
// PostgreSQL, Redis and HTTP to a Twilio stand-in.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeTwilio, type FakeTwilio } from './helpers/fake-twilio';
import { createInbox } from './helpers/fixtures';
import { eventually } from './helpers/http';
import { processCluster } from './helpers/processes';

const SID = `AC${'c3'.repeat(16)}`;
const AUTH = 'twilio-auth-token-for-incidents';
const cluster = processCluster('inc');
let twilio: FakeTwilio;

beforeAll(async () => {
  twilio = await startFakeTwilio({ accountSid: SID, authToken: AUTH });
});
afterAll(async () => {
  await twilio?.stop();
});

describe('incident updates across a crash', () => {
  it('updates each linked customer exactly once although the worker dies mid-way, and no opted-out customer', async () => {
    const prisma = cluster.db.prisma;
    const { inbox } = await createInbox(prisma, { kind: 'sms', name: 'Texts', config: { phoneNumber: '+14155550100', accountSid: SID }, secretRefs: { authToken: 'env:INC_TWILIO_TOKEN' } });
    const phones = Array.from({ length: 50 }, (_, i) => `+1415555${String(2000 + i)}`);
    const optedOut = new Set(phones.slice(0, 2));
    const ids: string[] = [];
    for (const phone of phones) {
      const contact = await prisma.contact.create({ data: { phone, identities: { create: { kind: 'phone', address: phone, optedOut: optedOut.has(phone) } } } });
      const c = await prisma.conversation.create({ data: { inboxId: inbox.id, contactId: contact.id, status: 'open', threadKey: phone } });
      ids.push(c.id);
    }
    const incident = await prisma.incident.create({
      data: { title: 'Card payments failing', status: 'resolved', resolvedAt: new Date(), links: { create: ids.map((conversationId) => ({ conversationId, linkedBy: 'bulk' })) } },
    });

    // The 11th send and every one after it hang at the provider until the worker is gone.
    twilio.holdFrom(11);
    // The send held at the kill is taken over when its job's lock lapses: 5 s here, not the default 30 (two cycles of 30 s could outlast the wait below).
    const env = { TWILIO_API_URL: twilio.apiUrl, INC_TWILIO_TOKEN: AUTH, INCIDENT_SWEEP_MS: '150', INCIDENT_UPDATES_PER_MINUTE: '800', QUEUE_LOCK_MS: '5000' };
    const first = await cluster.start('worker', env);
    const sends = () => twilio.calls.filter((c) => c.method === 'POST' && c.path.endsWith('/Messages.json'));
    await eventually(async () => sends().length >= 11 || null, { timeoutMs: 30_000, what: 'the 11th send in flight' });
    await first.kill('SIGKILL');
    // In flight: sends whose outcome the dead worker had not recorded (held at the provider, or
    // answered a moment before the kill): those may go again. Every recorded one must not.
    const unrecorded = await prisma.message.findMany({ where: { conversationId: { in: ids }, senderType: 'system', deliveryStatus: 'queued' }, select: { conversation: { select: { threadKey: true } } } });
    const inFlight = new Set(unrecorded.map((m) => m.conversation.threadKey));
    expect(inFlight.size).toBeGreaterThan(0);
    twilio.holdFrom(Infinity);

    await cluster.start('worker', env);
    const updates = () => prisma.message.findMany({ where: { conversationId: { in: ids }, senderType: 'system', direction: 'outbound' }, select: { conversationId: true, deliveryStatus: true } });
    await eventually(async () => {
      const all = await updates();
      return (all.length === 48 && all.every((m) => m.deliveryStatus === 'sent') && (await prisma.incidentLink.count({ where: { incidentId: incident.id, notifiedAt: null } })) === 0) || null;
    }, { timeoutMs: 90_000, what: 'every update written and sent (a send held at the kill waits for its job\'s lock to lapse)' });
    // A little longer: nothing more goes.
    await new Promise((r) => setTimeout(r, 2_000));

    const perConversation = new Map<string, number>();
    for (const m of await updates()) perConversation.set(m.conversationId, (perConversation.get(m.conversationId) ?? 0) + 1);
    expect([...perConversation.values()].every((n) => n === 1)).toBe(true);
    const links = await prisma.incidentLink.findMany({ where: { incidentId: incident.id }, include: { conversation: { select: { threadKey: true } } } });
    expect(links.filter((l) => l.updateMessageId)).toHaveLength(48);
    for (const l of links.filter((x) => !x.updateMessageId)) {
      expect(optedOut.has(l.conversation.threadKey!)).toBe(true);
      expect(l.skippedReason).toMatch(/opted out/);
    }
    const heard = new Map<string, number>();
    for (const c of sends()) heard.set(c.form.To!, (heard.get(c.form.To!) ?? 0) + 1);
    for (const phone of phones) {
      if (optedOut.has(phone)) expect(heard.get(phone), phone).toBeUndefined();
      else if (inFlight.has(phone)) expect(heard.get(phone), phone).toBeLessThanOrEqual(2);
      else expect(heard.get(phone), phone).toBe(1);
    }
    expect(sends().every((c) => c.form.Body!.includes('"Card payments failing" has been fixed'))).toBe(true);
  }, 180_000);
});
