// Demo data for the zero-set-up start: agents, teams, inboxes and customer conversations
// that go through the real pipeline (so they are scored, threaded and prioritised exactly
// like live traffic). Runs only on an empty database.
import type { Database } from '../../platform/db/client';
import type { Listening } from '../community/listening';
import type { Logger } from '../../platform/logger';
import { hashPassword } from '../agents/passwords';
import { hashToken, newToken } from '../inboxes/directory';
import type { Intake } from '../pipeline/intake';
import type { InboundPipeline } from '../pipeline/process-inbound';
import type { Replies } from '../messages/reply';
import type { ConversationActions } from '../conversations/actions';
import { seedChannels } from './channels';
import { seedKnowledge } from './knowledge';

export interface DemoLogin {
  email: string;
  password: string;
  /** Every demo agent's email; all share the admin's password. */
  agents: string[];
  apiInbox: { id: string; token: string };
  /** A chat widget inbox, to try the widget as a customer. */
  widgetInboxId: string;
}

interface DemoMessage {
  inbox: 'web' | 'app';
  name: string;
  email: string;
  text: string;
  subject?: string;
  minutesAgo: number;
  /** An agent answered this one already. */
  answer?: string;
}

// Written for this demo: the situations a support team meets every day.
const MESSAGES: DemoMessage[] = [
  { inbox: 'web', name: 'Dana Whitfield', email: 'dana.whitfield@example.net', subject: 'Charged twice', minutesAgo: 95, text: 'I was charged twice for order #48213 and nobody has answered my last two emails. This is the third time I am writing. If this is not fixed today I will dispute the charge with my bank.' },
  { inbox: 'web', name: 'Dana Whitfield', email: 'dana.whitfield@example.net', minutesAgo: 20, text: 'Still waiting. Absolutely unacceptable.' },
  { inbox: 'app', name: 'Marco Bellini', email: 'marco.b@example.org', subject: 'Charger sparking', minutesAgo: 40, text: 'The replacement charger you sent me sparks when I plug it in. This is dangerous, my kid was next to it!' },
  { inbox: 'web', name: 'Priya Raman', email: 'priya.raman@example.com', subject: 'Where is my parcel?', minutesAgo: 180, text: 'My package was supposed to arrive on Monday and the tracking has not moved in five days. Can you tell me where it is?' },
  { inbox: 'app', name: 'Tom Okafor', email: 'tom.okafor@example.com', subject: 'App crashes on upload', minutesAgo: 60, text: 'The app crashes every time I try to upload a photo. iPhone 14, latest version. Really frustrating.' },
  { inbox: 'web', name: 'Lena Fischer', email: 'lena.fischer@example.de', subject: 'Cancel my plan', minutesAgo: 30, text: 'I want to cancel my subscription. The price went up again and I am switching to another provider.' },
  { inbox: 'web', name: 'Sam Carter', email: 'sam.carter@example.com', subject: 'Change account email', minutesAgo: 240, text: 'How do I change the email address on my account?', answer: 'Hi Sam, go to Settings → Profile → Email, enter the new address and confirm the link we send you.' },
  { inbox: 'app', name: 'Aiko Tanaka', email: 'aiko.tanaka@example.jp', subject: 'Thank you!', minutesAgo: 15, text: 'Just wanted to say the new dashboard is fantastic. Thanks to the whole team!' },
  { inbox: 'web', name: 'Rosa Jiménez', email: 'rosa.jimenez@example.es', subject: 'Factura', minutesAgo: 50, text: 'Hola, ¿pueden ayudarme con mi factura? No entiendo el cargo adicional de este mes.' },
  { inbox: 'web', name: 'Greg Novak', email: 'greg.novak@example.com', subject: 'Refund for returned shoes', minutesAgo: 300, text: 'Still waiting for my refund for the shoes I returned. It has been three weeks.' },
  { inbox: 'app', name: 'Nadia Petrova', email: 'nadia.p@example.com', subject: 'Second user', minutesAgo: 10, text: 'Can I add a second user to my plan?' },
];

