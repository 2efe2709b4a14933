// Escalation risk, 0..1: how likely this customer is to escalate (complain publicly, leave,
// dispute the charge, sue). Each source of risk is a probability-like share, combined as
// independent chances: risk = 1 − Π (1 − share).
//
//   negativity   0.45 × P(negative)
//   cues         each cue's weight (legal 0.6, safety 0.6, chargeback 0.5, churn 0.4,
//                repeat contact 0.35, urgent 0.15)
//   worsening    0.3 × clamp(−slope / 0.5) when the mood falls over the last messages
//   exposure     0.2 for a public post
//   value        up to 0.15 for valuable customers (log scale, full at 100,000 a year)
import type { FoundCue } from './cues';

export interface RiskInput {
  negativeProbability: number;
  cues: FoundCue[];
  slope: number;
  isPublic: boolean;
  customerValue?: number | null;
}

export interface RiskPart {
  source: string;
  share: number;
}

export function escalationRisk(i: RiskInput): { risk: number; parts: RiskPart[] } {
  const parts: RiskPart[] = [];
  const add = (source: string, share: number) => share > 0.001 && parts.push({ source, share: Math.round(share * 1000) / 1000 });
  add('negativity', 0.45 * i.negativeProbability);
  for (const c of i.cues) add(`cue:${c.cue}`, c.weight);
  add('worsening', 0.3 * Math.max(0, Math.min(1, -i.slope / 0.5)));
  if (i.isPublic) add('public post', 0.2);
  if (i.customerValue) add('customer value', 0.15 * Math.max(0, Math.min(1, Math.log10(1 + i.customerValue) / 5)));
  const risk = 1 - parts.reduce((keep, p) => keep * (1 - p.share), 1);
  return { risk: Math.round(risk * 1000) / 1000, parts };
}
