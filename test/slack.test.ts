// Slack as an inbox: correctly signed Events API requests to the real Bolt receiver, and
// Bolt's real WebClient talking to a local server that answers like Slack's Web API.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './helpers/app';
import { createAgent } from './helpers/fixtures';
import { login, request } from './helpers/http';
import { eventually } from './helpers/email-app';
import { signSlack, startFakeSlack, type FakeSlack } from './helpers/fake-slack';

const SECRET = 'slack-signing-secret-for-tests';
const TOKEN = 'xoxb-test-token';
const CHANNEL = 'C0CUSTOMER';
let t: TestApp;
let slack: FakeSlack;
let admin: string;
let inboxId: string;
let agentEmail: string;

const url = (p: string) => `${t.url}${p}`;
let n = 0;
function messageEvent(e: Record<string, unknown>) {
  n++;
  return { token: 'x', team_id: 'T0001', api_app_id: 'A1', type: 'event_callback', event_id: `Ev${n}`, event_time: Math.floor(Date.now() / 1000), event: { type: 'message', channel: CHANNEL, team: 'T0001', ...e } };
}
async function post(payload: unknown, headers: Record<string, string> = {}, sign = signSlack) {
  const body = JSON.stringify(payload);
  const res = await fetch(url(`/webhooks/slack/${inboxId}/events`), { method: 'POST', headers: { ...sign(SECRET, body), ...headers }, body });
  return { status: res.status, text: await res.text() };
}
const byTs = (ts: string) => t.prisma.message.findFirst({ where: { externalId: `${CHANNEL}:${ts}` } });

beforeAll(async () => {
  slack = await startFakeSlack({ token: TOKEN });
  process.env.TEST_SLACK_TOKEN = TOKEN;
  process.env.TEST_SLACK_SECRET = SECRET;
  t = await startTestApp({ env: { SLACK_API_URL: slack.apiUrl, ROUTING_DEFAULTS: 'false', SURVEY_DELAY_MINUTES: '0.01', SURVEY_SWEEP_MS: '200' } });
  const ada = await createAgent(t.prisma, { role: 'admin', name: 'Ada Admin', email: 'ada@acme.test' });
  agentEmail = ada.email;
  admin = await login(t.url, ada.email);
  slack.users = { U0CUST: { name: 'Carla Customer', email: 'carla@customer.test' }, U0ADA: { name: 'Ada', email: agentEmail } };
  const r = await request(url('/api/v1/inboxes'), {
    token: admin,
    body: { kind: 'slack', name: 'Acme shared channel', config: { channelId: CHANNEL, alertChannelId: 'C0ALERTS' }, secretRefs: { botToken: 'env:TEST_SLACK_TOKEN', signingSecret: 'env:TEST_SLACK_SECRET' }, memberIds: [ada.id] },
  });
  expect(r.status).toBe(201);
  inboxId = r.body.id;
  expect(r.body.eventsUrl).toMatch(new RegExp(`/webhooks/slack/${inboxId}/events$`));
});
afterAll(async () => {
  await t?.close();
  await slack?.stop();
});

