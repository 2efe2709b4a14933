// Demo data for the zero-set-up start: agents, teams, inboxes and customer conversations
// that go through the real pipeline (so they are scored, threaded and prioritised exactly
// like live traffic). Runs only on an empty database.
import type { Database } from '../../platform/db/client';
import type { Logger } from '../../platform/logger';
import { hashPassword } from '../agents/passwords';
import { hashToken, newToken } from '../inboxes/directory';
import type { Intake } from '../pipeline/intake';
import type { InboundPipeline } from '../pipeline/process-inbound';
import type { Replies } from '../messages/reply';
import type { ConversationActions } from '../conversations/actions';

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
  return { email: admin.email, password: o.adminPassword, agents: [admin, sofia, ben, carla].map((a) => a.email), apiInbox: { id: web.id, token: webToken }, widgetInboxId: chat.id };
}
