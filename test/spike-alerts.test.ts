// Spike alerts end to end: a listening topic with a week of steady history, then a burst of
// posts about "error 502" at checkout in one window. The watch raises one alert with the phrases
// driving it and sample posts; the app hears it live, the Slack alert channel gets it (Slack's
// Web API stand-in), the community's managers get a mail; the next window is quiet by the
// cooldown, a restarted watch does not alert again, and the alert opens an incident whose rule
// carries its phrases. Real PostgreSQL, SMTP, HTTP and sockets.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ListenedPostInput } from '../src/inbox/channels/contract';
import { SpikeWatch } from '../src/inbox/community/spike-watch';
import { WINDOW_MS } from '../src/inbox/community/spikes';
import { startTestApp, type TestApp } from './helpers/app';
import { startFakeSlack, type FakeSlack } from './helpers/fake-slack';
import { startFakeX, type FakeX } from './helpers/fake-x';
import { createAgent } from './helpers/fixtures';
import { connectAgent, eventually, login, request } from './helpers/http';
import { MAIL_PASSWORD, startSmtpCapture, type SmtpCapture } from './helpers/mail-servers';
import { BRAND_ID, createXInbox } from './helpers/x-inbox';

let t: TestApp;
let x: FakeX;
let slack: FakeSlack;
let smtp: SmtpCapture;
let admin: string;
let inboxId: string;
let topicId: string;
const api = (p: string, init: { method?: string; body?: unknown } = {}) => request(`${t.url}/api/v1${p}`, { token: admin, ...init });
// The window judged: one that closed a while ago, so nothing arriving now changes it.
const WINDOW = Math.floor((Date.now() - 3_600_000) / WINDOW_MS) * WINDOW_MS;
const judgeAt = (window: number) => () => new Date(window + 2 * WINDOW_MS + 30_000);
let n = 0;
const post = (text: string, at: number, followers = 100): ListenedPostInput => {
  const id = String(1_600_000_000_000_000_000n + BigInt(++n));
  return {
    postId: id, text, url: `https://x.com/u${n}/status/${id}`, author: { id: String(n), username: `u${n}`, followers }, postedAt: new Date(at).toISOString(),
    metrics: { retweets: 0, likes: 0, replies: 0, quotes: 0 },
    asMention: { externalId: `tweet:${id}`, from: { identities: [{ kind: 'twitter', address: `u${n}` }] }, text, conversationType: 'mention', thread: { key: `tweet:${id}` } },
  };
};

beforeAll(async () => {
  x = await startFakeX({ brandId: BRAND_ID, brandHandle: 'acme' });
  slack = await startFakeSlack({ token: 'xoxb-spikes' });
  smtp = await startSmtpCapture();
  process.env.SPIKE_SLACK_TOKEN = 'xoxb-spikes';
  process.env.SPIKE_SLACK_SECRET = 'spike-signing-secret';
  t = await startTestApp({ env: { TWITTER_API_URL: x.apiUrl, SLACK_API_URL: slack.apiUrl, SPIKE_WATCH_MS: '3600000', SYSTEM_SMTP_URL: `smtp://inbox:${MAIL_PASSWORD}@127.0.0.1:${smtp.port}`, SYSTEM_MAIL_FROM: 'Inbox <no-reply@acme.test>' } });
  admin = await login(t.url, (await createAgent(t.prisma, { role: 'admin', name: 'Ada Admin', email: 'ada@acme.test' })).email);
  inboxId = await createXInbox(t, admin, x, { pollSeconds: 3_600 });
  const s = await api('/inboxes', { body: { kind: 'slack', name: 'Team alerts', config: { channelId: 'C0TEAM', alertChannelId: 'C0ALERTS' }, secretRefs: { botToken: 'env:SPIKE_SLACK_TOKEN', signingSecret: 'env:SPIKE_SLACK_SECRET' } } });
  expect(s.status).toBe(201);
  topicId = (await api('/community/topics', { body: { inboxId, name: 'Acme Shop', query: 'acmeshop OR "acme shop"' } })).body.id;
  // A week of steady history: 8 posts a window, one negative; and yesterday's words.
  await t.prisma.listeningTopic.update({ where: { id: topicId }, data: { createdAt: new Date(WINDOW - 8 * 86_400_000) } });
  const windows = Array.from({ length: 8 * 288 }, (_, i) => ({ topicId, windowStart: new Date(WINDOW - (i + 1) * WINDOW_MS), volume: 8, negative: 1 }));
  await t.prisma.topicWindow.createMany({ data: windows });
  const listening = t.app.services.listening;
  await listening.accept(inboxId, topicId, Array.from({ length: 60 }, (_, i) => post(`love the new acme shop app, ordering lunch again (${i})`, WINDOW - 3_600_000 * (1 + (i % 20)))));
}, 120_000);
afterAll(async () => {
  await t?.close();
  await x?.stop();
  await slack?.stop();
  await smtp?.stop();
});