export async function seedDemoData(o: {
  db: Database;
  intake: Intake;
  pipeline: InboundPipeline;
  replies: Replies;
  actions: ConversationActions;
  listening: Listening;
  logger: Logger;
  adminEmail: string;
  adminPassword: string;
}): Promise<DemoLogin | null> {
  const { prisma } = o.db;
  if ((await prisma.agent.count()) > 0) return null;
  o.logger.info('empty database: adding demo data');
  const passwordHash = await hashPassword(o.adminPassword);
  const agent = (email: string, name: string, role: 'admin' | 'supervisor' | 'agent', extra: { languages?: string[]; skills?: string[] } = {}) =>
    prisma.agent.create({ data: { email, name, role, passwordHash, availability: 'online', languages: extra.languages ?? ['en'], skills: extra.skills ?? [] } });
  const admin = await agent(o.adminEmail.toLowerCase(), 'Alex Admin', 'admin');
  const sofia = await agent('sofia@example.com', 'Sofia Supervisor', 'supervisor', { languages: ['en', 'es'], skills: ['billing', 'escalations'] });
  const ben = await agent('ben@example.com', 'Ben Agent', 'agent', { skills: ['delivery', 'technical'] });
  const carla = await agent('carla@example.com', 'Carla Agent', 'agent', { languages: ['en', 'es'], skills: ['billing', 'refund'] });
  const support = await prisma.team.create({ data: { name: 'Support', description: 'First line', members: { create: [ben, carla].map((a) => ({ agentId: a.id })) } } });
  await prisma.team.create({ data: { name: 'Escalations', description: 'Second line and supervisors', members: { create: [{ agentId: sofia.id }] } } });
  for (const [name, color] of [['vip', '#b45309'], ['bug', '#dc2626'], ['refund', '#2563eb']] as const) await prisma.label.create({ data: { name, color } });

  const webToken = newToken();
  const inboxFor = async (name: string, token: string) =>
    prisma.inbox.create({
      data: { name, kind: 'api', tokenHash: hashToken(token), teamId: support.id, members: { create: [sofia, ben, carla].map((a) => ({ agentId: a.id })) } },
    });
  const web = await inboxFor('Website contact form', webToken);
  const app = await inboxFor('Mobile app', newToken());
  const chat = await prisma.inbox.create({
    data: { name: 'Website chat', kind: 'widget', config: { allowedOrigins: ['*'] }, teamId: support.id, members: { create: [sofia, ben, carla].map((a) => ({ agentId: a.id })) } },
  });

  let n = 0;
  for (const m of MESSAGES) {
    const inboxId = m.inbox === 'web' ? web.id : app.id;
    const sentAt = new Date(Date.now() - m.minutesAgo * 60_000).toISOString();
    const accepted = await o.intake.accept(inboxId, {
      externalId: `demo-${++n}`,
      from: { name: m.name, identities: [{ kind: 'email', address: m.email }] },
      text: m.text,
      subject: m.subject,
      sentAt,
      thread: { continueOpen: true },
    });
    // Processed here and now so the demo is complete before the URL is printed (the worker
    // may have picked it up first: either way the message now exists).
    await o.pipeline.process(accepted.receiptId);
    if (m.answer) {
      const { conversationId } = await prisma.message.findUniqueOrThrow({ where: { id: accepted.messageId }, select: { conversationId: true } });
      await o.replies.fromAgent(ben.id, conversationId, { text: m.answer });
      await o.actions.assign({ type: 'agent', id: ben.id, name: ben.name }, conversationId, { assigneeId: ben.id });
    }
  }
  // The customer record: a plan attribute on a few customers, and the shop's CRM entry for Dana
  // (the address she writes from, unverified there), which the Duplicates queue suggests merging.
  await prisma.contactAttribute.create({ data: { key: 'plan', label: 'Plan', type: 'list', options: ['free', 'plus', 'business'] } });
  for (const [email, plan] of [['dana.whitfield@example.net', 'business'], ['marco.b@example.org', 'plus'], ['priya.raman@example.com', 'free']] as const) {
    await prisma.contact.updateMany({ where: { identities: { some: { kind: 'email', address: email } } }, data: { attributes: { plan } } });
  }
  await prisma.contact.create({ data: { name: 'Dana Whitfield', email: 'dana.whitfield@example.net', tier: 'gold', customerValue: 4200, identities: { create: { kind: 'api', address: 'shop-customer-48213' } } } });
  // An incident the app crash belongs to, with a rule that links the next customers reporting it.
  const crash = await prisma.conversation.findFirst({ where: { subject: 'App crashes on upload' }, select: { id: true } });
  await prisma.incident.create({
    data: {
      title: 'Photo upload crashes the iOS app', status: 'identified', createdById: sofia.id,
      description: 'a fix for photo uploads in the iOS app is out in version 4.2.1',
      ruleEnabled: true, ruleKeywords: ['upload', 'crash'], ruleFrom: new Date(Date.now() - 86_400_000),
      links: crash ? { create: { conversationId: crash.id, linkedBy: 'rule' } } : undefined,
    },
  });
  await seedSocial(o, [sofia, ben, carla].map((a) => a.id), support.id);
  await seedChannels(o, [sofia, ben, carla].map((a) => a.id), support.id);
  await seedKnowledge(o.db, admin.id);
  return { email: admin.email, password: o.adminPassword, agents: [admin, sofia, ben, carla].map((a) => a.email), apiInbox: { id: web.id, token: webToken }, widgetInboxId: chat.id };
}

