// The hand-over summary: the three lines an agent taking a conversation over needs, taken from
// the conversation itself (extractive: sentences as written, each linked to its message) —
// what the customer said that matters most, the last promise we made, and what is still open.
import type { Database } from '../../platform/db/client';

export interface SummaryLine {
  label: 'customer' | 'promise' | 'open';
  text: string;
  messageId: string | null;
}

interface Msg { id: string; direction: 'inbound' | 'outbound'; text: string; sentAt: Date; senderType: string }

// What makes a customer's sentence carry the case: a question, a number (order, amount, date),
// a need, a problem, urgency.
const CUES = /\?|\b\d{3,}\b|\b(need|want|can'?t|cannot|won'?t|not|never|still|again|broken|wrong|missing|late|refund|cancel|charged|twice|urgent|today|asap|help|problem|issue|error|no puedo|necesito|reembolso|todavía|nicht|kein|brauche|erstattung|immer noch|besoin|remboursement|toujours|pas)\b/gi;
// A promise, in the words agents use (and a few in Spanish, German and French).
const PROMISE = /\b(i'?ll|we'?ll|i will|we will|i am going to|we are going to|i'?m going to|we'?re going to|i have (escalated|asked|raised|forwarded)|i'?ve (escalated|asked|raised|forwarded)|you will (get|receive|hear)|you'?ll (get|receive|hear)|by (tomorrow|tonight|monday|tuesday|wednesday|thursday|friday|the end of)|within \d+|te (enviaremos|llamaremos|escribiremos)|vamos a|wir werden|ich werde|sie erhalten|nous allons|je vais|vous recevrez)\b/i;

export function sentencesOf(text: string): string[] {
  return text
    .replace(/\s+/g, ' ')
    .split(/(?<=[.!?¡¿])\s+(?=\p{Lu}|¿|¡|\d)|\n/u)
    .map((s) => s.trim())
    .filter((s) => s.length > 2);
}

/** The three lines, from the messages (oldest first). */
export function summarise(messages: Msg[], o: { resolved: boolean }): SummaryLine[] {
  const inbound = messages.filter((m) => m.direction === 'inbound');
  const ours = messages.filter((m) => m.direction === 'outbound' && m.senderType === 'agent');
  // Still open: the customer's words since our last answer, else what we are waiting for.
  // Automatic messages (acknowledgements) answer nothing: the last word is the customer's or an agent's.
  const last = messages.filter((m) => m.direction === 'inbound' || m.senderType === 'agent').at(-1);
  let open: SummaryLine;
  let openSentence: string | null = null;
  if (o.resolved) open = { label: 'open', text: 'Nothing: the conversation is resolved.', messageId: null };
  else if (last?.direction === 'inbound') {
    const since = inbound.filter((m) => !ours.length || m.sentAt > ours.at(-1)!.sentAt);
    const sentences = since.flatMap((m) => sentencesOf(m.text).map((s) => ({ s, m })));
    const asked = [...sentences].reverse().find((x) => x.s.includes('?')) ?? sentences.at(-1)!;
    openSentence = asked.s;
    open = { label: 'open', text: `Unanswered: ${asked.s}`, messageId: asked.m.id };
  } else if (last) open = { label: 'open', text: 'Waiting for the customer to answer our last message.', messageId: last.id };
  else open = { label: 'open', text: 'Nothing yet.', messageId: null };
  // The customer: their two sentences with the most cues (not the one still open, said below) (earlier ones first on a tie), in the order written.
  const scored = inbound.flatMap((m, mi) => sentencesOf(m.text).map((s, si) => ({ m, s, order: mi * 1000 + si, score: (s.match(CUES)?.length ?? 0) + Math.min(s.length, 160) / 160 })));
  // Not the sentence still open (the third line) — unless it is all they wrote.
  const candidates = scored.some((x) => x.s !== openSentence) ? scored.filter((x) => x.s !== openSentence) : scored;
  const key = [...candidates].sort((a, b) => b.score - a.score || a.order - b.order).slice(0, 2).sort((a, b) => a.order - b.order);
  const customer: SummaryLine = key.length
    ? { label: 'customer', text: key.map((k) => k.s).join(' … '), messageId: key[0]!.m.id }
    : { label: 'customer', text: 'The customer has not written yet.', messageId: null };
  // The last promise: the latest sentence of ours that commits to something.
  let promise: SummaryLine = { label: 'promise', text: 'No promise made yet.', messageId: null };
  for (const m of [...ours].reverse()) {
    const s = sentencesOf(m.text).reverse().find((x) => PROMISE.test(x));
    if (s) {
      promise = { label: 'promise', text: s, messageId: m.id };
      break;
    }
  }
  return [customer, promise, open];
}

export async function handOverSummary(db: Database, conversationId: string): Promise<SummaryLine[]> {
  const [{ rows }, c] = await Promise.all([
    db.pool.query<Msg>(
      `SELECT id, direction::text AS direction, text, sent_at AS "sentAt", sender_type::text AS "senderType" FROM messages
        WHERE conversation_id = $1 AND direction IN ('inbound', 'outbound') ORDER BY sent_at DESC, created_at DESC LIMIT 500`,
      [conversationId],
    ),
    db.prisma.conversation.findUniqueOrThrow({ where: { id: conversationId }, select: { status: true } }),
  ]);
  // The latest 500, oldest first.
  return summarise(rows.reverse(), { resolved: c.status === 'resolved' });
}
