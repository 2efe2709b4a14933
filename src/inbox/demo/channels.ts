// The newer channels on the first start: a WhatsApp number (one customer inside the 24-hour
// window, one whose window closed yesterday, so the composer's notice and template picker are
// there to try), an Instagram account (a DM, and comments under a post in the Community view),
// a Facebook page (a Messenger DM and a comment) and a Telegram bot. Their keys are environment variables the demo leaves unset: nothing is
// read from or sent to Meta or Telegram (acknowledgements are off for them), and a reply says
// so on the message.
import type { Database } from '../../platform/db/client';
import type { InboundMessageInput, Intake } from '../channels/contract';
import type { InboundPipeline } from '../pipeline/process-inbound';

const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000).toISOString();

export async function seedChannels(o: { db: Database; intake: Intake; pipeline: InboundPipeline }, memberIds: string[], teamId: string): Promise<void> {
  const { prisma } = o.db;
  const members = { create: memberIds.map((agentId) => ({ agentId })) };
  // Without their keys nothing can be sent: no automatic acknowledgement to fail in the log on the first start.
  const routing = { acknowledgement: { enabled: false, periodMinutes: 1440 } };
  const metaSecrets = { pageAccessToken: 'env:META_PAGE_TOKEN', appSecret: 'env:META_APP_SECRET', verifyToken: 'env:META_VERIFY_TOKEN' };
  const whatsapp = await prisma.inbox.create({
    data: {
      name: 'Acme on WhatsApp', kind: 'whatsapp', teamId, members, routing,
      config: {
        phoneNumberId: '106540352242922', displayPhoneNumber: '+14155550100', apiVersion: 'v21.0', automaticTemplate: 'we_are_back',
        templates: [
          { name: 'we_are_back', language: 'en_US', parameters: 0, text: 'We replied to your message: open this chat to read it.' },
          { name: 'order_update', language: 'en_US', parameters: 2, text: 'Hi {{1}}, about your order {{2}}: we have news for you. Reply to this message to read it.' },
        ],
      },
      secretRefs: { accessToken: 'env:WHATSAPP_ACCESS_TOKEN', appSecret: 'env:META_APP_SECRET', verifyToken: 'env:META_VERIFY_TOKEN' },
    },
  });
  const instagram = await prisma.inbox.create({ data: { name: 'Acme on Instagram', kind: 'instagram', teamId, members, routing, config: { accountId: '17841400000000001', pageId: '100000000000001', username: 'acme' }, secretRefs: metaSecrets } });
  const messenger = await prisma.inbox.create({ data: { name: 'Acme on Facebook', kind: 'messenger', teamId, members, routing, config: { pageId: '100000000000002', pageName: 'Acme' }, secretRefs: metaSecrets } });
  const telegram = await prisma.inbox.create({ data: { name: 'Acme on Telegram', kind: 'telegram', teamId, members, routing, config: { botUsername: 'acme_support_bot' }, secretRefs: { botToken: 'env:TELEGRAM_BOT_TOKEN', webhookSecret: 'env:TELEGRAM_WEBHOOK_SECRET' } } });

  const post = { url: 'https://www.instagram.com/p/C0ffee42/', likes: 1_240, replies: 87 };
  const messages: Array<[string, InboundMessageInput]> = [
    [whatsapp.id, { externalId: 'wamid.DEMO1', from: { name: 'Nora Ibsen', identities: [{ kind: 'whatsapp', address: '+14155550123' }, { kind: 'phone', address: '+14155550123' }] }, text: 'Hi, my order 5120 still shows "processing". Can you check?', sentAt: minutesAgo(26 * 60), thread: { continueOpen: true } }],
    [whatsapp.id, { externalId: 'wamid.DEMO2', from: { name: 'Raúl Ortega', identities: [{ kind: 'whatsapp', address: '+34600111222' }, { kind: 'phone', address: '+34600111222' }] }, text: 'Hola, ¿puedo cambiar la dirección de entrega de mi pedido 7788?', sentAt: minutesAgo(12), thread: { continueOpen: true } }],
    [instagram.id, { externalId: 'aWdfZAGDEMO1', from: { name: 'Lena Kraus', identities: [{ kind: 'instagram', address: '6541234567890123' }] }, text: 'Hi! Do you ship to Austria?', sentAt: minutesAgo(25), thread: { key: 'igsid:6541234567890123', continueOpen: true } }],
    ...[
      { id: '17850000000000101', from: '6541234567890777', username: 'omar.b', text: 'Third week waiting for my order. Terrible service @acme', minutes: 18 },
      { id: '17850000000000102', from: '6541234567890888', username: 'mia_styles', text: 'Love the new colours! 😍', minutes: 40 },
    ].map((c): [string, InboundMessageInput] => [instagram.id, {
      externalId: c.id, from: { name: c.username, identities: [{ kind: 'instagram', address: c.from }] }, text: c.text, sentAt: minutesAgo(c.minutes), conversationType: 'mention',
      thread: { key: `comment:${c.id}` }, metadata: { meta: { platform: 'instagram', commentId: c.id, postId: '17900000000000042', threadId: c.id, username: c.username, url: post.url, reach: { followers: 0, likes: post.likes, replies: post.replies } } },
    }]),
    [messenger.id, { externalId: 'm_DEMO1', from: { name: 'Sam Ortiz', identities: [{ kind: 'messenger', address: '2400000000000001' }] }, text: 'Hi, the kettle I ordered arrived with a cracked lid. What can I do?', sentAt: minutesAgo(70), thread: { key: 'psid:2400000000000001', continueOpen: true } }],
    [messenger.id, {
      externalId: '555000111_901234', from: { name: 'Jo Park', identities: [{ kind: 'messenger', address: '24242424242424242' }] }, text: 'Still waiting for my refund, three weeks now!', sentAt: minutesAgo(33), conversationType: 'mention',
      thread: { key: 'comment:555000111_901234' }, metadata: { meta: { platform: 'messenger', commentId: '555000111_901234', postId: '100000000000002_555000111', threadId: '555000111_901234', username: 'Jo Park', url: 'https://www.facebook.com/acme/posts/555000111', reach: { followers: 0, likes: 310, replies: 41 } } },
    }],
    [telegram.id, { externalId: 'tg:5550001:12', from: { name: 'Ivan Petrov', identities: [{ kind: 'telegram', address: '5550001' }] }, text: 'The app logs me out every time I switch networks.', sentAt: minutesAgo(55), thread: { key: 'chat:5550001', continueOpen: true } }],
  ];
  for (const [inboxId, m] of messages) await o.pipeline.process((await o.intake.accept(inboxId, m)).receiptId);
}