// The community manager's side: an X inbox (reading paused: the demo needs no network or keys)
// with mentions of the brand already in, and two listening topics — the brand and a competitor
// — with what they found over the last days, so the Community view, share of voice and the
// promotion of a post are there to try on the first start.
const MENTIONS = [
  { id: '1860000000000000001', username: 'jet_setter_jo', name: 'Jo Park', followers: 84_000, minutesAgo: 35, text: '@acme_help my card was charged twice for one order and nobody replies. Fix this now!' },
  { id: '1860000000000000002', username: 'pat_reads', name: 'Pat', followers: 310, minutesAgo: 80, text: '@acme_help does the spring sale include the kids range?' },
  { id: '1860000000000000003', username: 'lena_builds', name: 'Lena', followers: 2_100, minutesAgo: 150, text: '@acme_help thanks, the replacement arrived in one day. Great service!' },
];
const LISTENED: Array<{ topic: 'brand' | 'competitor'; username: string; followers: number; hoursAgo: number; text: string }> = [
  { topic: 'brand', username: 'frugal_fran', followers: 1_200, hoursAgo: 1, text: 'acme checkout keeps failing with error 502, third time today' },
  { topic: 'brand', username: 'techwatch', followers: 45_000, hoursAgo: 2, text: 'Acme checkout down for many users right now? Seeing error 502 reports' },
  { topic: 'brand', username: 'sam_shops', followers: 90, hoursAgo: 3, text: 'got my acme order early, love the packaging' },
  { topic: 'brand', username: 'dealhunter', followers: 5_400, hoursAgo: 20, text: 'acme spring sale is live, 30% off jackets' },
  { topic: 'brand', username: 'ria_k', followers: 300, hoursAgo: 30, text: 'acme delivery was late again and the box was damaged. Not impressed.' },
  { topic: 'brand', username: 'momof3', followers: 700, hoursAgo: 44, text: 'the acme kids range is really good quality' },
  { topic: 'competitor', username: 'dealhunter', followers: 5_400, hoursAgo: 5, text: 'globex has free shipping this week' },
  { topic: 'competitor', username: 'ana_v', followers: 220, hoursAgo: 26, text: 'globex support took a week to answer me, terrible' },
  { topic: 'competitor', username: 'kit_reviews', followers: 12_000, hoursAgo: 50, text: 'globex vs acme: globex app is smoother, acme prices better' },
];

async function seedSocial(o: { db: Database; intake: Intake; pipeline: InboundPipeline; listening: Listening }, memberIds: string[], teamId: string): Promise<void> {
  const { prisma } = o.db;
  const x = await prisma.inbox.create({
    data: {
      name: 'Acme on X', kind: 'twitter', teamId,
      config: { handle: 'acme_help', userId: '1000000000000000099', reading: false },
      secretRefs: Object.fromEntries(['appKey', 'appSecret', 'accessToken', 'accessSecret'].map((k) => [k, `env:X_${k.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`])),
      members: { create: memberIds.map((agentId) => ({ agentId })) },
    },
  });
  for (const m of MENTIONS) {
    const url = `https://x.com/${m.username}/status/${m.id}`;
    const accepted = await o.intake.accept(x.id, {
      externalId: `tweet:${m.id}`, from: { name: m.name, identities: [{ kind: 'twitter', address: m.username }] }, text: m.text,
      sentAt: new Date(Date.now() - m.minutesAgo * 60_000).toISOString(), conversationType: 'mention', thread: { key: `tweet:${m.id}` },
      metadata: { twitter: { tweetId: m.id, username: m.username, url, reach: { followers: m.followers, retweets: 0, likes: 0, replies: 0, quotes: 0 } } },
    });
    await o.pipeline.process(accepted.receiptId);
  }
  const topics = {
    brand: await prisma.listeningTopic.create({ data: { inboxId: x.id, name: 'Acme', query: '(acme OR "acme shop" OR acmeshop) -from:acme_help -is:retweet', kind: 'brand', promoteMinFollowers: 20_000 } }),
    competitor: await prisma.listeningTopic.create({ data: { inboxId: x.id, name: 'Globex', query: 'globex -is:retweet', kind: 'competitor' } }),
  };
  let n = 0;
  for (const kind of ['brand', 'competitor'] as const) {
    await o.listening.accept(x.id, topics[kind].id, LISTENED.filter((p) => p.topic === kind).map((p) => {
      const id = String(1870000000000000000n + BigInt(++n));
      const url = `https://x.com/${p.username}/status/${id}`;
      return {
        postId: id, text: p.text, url, author: { username: p.username, followers: p.followers }, postedAt: new Date(Date.now() - p.hoursAgo * 3_600_000).toISOString(),
        metrics: { retweets: 0, likes: 0, replies: 0, quotes: 0 },
        asMention: { externalId: `tweet:${id}`, from: { identities: [{ kind: 'twitter', address: p.username }] }, text: p.text, conversationType: 'mention', thread: { key: `tweet:${id}` }, metadata: { twitter: { tweetId: id, username: p.username, url, reach: { followers: p.followers } } } },
      };
    }));
  }
}
