// What the server says as facts, said in the agent's language: the composer's channel notice
// (the reply rules' `noticeKey`) and why a conversation has its priority (each factor's data).
// The server's English stays the fallback for what was stored before its data was.
import type { ReplyNotice } from '../../../src/inbox/channels/contract';
import type { PriorityFactor } from '../../../src/routing/priority';
import { formatDuration, formatNumber } from './format';
import { t } from './text';

export function channelNotice(n: ReplyNotice): string {
  const w = t.composer.notice;
  if (n.key === 'publicReply') return w.publicReply(n.platform);
  const span = w.span(n.windowHours);
  const time = formatDuration((n.hours ?? 0) * 60);
  const then = n.templates ? w.chooseTemplate : w.waitForCustomer;
  if (n.key === 'windowCloses') return `${w.closes(n.platform, span, time)}${n.templates ? w.templatesAfter : ''}`;
  if (n.key === 'windowClosed') return w.closed(n.platform, span, time, then);
  return n.templates ? w.notWritten(n.platform, then) : w.isClosed(n.platform, span, then);
}

export type FactorFacts = Omit<PriorityFactor, 'factor'> & { factor: string };

/** One factor's detail ("wartet seit 4 Std."), or null when it has no data to say it from. */
export function factorDetail(f: FactorFacts): string | null {
  const w = t.why.said;
  const score = (x: unknown) => (typeof x === 'number' ? formatNumber(x, { minimumFractionDigits: 2, maximumFractionDigits: 2 }) : '—');
  if (f.raisedTo != null) return w.raised(f.raisedTo, f.by ?? null);
  if (f.answered) return w.answered;
  if (f.value === undefined) return null;
  switch (f.factor) {
    case 'negativity': return w.negativity(score(f.value));
    case 'risk': return w.risk(score(f.value));
    case 'urgency': return w.urgency(score(f.value));
    case 'complaint': return w.complaint(String(f.value ?? '—'));
    case 'waiting': return w.waiting(formatDuration(Number(f.value ?? 0)));
    case 'sla': return typeof f.value === 'number' ? (f.value < 0 ? w.slaMissed(formatDuration(-f.value)) : w.slaLeft(formatDuration(f.value))) : w.noSla;
    case 'value': return w.value(typeof f.value === 'number' ? formatNumber(f.value) : '—');
    case 'exposure': return f.value ? w.public : w.private;
    default: return null;
  }
}