describe('spike alerts', () => {
  it('raises one alert with its phrases to the app, Slack and mail, once per cooldown, and opens an incident from it', async () => {
    const socket = await connectAgent(t.url, admin);
    const heard: Array<{ alert: { text: string } }> = [];
    socket.on('community.alert', (e: { alert: { text: string } }) => heard.push(e));
    // The burst: 70 posts in one window, most about error 502 at checkout.
    const burst = Array.from({ length: 70 }, (_, i) => post(i % 5 ? `acme shop checkout fails with error 502 again, cannot pay (${i})` : `anyone else seeing acmeshop down? (${i})`, WINDOW + 10_000 + i * 1_000, i === 3 ? 90_000 : 200));
    await t.app.services.listening.accept(inboxId, topicId, burst);

    const watch = (now: () => Date) => new SpikeWatch({ db: t.app.services.db, events: t.app.services.events, logger: t.app.services.logger, smtpUrl: t.app.services.config.SYSTEM_SMTP_URL, from: 'Inbox <no-reply@acme.test>', publicUrl: () => t.url, now });
    const [alert, ...more] = await watch(judgeAt(WINDOW)).sweep();
    expect(more).toEqual([]);
    expect(alert).toMatchObject({ kind: 'volume', volume: 70, topic: { name: 'Acme Shop' } });
    expect(alert!.phrases).toContain('error 502');
    expect(alert!.phrases.some((p) => p.includes('checkout'))).toBe(true);
    expect(alert!.samplePosts[0]).toMatchObject({ followers: 90_000 });
    expect(alert!.text).toMatch(/^Acme Shop: 70 posts in 5 minutes, \d+ expected — /);

    await eventually(() => heard.length === 1 || null, { what: 'the app told live' });
    const posted = await eventually(async () => slack.calls.find((c) => c.method === 'chat.postMessage' && c.params.channel === 'C0ALERTS'), { what: 'the Slack alert channel told' });
    expect(posted.params.text).toContain('Acme Shop: 70 posts');
    expect(posted.params.text).toContain(`${t.url}/#community`);
    expect(posted.params.text).toMatch(/\n> @u\d+ \(90000 followers\): acme shop checkout fails with error 502/);
    const mail = await eventually(async () => smtp.mails.find((m) => m.envelope.to.includes('ada@acme.test')), { what: 'the mail to the managers' });
    expect(mail.parsed.subject).toMatch(/^Spike: Acme Shop/);
    expect(mail.parsed.text).toContain('"error 502"');

    // The next window (still busy) is inside the cooldown; a restarted watch does not alert again.
    await t.app.services.listening.accept(inboxId, topicId, Array.from({ length: 70 }, (_, i) => post(`checkout error 502 still (${i})`, WINDOW + WINDOW_MS + 5_000 + i * 1_000)));
    expect(await watch(judgeAt(WINDOW + WINDOW_MS)).sweep()).toEqual([]);
    expect(await watch(judgeAt(WINDOW)).sweep()).toEqual([]);
    expect(await t.prisma.spikeAlert.count()).toBe(1);

    const listed = (await api('/community/alerts')).body.data;
    expect(listed).toEqual([expect.objectContaining({ id: alert!.id, text: alert!.text })]);
    const incident = await api(`/community/alerts/${alert!.id}/incident`, { method: 'POST', body: {} });
    expect(incident.status).toBe(201);
    expect(incident.body).toMatchObject({ title: expect.stringContaining('Acme Shop'), ruleEnabled: true });
    expect(incident.body.ruleKeywords).toContain('error 502');
    expect((await api(`/community/alerts/${alert!.id}/incident`, { method: 'POST', body: {} })).status).toBe(409);
    socket.disconnect();
  });
});
