// Urgency cues: phrases that mean a customer is about to escalate, whatever the overall
// sentiment says. Each cue has a weight (its share in the escalation risk) and reports the
// words that triggered it, so agents see why.

export interface CueRule {
  cue: string;
  weight: number;
  pattern: RegExp;
}

export const CUE_RULES: CueRule[] = [
  {
    cue: 'legal_threat',
    weight: 0.6,
    pattern:
      /\b(?:(?:my|a|an|our)\s+(?:lawyer|attorney|solicitor)s?|lawsuit|legal action|(?:i(?:'ll| will| am going to|'m going to)|we(?:'ll| will)|going to)\s+sue|sue (?:you|them|the company)|small claims|class action|take (?:you|this|it) to court|report(?:ing)? (?:you|this|it) to (?:the )?(?:bbb|ftc|cfpb|regulator|ombudsman|attorney general|trading standards)|consumer protection)\b/i,
  },
  {
    cue: 'chargeback',
    weight: 0.5,
    pattern: /\b(?:charge ?back|dispute (?:the|this|a) (?:charge|payment|transaction)|(?:call|contact|tell)(?:ing)? my (?:bank|credit card company)|reverse (?:the|this) (?:charge|payment)|dispute (?:it )?with my (?:bank|card))\b/i,
  },
  {
    cue: 'churn_intent',
    weight: 0.4,
    pattern:
      /\b(?:cancel(?:l?ing)? my (?:account|subscription|membership|plan|contract|service|order)|close my account|switch(?:ing)? to (?:a |another )?\w+|(?:never|won'?t|will not) (?:fly|buy|order|shop|use|book)(?:ing)? (?:with |from )?(?:you|this|here|again)|taking my (?:business|money) elsewhere|(?:i'?m|i am) done with (?:you|this)|last time i (?:use|buy|fly|order)|find(?:ing)? another (?:provider|company|airline|bank))\b/i,
  },
  {
    cue: 'repeat_contact',
    weight: 0.35,
    pattern:
      /\b(?:(?:third|3rd|fourth|4th|fifth|5th|tenth|\d+(?:th|rd|nd)?) time|again and again|still (?:waiting|no (?:answer|response|reply|refund|update)|haven'?t|have not|not (?:fixed|resolved|received))|(?:called|emailed|written|wrote|contacted|messaged|tweeted) (?:you )?(?:\d+|two|three|four|five|several|multiple|many) times|no(?:body| one) (?:has )?(?:answered|replied|responded|got back|called back)|(?:days|weeks|months) (?:and|&|with) no (?:answer|response|reply)|keep(?:s)? (?:getting|being) (?:ignored|transferred)|as i said before|for the last time)\b/i,
  },
  {
    cue: 'safety',
    weight: 0.6,
    pattern:
      /\b(?:fire|smoke|smoking|sparks?|sparking|burn(?:ed|t|ing)?|injur(?:y|ies|ed)|hurt|dangerous|unsafe|hazard(?:ous)?|electrocut\w*|explod\w*|poison\w*|allergic reaction|choking|emergency room|hospital|carbon monoxide|gas leak|(?:my|a) (?:child|kid|baby) (?:could|nearly|almost))\b/i,
  },
  {
    cue: 'urgent',
    weight: 0.15,
    pattern: /\b(?:urgent(?:ly)?|asap|a\.s\.a\.p|immediately|right now|right away|as soon as possible|time.?sensitive|deadline|by (?:today|tonight|tomorrow))\b/i,
  },
];

export interface FoundCue {
  cue: string;
  phrase: string;
  weight: number;
}

export function findCues(text: string): FoundCue[] {
  const out: FoundCue[] = [];
  for (const rule of CUE_RULES) {
    const m = rule.pattern.exec(text);
    if (m) out.push({ cue: rule.cue, phrase: m[0], weight: rule.weight });
  }
  return out;
}
