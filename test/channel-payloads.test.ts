// Every connector turns its provider's payload into an InboundMessageInput with a pure function;
// here each is fed payloads recorded in the provider's documented wire format
// (test/fixtures/payloads), and what it makes must pass the inbox's own intake schema.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { inboundMessageSchema } from '../src/inbox/pipeline/inbound-message';
import { TwilioProvider } from '../src/connectors/sms/twilio';
import { smsToInboundMessage } from '../src/connectors/sms/inbound';
import { isConversationMessage, slackToInboundMessage, type SlackMessageEvent } from '../src/connectors/slack/inbound';
import { dmToInboundMessage, mentionToInboundMessage, type DmEvent, type Tweet, type XUser } from '../src/connectors/twitter/inbound';
import { fileOf, telegramToInboundMessage, type TgUpdate } from '../src/connectors/telegram/inbound';
import { mediaOf, statusReport, valuesFor, whatsappToInboundMessage, type WaWebhook } from '../src/connectors/whatsapp/inbound';
import { commentOf, commentToInboundMessage, mediaOf as mediaOfMeta, messageToInboundMessage, type MetaWebhook } from '../src/connectors/meta/inbound';

const payload = <T>(name: string): T => JSON.parse(fs.readFileSync(path.resolve(import.meta.dirname, 'fixtures/payloads', name), 'utf8')) as T;
const accepted = (m: unknown) => {
  const r = inboundMessageSchema.safeParse(m);
  expect(r.success, JSON.stringify(r.error?.issues)).toBe(true);
  return r.data!;
};

describe('SMS (Twilio webhook form fields)', () => {
  const twilio = new TwilioProvider({ apiUrl: 'https://api.twilio.com', accountSid: 'AC0123456789abcdef0123456789abcdef', authToken: 'x', from: '+14155550100' });

  it('makes an MMS a message from the phone number, with its media', () => {
    const { message, from, keyword } = smsToInboundMessage(twilio.inbound(payload('twilio-inbound-mms.json')));
    expect(keyword).toBeNull();
    expect(from).toBe('+14155550123');
    expect(accepted(message)).toMatchObject({
      externalId: 'MM6f3b8f1e0c2d4b6a8e0f1a2b3c4d5e6f',
      from: { identities: [{ kind: 'phone', address: '+14155550123' }] },
      text: 'My order 4471 arrived broken, photo attached',
      attachments: [{ fileName: 'media-1.jpeg', contentType: 'image/jpeg', url: expect.stringContaining('/Media/ME0123') }],
      automated: false,
      metadata: { sms: { to: '+14155550100' } },
    });
  });

  it('marks a carrier keyword as automated (never answered by routing), and says which', () => {
    const { message, keyword } = smsToInboundMessage(twilio.inbound(payload('twilio-inbound-stop.json')));
    expect(keyword).toBe('stop');
    expect(accepted(message)).toMatchObject({ automated: true, metadata: { sms: { keyword: 'stop' } } });
  });
});

describe('Slack (Events API message events)', () => {
  const event = payload<{ event: SlackMessageEvent }>('slack-message-thread-reply.json').event;

  it('makes a customer\'s reply in a thread inbound, threaded by the thread\'s ts, with their files', () => {
    expect(isConversationMessage(event)).toBe(true);
    expect(accepted(slackToInboundMessage(event, { name: 'Carla Customer', email: 'carla@customer.test', agentId: null }))).toMatchObject({
      externalId: 'C0123456789:1764763200.000200',
      direction: 'inbound',
      from: { name: 'Carla Customer', identities: [{ kind: 'slack', address: 'T0123ABCD:U0CUSTOMER' }, { kind: 'email', address: 'carla@customer.test' }] },
      thread: { key: '1764760000.000100' },
      sentAt: '2025-12-03T12:00:00.000Z',
      attachments: [{ fileName: 'screenshot.png', contentType: 'image/png', size: 52311 }],
    });
  });

  it('makes a colleague\'s reply our side of the customer\'s conversation', () => {
    const m = accepted(slackToInboundMessage(event, { name: 'Ada Agent', email: 'ada@acme.test', agentId: '4d1b2a4e-1e7a-4a51-9f0e-6f1d3c2b1a00' }, ['T0123ABCD:U0CUSTOMER']));
    expect(m).toMatchObject({ direction: 'outbound', from: { identities: [{ kind: 'slack', address: 'T0123ABCD:U0CUSTOMER' }] }, metadata: { slack: { agentId: '4d1b2a4e-1e7a-4a51-9f0e-6f1d3c2b1a00' } } });
    expect(m.from.name).toBeUndefined();
  });

  it('leaves joins, bots and edits out of the conversation', () => {
    for (const e of payload<SlackMessageEvent[]>('slack-message-noise.json')) expect(isConversationMessage(e), e.subtype).toBe(false);
  });
});

