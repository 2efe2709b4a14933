// When a customer's message matches an incident's rule, in SQL over `m` (the message: text,
// subject, created_at), `i` (the incident) and `u` (category: the message's complaint type,
// conversation_category: its conversation's): inside the rule's window, of its complaint type
// when it names one, containing one of its keywords (lower-case, as stored) when it has any.
// The pipeline links new messages with it (write-batch.ts), opening a rule links those before
// (incidents.ts): one definition, so both agree.
export const INCIDENT_RULE_MATCH = `
  (i.rule_from IS NULL OR m.created_at >= i.rule_from) AND (i.rule_until IS NULL OR m.created_at <= i.rule_until)
  AND (i.rule_category IS NULL OR i.rule_category = u.category OR i.rule_category = u.conversation_category)
  AND (cardinality(i.rule_keywords) = 0
       OR EXISTS (SELECT 1 FROM unnest(i.rule_keywords) AS k(word) WHERE strpos(lower(coalesce(m.subject, '') || E'\\n' || m.text), k.word) > 0))`;

/** Keywords as stored and matched: trimmed, lower-case, no empties or repeats. */
export function normaliseKeywords(words: readonly string[]): string[] {
  return [...new Set(words.map((w) => w.trim().toLowerCase()).filter(Boolean))];
}