describe('Slack channel', () => {
  it('answers Slack\'s URL verification', async () => {
    const r = await post({ type: 'url_verification', challenge: 'abc123', token: 'x' });
    expect(r.status).toBe(200);
    expect(r.text).toContain('abc123');
  });

  it('maps threads both ways: a top-level message opens a conversation, its thread continues it, our reply goes into it', async () => {
    expect((await post(messageEvent({ user: 'U0CUST', text: 'Our invoices page shows an error since this morning', ts: '1733000001.000100' }))).status).toBe(200);
    const first = await eventually(() => byTs('1733000001.000100'), 'top-level stored');
    const conversation = await t.prisma.conversation.findUniqueOrThrow({ where: { id: first.conversationId }, include: { contact: true } });
    expect(conversation.threadKey).toBe('1733000001.000100');
    expect(conversation.contact).toMatchObject({ name: 'Carla Customer', email: 'carla@customer.test' });

    await post(messageEvent({ user: 'U0CUST', text: 'Still broken, we cannot bill anyone', ts: '1733000002.000100', thread_ts: '1733000001.000100' }));
    const second = await eventually(() => byTs('1733000002.000100'), 'thread reply stored');
    expect(second.conversationId).toBe(first.conversationId);
    expect(second.threadReason).toBe('thread-key');
    // One users.info for the two messages of the same person.
    expect(slack.calls.filter((c) => c.method === 'users.info' && c.params.user === 'U0CUST')).toHaveLength(1);

    const reply = await request(url(`/api/v1/conversations/${first.conversationId}/messages`), { token: admin, body: { text: 'We are on it, a fix ships within the hour.' } });
    const posted = await eventually(async () => slack.calls.find((c) => c.method === 'chat.postMessage' && c.params.text === 'We are on it, a fix ships within the hour.'), 'reply posted');
    expect(posted.params).toMatchObject({ channel: CHANNEL, thread_ts: '1733000001.000100' });
    expect(posted.token).toBe(TOKEN);
    const sent = await eventually(async () => {
      const m = await t.prisma.message.findUnique({ where: { id: reply.body.id } });
      return m?.deliveryStatus === 'delivered' ? m : null;
    }, 'reply delivered');
    // Slack echoes our own post back as an event: not stored again.
    await post(messageEvent({ bot_id: 'B0BOT', text: 'We are on it, a fix ships within the hour.', ts: sent.externalId!.split(':')[1], thread_ts: '1733000001.000100' }));
    expect(await t.prisma.message.count({ where: { conversationId: first.conversationId } })).toBe(3);
  });

  it('records a reply typed in Slack by one of our agents as our reply', async () => {
    await post(messageEvent({ user: 'U0ADA', text: 'Fixed now, sorry Carla!', ts: '1733000003.000100', thread_ts: '1733000001.000100' }));
    const m = await eventually(() => byTs('1733000003.000100'), 'agent reply stored');
    expect(m.direction).toBe('outbound');
    expect(m.conversationId).toBe((await byTs('1733000001.000100'))!.conversationId);
  });

  it('does not store Slack\'s retries twice', async () => {
    const event = messageEvent({ user: 'U0CUST', text: 'A new problem: exports are empty', ts: '1733000004.000100' });
    await post(event);
    await post(event, { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' });
    await post(event, { 'x-slack-retry-num': '2', 'x-slack-retry-reason': 'http_timeout' });
    await eventually(() => byTs('1733000004.000100'), 'stored');
    await eventually(async () => (await t.prisma.inboundReceipt.count({ where: { externalId: `${CHANNEL}:1733000004.000100`, status: 'processed' } })) === 1, 'processed');
    expect(await t.prisma.message.count({ where: { externalId: `${CHANNEL}:1733000004.000100` } })).toBe(1);
  });

  it('rejects a bad signature and a stale timestamp with 401, storing nothing', async () => {
    const before = await t.prisma.inboundReceipt.count();
    const forged = await post(messageEvent({ user: 'U0CUST', text: 'forged', ts: '1733000005.000100' }), {}, (_s, body) => signSlack('not-the-secret', body));
    expect(forged.status).toBe(401);
    const stale = await post(messageEvent({ user: 'U0CUST', text: 'replayed', ts: '1733000006.000100' }), {}, (s, body) => signSlack(s, body, Math.floor(Date.now() / 1000) - 600));
    expect(stale.status).toBe(401);
    const unsigned = await fetch(url(`/webhooks/slack/${inboxId}/events`), { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(unsigned.status).toBe(401);
    await new Promise((r) => setTimeout(r, 200));
    expect(await t.prisma.inboundReceipt.count()).toBe(before);
  });

  it('follows edits and deletes made in Slack', async () => {
    await post(messageEvent({ subtype: 'message_changed', message: { ts: '1733000004.000100', text: 'A new problem: exports are empty (CSV only)', user: 'U0CUST' }, ts: '1733000007.000100' }));
    await eventually(async () => (await byTs('1733000004.000100'))?.text === 'A new problem: exports are empty (CSV only)', 'edited');
    expect((await byTs('1733000004.000100'))!.metadata).toMatchObject({ originalText: 'A new problem: exports are empty' });
    await post(messageEvent({ subtype: 'message_deleted', deleted_ts: '1733000004.000100', ts: '1733000008.000100' }));
    await eventually(async () => (await byTs('1733000004.000100'))?.text === '', 'deleted');
    expect((await byTs('1733000004.000100'))!.metadata).toHaveProperty('deletedAt');
  });

  it('posts escalations to the internal alert channel', async () => {
    const rule = await request(url('/api/v1/routing/rules'), { token: admin, body: { name: 'Escalate billing outages', event: 'message.created', conditions: [{ field: 'text', op: 'contains', value: 'cannot bill' }], actions: [{ type: 'escalate', reason: 'billing is down' }] } });
    expect(rule.status).toBe(201);
    await post(messageEvent({ user: 'U0CUST', text: 'We cannot bill anyone, again!', ts: '1733000009.000100' }));
    const alert = await eventually(async () => slack.calls.find((c) => c.method === 'chat.postMessage' && c.params.channel === 'C0ALERTS'), 'alert posted');
    expect(alert.params.text).toMatch(/Escalation: billing is down/);
  });

  it('asks for a rating with buttons after a resolve, and counts the click of the thread\'s customer only', async () => {
    await post(messageEvent({ user: 'U0CUST', text: 'The export button does nothing at all', ts: '1733000020.000100' }));
    const m = await eventually(() => byTs('1733000020.000100'), 'stored');
    await request(url(`/api/v1/conversations/${m.conversationId}/status`), { token: admin, body: { status: 'resolved' } });
    const asked = await eventually(async () => slack.calls.find((c) => c.method === 'chat.postMessage' && c.params.thread_ts === '1733000020.000100' && c.params.blocks), 'the survey with its buttons', 30_000);
    const blocks = JSON.parse(asked.params.blocks!) as Array<{ type: string; elements?: Array<{ text: { text: string }; value: string }> }>;
    expect(blocks[1]!.elements!.map((b) => b.text.text)).toEqual(['1', '2', '3', '4', '5']);
    const survey = await eventually(async () => {
      const s = await t.prisma.survey.findFirst({ where: { conversationId: m.conversationId, kind: 'satisfaction' } });
      return s?.messageId ? s : null;
    }, 'the survey sent');
    const ts = (await eventually(async () => (await t.prisma.message.findUniqueOrThrow({ where: { id: survey.messageId! } })).externalId, 'its Slack ts')).split(':')[1]!;
    const click = async (user: string, rating: number) => {
      const payload = {
        type: 'block_actions', token: 'x', api_app_id: 'A1', trigger_id: '1.2.3', team: { id: 'T0001', domain: 'acme' }, user: { id: user, team_id: 'T0001' },
        container: { type: 'message', message_ts: ts, channel_id: CHANNEL, is_ephemeral: false, thread_ts: '1733000020.000100' },
        channel: { id: CHANNEL, name: 'customer-acme' }, message: { type: 'message', ts, thread_ts: '1733000020.000100', text: asked.params.text },
        response_url: 'https://hooks.slack.com/actions/T0001/1/x',
        actions: [{ type: 'button', block_id: 'survey', action_id: `survey_rate_${rating}`, value: `${survey.id}:${rating}`, action_ts: '1733000021.000000' }],
      };
      const body = `payload=${encodeURIComponent(JSON.stringify(payload))}`;
      const res = await fetch(url(`/webhooks/slack/${inboxId}/events`), { method: 'POST', headers: { ...signSlack(SECRET, body), 'content-type': 'application/x-www-form-urlencoded' }, body });
      expect(res.status).toBe(200);
    };
    // A colleague in the shared channel clicks: nothing is rated, and they are told why.
    await click('U0ADA', 1);
    expect(slack.calls.find((c) => c.method === 'chat.postEphemeral')?.params).toMatchObject({ user: 'U0ADA', text: expect.stringMatching(/Only the customer/) });
    expect((await t.prisma.survey.findUniqueOrThrow({ where: { id: survey.id } })).rating).toBeNull();
    await click('U0CUST', 4);
    expect(await t.prisma.survey.findUniqueOrThrow({ where: { id: survey.id } })).toMatchObject({ rating: 4, status: 'answered' });
    expect(slack.calls.find((c) => c.method === 'chat.update')?.params).toMatchObject({ channel: CHANNEL, ts, text: 'Thank you: you rated us 4 of 5.' });
    expect((await t.prisma.conversation.findUniqueOrThrow({ where: { id: m.conversationId } })).status).toBe('resolved');
  });

  it('tests the connection: the token and the channel', async () => {
    const r = await request(url(`/api/v1/inboxes/${inboxId}/test-connection`), { method: 'POST', token: admin });
    expect(r.body.ok).toBe(true);
    process.env.TEST_SLACK_TOKEN = 'xoxb-revoked';
    const bad = await request(url(`/api/v1/inboxes/${inboxId}/test-connection`), { method: 'POST', token: admin });
    process.env.TEST_SLACK_TOKEN = TOKEN;
    expect(bad.body.ok).toBe(false);
    expect(bad.body.checks[0].message).toMatch(/refused the bot token/);
  });
});
