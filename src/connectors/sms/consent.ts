// The carriers' keywords and what they do. Opting out is kept by the inbox (ctx.consent, on
// the contact's phone identity), so nothing is ever sent to the number again, by an agent or
// automatically, until the customer texts START.

export type Keyword = 'stop' | 'start' | 'help';

const STOP = new Set(['STOP', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT', 'OPTOUT', 'REVOKE']);
const START = new Set(['START', 'YES', 'UNSTOP', 'OPTIN']);
const HELP = new Set(['HELP', 'INFO']);

/** The keyword a whole message is (carriers match the message alone, any case, trimmed). */
export function keywordOf(body: string): Keyword | null {
  const w = body.trim().replace(/[.!]+$/, '').toUpperCase();
  if (STOP.has(w)) return 'stop';
  if (START.has(w)) return 'start';
  if (HELP.has(w)) return 'help';
  return null;
}