describe('X (API v2 mentions and DM events)', () => {
  it('makes a mention a public conversation with its reach', () => {
    const page = payload<{ data: Tweet[]; includes: { users: XUser[] } }>('x-mentions.json');
    expect(accepted(mentionToInboundMessage(page.data[0]!, page.includes.users[0]))).toMatchObject({
      externalId: 'tweet:1864000000000000001',
      conversationType: 'mention',
      from: { name: 'Dana Loud', identities: [{ kind: 'twitter', address: 'danaloud' }] },
      thread: { key: 'tweet:1864000000000000001', continueOpen: false },
      metadata: { twitter: { url: 'https://x.com/danaloud/status/1864000000000000001', reach: { followers: 18200, retweets: 12, likes: 40, replies: 3, quotes: 1 } } },
    });
  });

  it('makes a customer\'s DM a private conversation, and skips our own and other events', () => {
    const page = payload<{ data: DmEvent[]; includes: { users: XUser[] } }>('x-dm-events.json');
    const made = page.data.map((e) => dmToInboundMessage(e, page.includes.users.find((u) => u.id === e.sender_id), '1111111111'));
    expect(made.map((m) => m && accepted(m).externalId)).toEqual(['dm:1864100000000000002', null, null]);
    expect(made[0]).toMatchObject({ conversationType: 'direct', thread: { key: 'dm:987654321-1111111111' }, from: { name: 'Sam Locked', identities: [{ kind: 'twitter', address: 'samlocked' }] } });
  });
});

describe('Telegram (Bot API updates)', () => {
  const [text, photo, group] = payload<TgUpdate[]>('telegram-updates.json');

  it('makes a private chat\'s message a message from the Telegram user, threaded by the chat', () => {
    expect(accepted(telegramToInboundMessage(text!.message!))).toMatchObject({
      externalId: 'tg:5511223344:312',
      from: { name: 'Marta Silva', identities: [{ kind: 'telegram', address: '5511223344' }] },
      text: 'Olá, meu pedido 9921 chegou quebrado',
      sentAt: '2025-12-04T09:20:00.000Z',
      thread: { key: 'chat:5511223344', continueOpen: true },
      metadata: { telegram: { chatId: 5511223344, messageId: 312, username: 'marta_s' } },
    });
  });

  it('keeps the largest size of a photo, its caption as the text, and the message it answers', () => {
    expect(fileOf(photo!.message!)).toMatchObject({ file_id: 'AgACAgQAAxkBAAIBOWXlarge', fileName: 'photo-313.jpg', contentType: 'image/jpeg' });
    const stored = [{ fileName: 'photo-313.jpg', contentType: 'image/jpeg', size: 83120, storageKey: 'ab/cdef' }];
    expect(accepted(telegramToInboundMessage(photo!.message!, stored))).toMatchObject({ text: 'foto da caixa', attachments: stored, thread: { inReplyTo: 'tg:5511223344:312' } });
  });

  it('leaves group chats alone', () => {
    expect(telegramToInboundMessage(group!.message!)).toBeNull();
  });
});

describe('WhatsApp (Cloud API webhook)', () => {
  const body = payload<WaWebhook>('whatsapp-webhook.json');
  const values = valuesFor(body, '106540352242922');

  it('reads messages and statuses of our number only', () => {
    expect(values).toHaveLength(2);
    expect(valuesFor(body, '999')).toEqual([]);
  });

  it('makes a text a message from the E.164 number with the profile name', () => {
    const [text] = values[0]!.messages!;
    expect(accepted(whatsappToInboundMessage(text!, values[0]!))).toMatchObject({
      externalId: text!.id,
      from: { name: 'Sheena Nelson', identities: [{ kind: 'whatsapp', address: '+16505551234' }, { kind: 'phone', address: '+16505551234' }] },
      text: 'Does it come in another color?',
      sentAt: '2025-06-08T20:59:43.000Z',
      thread: { continueOpen: true },
    });
  });

  it('keeps an image\'s caption and the message it answers; a shared contact in words', () => {
    const [, image, contact] = values[0]!.messages!;
    expect(mediaOf(image!)).toMatchObject({ id: '1003383421387256', kind: 'image', mime_type: 'image/jpeg' });
    const stored = [{ fileName: 'image-1.jpeg', contentType: 'image/jpeg', size: 10, storageKey: 'k' }];
    expect(accepted(whatsappToInboundMessage(image!, values[0]!, stored))).toMatchObject({ text: 'This one', attachments: stored, thread: { inReplyTo: 'wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBI0RjQ4QkRDNUY3NkQ0NEJDNTkA' } });
    expect(accepted(whatsappToInboundMessage(contact!, values[0]!)).text).toBe('Contact: Barbara Johnson +1 (940) 555-1234');
  });

  it('reports a failed message with Meta\'s reason', () => {
    expect(statusReport(values[1]!.statuses![0]!)).toEqual({ externalId: 'wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBI3MTE5MjVBOTE3MDk5QUVFM0YA', status: 'failed', error: '131047 Re-engagement message: Re-engagement message' });
  });
});

