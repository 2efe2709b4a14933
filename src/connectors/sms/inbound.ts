// A provider's inbound SMS (already read from its webhook: SmsProvider.inbound) as
// InboundMessageInput: pure, tested with recorded payloads (test/channel-payloads.test.ts).
import { e164, type InboundMessageInput } from '../../inbox/channels/contract';
import { keywordOf, type Keyword } from './consent';
import type { InboundSms } from './provider';

/** The message, and the carrier keyword it is (STOP, START, HELP), if it is one. */
export function smsToInboundMessage(sms: InboundSms): { message: InboundMessageInput; from: string; keyword: Keyword | null } {
  const from = e164(sms.from);
  const keyword = keywordOf(sms.body);
  return {
    from,
    keyword,
    message: {
      externalId: sms.id,
      from: { identities: [{ kind: 'phone', address: from }] },
      text: sms.body,
      attachments: sms.media.map((m, i) => ({ fileName: `media-${i + 1}.${m.contentType.split('/')[1] ?? 'bin'}`, contentType: m.contentType, size: 0, url: m.url })),
      thread: { continueOpen: true },
      // A keyword is the customer talking to the carrier, not to us: never answered by routing.
      automated: keyword != null,
      metadata: { sms: { to: sms.to, ...(keyword ? { keyword } : {}) } },
    },
  };
}
