// Delivery status notifications (RFC 3464) and the bounces that only look like one, read by
// what they say happened: `failed` marks our mail failed, `delayed` is a note while the
// sender's server keeps trying, `delivered` / `relayed` / `expanded` mark it delivered.
import type { ParsedMail } from 'mailparser';

export type DeliveryOutcome = 'failed' | 'delayed' | 'delivered';

export interface DeliveryStatusReport {
  status: DeliveryOutcome;
  /** Message-IDs of our mail that the report is about. */
  originalMessageIds: string[];
  /** What an agent reads: who, what happened, the server's words. */
  reason: string;
}

interface RecipientStatus {
  recipient?: string;
  action?: string;
  status?: string;
  diagnostic?: string;
}

const MESSAGE_ID_LINE = /^(?:original-)?message-id:\s*(<[^>\s]+>)/gim;
const OUTCOME: Record<string, DeliveryOutcome> = { failed: 'failed', delayed: 'delayed', delivered: 'delivered', relayed: 'delivered', expanded: 'delivered' };
const SEVERITY: Record<DeliveryOutcome, number> = { failed: 2, delayed: 1, delivered: 0 };

/** The per-recipient fields of a delivery-status body: groups separated by blank lines. */
function recipientsOf(text: string): RecipientStatus[] {
  const out: RecipientStatus[] = [];
  for (const group of text.replace(/\r/g, '').replace(/\n[ \t]+/g, ' ').split(/\n\s*\n/)) {
    const field = (name: string) => new RegExp(`^${name}:\\s*(.+)$`, 'im').exec(group)?.[1]?.trim();
    const action = field('action')?.toLowerCase();
    const status = /([245]\.\d{1,3}\.\d{1,3})/.exec(field('status') ?? '')?.[1];
    if (!action && !status) continue;
    out.push({ recipient: field('final-recipient')?.replace(/^rfc822;\s*/i, ''), action, status, diagnostic: field('diagnostic-code')?.replace(/^smtp;\s*/i, '') });
  }
  return out;
}

function outcomeOf(r: RecipientStatus): DeliveryOutcome {
  if (r.action && OUTCOME[r.action]) return OUTCOME[r.action]!;
  return r.status?.startsWith('4') ? 'delayed' : r.status?.startsWith('2') ? 'delivered' : 'failed';
}

/** The report in this mail, or null when it is not one. */
export function deliveryStatusOf(mail: ParsedMail, fromAddress: string | null): DeliveryStatusReport | null {
  const type = mail.headers.get('content-type') as { value?: string; params?: Record<string, string> } | undefined;
  const isReport = type?.value === 'multipart/report' && /delivery-status/i.test(type.params?.['report-type'] ?? '');
  const fromDaemon = !!fromAddress && /^(mailer-daemon|postmaster)@/i.test(fromAddress);
  if (!isReport && !(fromDaemon && /undeliver|delivery (status|failure)|returned mail|failure notice/i.test(mail.subject ?? ''))) return null;

  const ids = new Set<string>();
  const texts = [mail.text ?? ''];
  for (const a of mail.attachments) {
    if (!/^(message\/rfc822|text\/rfc822-headers|message\/delivery-status|message\/global-delivery-status)$/i.test(a.contentType)) continue;
    texts.push(a.content.toString('utf8'));
  }
  for (const t of texts) for (const m of t.matchAll(MESSAGE_ID_LINE)) ids.add(m[1]!);

  const recipients = texts.flatMap(recipientsOf);
  // A report about several recipients is as bad as its worst one.
  const worst = recipients.reduce<RecipientStatus | null>((w, r) => (!w || SEVERITY[outcomeOf(r)] > SEVERITY[outcomeOf(w)] ? r : w), null);
  const status = worst ? outcomeOf(worst) : 'failed';
  const verb = { failed: 'bounced', delayed: 'delayed, the mail server keeps trying', delivered: 'delivered' }[status];
  const detail = worst?.diagnostic ?? (worst?.status ? `status ${worst.status}` : (mail.subject ?? 'delivery failed'));
  const reason = `${verb}${worst?.recipient ? ` for ${worst.recipient}` : ''}: ${detail}`;
  return { status, originalMessageIds: [...ids], reason };
}
