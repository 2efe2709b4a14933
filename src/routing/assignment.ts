// Who gets a conversation. Only available agents who may work it (member of the inbox, in
// the team, with the skill, speaking the customer's language) and have room under their
// capacity. Balanced: the fewest open conversations for their capacity. Round robin: whoever
// was assigned least recently. Both break ties by least recent assignment, so over many
// conversations every candidate gets within one of an equal share.

export interface Candidate {
  id: string;
  availability: 'online' | 'busy' | 'offline';
  capacity: number;
  /** Open conversations assigned to the agent now. */
  openLoad: number;
  lastAssignedAt: Date | null;
  skills: string[];
  languages: string[];
  teamIds: string[];
  inboxIds: string[];
  role: string;
}

export interface AssignmentNeed {
  inboxId: string;
  teamId?: string | null;
  skill?: string | null;
  /** ISO 639-3 of the customer's message; agents without languages set speak any. */
  language?: string | null;
  /** Skills of the form "channel:<kind>" restrict channels when an agent has any. */
  channel?: string | null;
  strategy: 'balanced' | 'round_robin';
  /** Not this agent (e.g. the one who just went offline). */
  exclude?: string[];
}

export function eligible(a: Candidate, n: AssignmentNeed): boolean {
  if (a.availability !== 'online' || a.openLoad >= a.capacity) return false;
  if (n.exclude?.includes(a.id)) return false;
  if (a.role !== 'admin' && !a.inboxIds.includes(n.inboxId)) return false;
  if (n.teamId && !a.teamIds.includes(n.teamId)) return false;
  if (n.skill && !a.skills.includes(n.skill)) return false;
  if (n.language && n.language !== 'und' && a.languages.length && !a.languages.some((l) => sameLanguage(l, n.language!))) return false;
  const channels = a.skills.filter((s) => s.startsWith('channel:'));
  if (n.channel && channels.length && !channels.includes(`channel:${n.channel}`)) return false;
  return true;
}

// Agents' languages may be written "en" or "eng".
const TWO_LETTER: Record<string, string> = { eng: 'en', spa: 'es', por: 'pt', fra: 'fr', deu: 'de', ita: 'it', nld: 'nl', pol: 'pl', swe: 'sv', dan: 'da', nob: 'nb', fin: 'fi', tur: 'tr', rus: 'ru', ukr: 'uk', ara: 'ar', hin: 'hi', jpn: 'ja', cmn: 'zh', kor: 'ko', vie: 'vi', ind: 'id', ron: 'ro', ces: 'cs', ell: 'el', heb: 'he' };
const sameLanguage = (agent: string, code: string) => agent.toLowerCase() === code || agent.toLowerCase() === TWO_LETTER[code];

const lastAt = (a: Candidate) => a.lastAssignedAt?.getTime() ?? 0;

/** The agent to assign, or null when nobody eligible has room. */
export function chooseAgent(candidates: readonly Candidate[], n: AssignmentNeed): Candidate | null {
  let best: Candidate | null = null;
  for (const a of candidates) {
    if (!eligible(a, n)) continue;
    if (!best || better(a, best, n.strategy)) best = a;
  }
  return best;
}

function better(a: Candidate, b: Candidate, strategy: AssignmentNeed['strategy']): boolean {
  if (strategy === 'balanced') {
    const la = a.openLoad / a.capacity;
    const lb = b.openLoad / b.capacity;
    if (la !== lb) return la < lb;
  }
  if (lastAt(a) !== lastAt(b)) return lastAt(a) < lastAt(b);
  return a.id < b.id;
}
