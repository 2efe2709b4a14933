// What the WhatsApp Cloud API posts to a webhook (entry → changes → value: messages and
// statuses) as InboundMessageInput and delivery reports: pure, tested with recorded payloads
// (test/channel-payloads.test.ts). Media are fetched before (the connector stores them and
// passes their storage keys by media id). The sender is known by their WhatsApp number and,
// the same digits, their phone number (both E.164): a customer known by SMS is the same
// contact, who then has both identities (each channel keeps its own STOP).
import type { InboundMessageInput } from '../../inbox/channels/contract';

export interface WaMedia { id: string; mime_type?: string; caption?: string; filename?: string }
export interface WaMessage {
  from: string;
  id: string;
  timestamp: string;
  type: string;
  text?: { body: string };
  image?: WaMedia;
  document?: WaMedia;
  audio?: WaMedia;
  video?: WaMedia;
  sticker?: WaMedia;
  location?: { latitude: number; longitude: number; name?: string; address?: string };
  contacts?: Array<{ name?: { formatted_name?: string }; phones?: Array<{ phone?: string }> }>;
  button?: { text?: string };
  interactive?: { button_reply?: { title?: string }; list_reply?: { title?: string } };
  context?: { id?: string };
}
export interface WaStatus { id: string; status: 'sent' | 'delivered' | 'read' | 'failed'; timestamp: string; recipient_id: string; errors?: Array<{ code?: number; title?: string; message?: string }> }
export interface WaValue {
  messaging_product?: string;
  metadata?: { display_phone_number?: string; phone_number_id?: string };
  contacts?: Array<{ profile?: { name?: string }; wa_id: string }>;
  messages?: WaMessage[];
  statuses?: WaStatus[];
}
export interface WaWebhook { object?: string; entry?: Array<{ id?: string; changes?: Array<{ field?: string; value?: WaValue }> }> }

const MEDIA_TYPES = ['image', 'document', 'audio', 'video', 'sticker'] as const;

/** The media of a message, if it has one. */
export function mediaOf(m: WaMessage): (WaMedia & { kind: string }) | null {
  for (const kind of MEDIA_TYPES) if (m[kind]) return { ...m[kind]!, kind };
  return null;
}

/** The values of a webhook that concern this phone number id. */
export function valuesFor(body: WaWebhook, phoneNumberId: string): WaValue[] {
  return (Array.isArray(body.entry) ? body.entry : [])
    .flatMap((e) => (Array.isArray(e?.changes) ? e.changes : []))
    .filter((c) => c?.field === 'messages' && c.value?.metadata?.phone_number_id === phoneNumberId)
    .map((c) => c.value!);
}

function textOf(m: WaMessage): string {
  if (m.text) return m.text.body;
  const media = mediaOf(m);
  if (media) return media.caption ?? '';
  if (m.location) {
    const where = [m.location.name, m.location.address].filter(Boolean).join(', ');
    return `📍 ${where ? `${where} ` : ''}(${m.location.latitude}, ${m.location.longitude})`;
  }
  if (m.contacts) return m.contacts.map((c) => `Contact: ${c.name?.formatted_name ?? ''} ${(c.phones ?? []).map((p) => p.phone).filter(Boolean).join(', ')}`.trim()).join('\n');
  return m.button?.text ?? m.interactive?.button_reply?.title ?? m.interactive?.list_reply?.title ?? '';
}

/** The sender's number in E.164 (WhatsApp sends the digits alone). */
export const numberOf = (m: Pick<WaMessage, 'from'>) => `+${m.from.replace(/^\+/, '')}`;

/** A customer's message; `stored`: its media, kept by the connector. */
export function whatsappToInboundMessage(m: WaMessage, value: WaValue, stored: Array<{ fileName: string; contentType: string; size: number; storageKey: string }> = []): InboundMessageInput {
  const name = value.contacts?.find((c) => c.wa_id === m.from)?.profile?.name;
  return {
    externalId: m.id,
    from: { name, identities: [{ kind: 'whatsapp', address: numberOf(m) }, { kind: 'phone', address: numberOf(m) }] },
    text: textOf(m),
    sentAt: new Date(Number(m.timestamp) * 1000).toISOString(),
    thread: { continueOpen: true, ...(m.context?.id ? { inReplyTo: m.context.id } : {}) },
    attachments: stored,
    metadata: { whatsapp: { type: m.type, ...(m.location ? { location: m.location } : {}) } },
  };
}

/** Our message's new status, as the delivery reports take it. */
export function statusReport(s: WaStatus): { externalId: string; status: 'sent' | 'delivered' | 'read' | 'failed'; error?: string } {
  const e = s.errors?.[0];
  return { externalId: s.id, status: s.status, ...(s.status === 'failed' ? { error: e ? `${e.code ?? ''} ${e.title ?? ''}${e.message ? `: ${e.message}` : ''}`.trim() : 'failed' } : {}) };
}