describe('Messenger (a page\'s webhook: messaging and feed)', () => {
  const entry = payload<MetaWebhook>('messenger-webhook.json').entry![0]!;
  const [photo, echo, delivery, edit] = entry.messaging!;

  it('makes a customer\'s message a DM threaded by their page-scoped id, its photo to be kept; our echoes are not customers\'', () => {
    const stored = [{ fileName: 'image-1.jpeg', contentType: 'image/jpeg', size: 10, storageKey: 'k' }];
    expect(accepted(messageToInboundMessage(photo!, 'messenger', { name: 'Sam Ortiz', stored }))).toMatchObject({
      externalId: photo!.message!.mid,
      from: { name: 'Sam Ortiz', identities: [{ kind: 'messenger', address: '7410852963012345' }] },
      text: 'The kettle arrived broken, see photo',
      sentAt: '2025-06-08T20:59:42.910Z',
      conversationType: 'direct',
      thread: { key: 'psid:7410852963012345', continueOpen: true },
      attachments: stored,
    });
    expect(mediaOfMeta(photo!)).toEqual([{ type: 'image', url: expect.stringContaining('fbcdn.net') }]);
    expect(messageToInboundMessage(echo!, 'messenger')).toBeNull();
    expect(messageToInboundMessage(delivery!, 'messenger')).toBeNull();
    expect(delivery!.delivery!.mids).toEqual(['m_OUT_1', 'm_OUT_2']);
    expect(edit!.message_edit!.text).toContain('order 8812');
  });

  it('makes a comment under the page\'s post a public conversation per comment thread, with the post\'s link and reach; reactions are not comments', () => {
    const [top, reply, reaction] = entry.changes!;
    const c = commentOf(top!, 'messenger')!;
    expect(c).toMatchObject({ id: '555000111_901234', postId: '109876543210987_555000111', threadId: '555000111_901234', from: { id: '24242424242424242', name: 'Jo Park' }, verb: 'add' });
    expect(commentOf(reply!, 'messenger')!.threadId).toBe('555000111_901234');
    expect(commentOf(reaction!, 'messenger')).toBeNull();
    expect(accepted(commentToInboundMessage(c, 'messenger', { url: 'https://www.facebook.com/acme/posts/pfbid02abc', likes: 310, comments: 41 }))).toMatchObject({
      externalId: '555000111_901234',
      from: { name: 'Jo Park', identities: [{ kind: 'messenger', address: '24242424242424242' }] },
      text: 'Still waiting for my refund, three weeks now!',
      sentAt: '2025-06-08T21:01:00.000Z',
      conversationType: 'mention',
      thread: { key: 'comment:555000111_901234' },
      metadata: { meta: { platform: 'messenger', url: 'https://www.facebook.com/acme/posts/pfbid02abc', reach: { likes: 310, replies: 41 } } },
    });
  });
});

describe('Instagram (an account\'s webhook: messaging and comments)', () => {
  const entry = payload<MetaWebhook>('instagram-webhook.json').entry![0]!;

  it('makes a DM a message threaded by the Instagram-scoped id; a story mention keeps its link', () => {
    const [text, story, read] = entry.messaging!;
    expect(accepted(messageToInboundMessage(text!, 'instagram'))).toMatchObject({ from: { identities: [{ kind: 'instagram', address: '6541234567890123' }] }, thread: { key: 'igsid:6541234567890123' }, text: 'Hi! My parcel 7731 is late, any news?' });
    expect(accepted(messageToInboundMessage(story!, 'instagram')).text).toContain('lookaside.fbsbx.com');
    expect(messageToInboundMessage(read!, 'instagram')).toBeNull();
  });

  it('threads a reply to a comment with it; a caption mention is not a comment', () => {
    const [top, reply, mention] = entry.changes!;
    expect(commentOf(top!, 'instagram')).toMatchObject({ id: '17850000000000101', threadId: '17850000000000101', postId: '17900000000000042', from: { id: '6541234567890123', username: 'lena.k' } });
    expect(commentOf(reply!, 'instagram')!.threadId).toBe('17850000000000101');
    expect(commentOf(mention!, 'instagram')).toBeNull();
    expect(accepted(commentToInboundMessage(commentOf(top!, 'instagram')!, 'instagram', { likes: 1200, comments: 87, reach: 52_000 })).metadata).toMatchObject({ meta: { username: 'lena.k', reach: { followers: 0, likes: 1200, replies: 87, reach: 52_000 } } });
  });
});
