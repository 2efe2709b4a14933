// Incidents' rules: messages of a complaint type (any when unset) containing one of the keywords
// (any text when none), written inside the rule's time window, join the incident. The pipeline
// matches each customer message as it is stored (the link commits with it); opening a rule links
// the conversations already matching (linkByRule in incidents.ts). Cached for a few seconds like
// routing rules: every message reads them, they change rarely.
import type { Database } from '../../platform/db/client';
import { TtlCache } from '../../platform/ttl-cache';

const TTL_MS = 5_000;

export interface IncidentRule {
  id: string;
  category: string | null;
  /** Lower-case; a message matches when its text or subject contains any of them. */
  keywords: string[];
  from: Date | null;
  until: Date | null;
}

/** Keywords as stored and matched: trimmed, lower-case, no empties or repeats. */
export function normaliseKeywords(words: readonly string[]): string[] {
  return [...new Set(words.map((w) => w.trim().toLowerCase()).filter(Boolean))];
}

/** The incidents (of those given) a customer's message belongs to. */
export function matchingIncidents(rules: readonly IncidentRule[], m: { text: string; subject?: string | null; categories: ReadonlyArray<string | null>; at: Date }): string[] {
  if (!rules.length) return [];
  const text = `${m.subject ?? ''}\n${m.text}`.toLowerCase();
  return rules
    .filter((r) => (!r.from || m.at >= r.from) && (!r.until || m.at <= r.until))
    .filter((r) => !r.category || m.categories.includes(r.category))
    .filter((r) => !r.keywords.length || r.keywords.some((k) => text.includes(k)))
    .map((r) => r.id);
}

/** The rules of incidents not resolved yet. */
export class IncidentRules {
  private readonly cache = new TtlCache<'all', IncidentRule[]>(TTL_MS, 1);

  constructor(private readonly db: Database) {}

  async all(): Promise<IncidentRule[]> {
    const hit = this.cache.get('all');
    if (hit) return hit;
    const rows = await this.db.prisma.incident.findMany({
      where: { ruleEnabled: true, status: { not: 'resolved' } },
      select: { id: true, ruleCategory: true, ruleKeywords: true, ruleFrom: true, ruleUntil: true },
    });
    const rules = rows.map((r) => ({ id: r.id, category: r.ruleCategory, keywords: r.ruleKeywords, from: r.ruleFrom, until: r.ruleUntil }));
    this.cache.set('all', rules);
    return rules;
  }

  clear(): void {
    this.cache.clear();
  }
}
