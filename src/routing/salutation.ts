// How a message greets the customer, as their language and the inbox's tone want: "Hola María"
// or "Estimada Sra. López", "Hi Tom" or "Dear Mr Okafor", "Sehr geehrte Frau Berg". Formal
// greetings use the contact's title and family name; without a title they greet the whole name
// in words that suit anyone. A contact's own preference (formal or first name) beats the inbox's.
export const TITLES = ['mr', 'ms', 'mrs', 'mx', 'dr'] as const;
export type Title = (typeof TITLES)[number];
export type Tone = 'formal' | 'informal';

interface Rules {
  informal: (first: string) => string;
  informalNoName: string;
  formal: Partial<Record<Title, (last: string) => string>>;
  formalWhole: (full: string) => string;
  formalNoName: string;
}

const RULES: Record<string, Rules> = {
  en: {
    informal: (f) => `Hi ${f},`, informalNoName: 'Hi there,',
    formal: { mr: (l) => `Dear Mr ${l},`, ms: (l) => `Dear Ms ${l},`, mrs: (l) => `Dear Mrs ${l},`, mx: (l) => `Dear Mx ${l},`, dr: (l) => `Dear Dr ${l},` },
    formalWhole: (n) => `Dear ${n},`, formalNoName: 'Dear customer,',
  },
  es: {
    informal: (f) => `Hola ${f}:`, informalNoName: 'Hola:',
    formal: { mr: (l) => `Estimado Sr. ${l}:`, ms: (l) => `Estimada Sra. ${l}:`, mrs: (l) => `Estimada Sra. ${l}:`, dr: (l) => `Buenos días, Dr. ${l}:` },
    formalWhole: (n) => `Buenos días, ${n}:`, formalNoName: 'Buenos días:',
  },
  pt: {
    informal: (f) => `Olá ${f},`, informalNoName: 'Olá,',
    formal: { mr: (l) => `Prezado Sr. ${l},`, ms: (l) => `Prezada Sra. ${l},`, mrs: (l) => `Prezada Sra. ${l},`, dr: (l) => `Bom dia, Dr. ${l},` },
    formalWhole: (n) => `Bom dia, ${n},`, formalNoName: 'Bom dia,',
  },
  fr: {
    informal: (f) => `Bonjour ${f},`, informalNoName: 'Bonjour,',
    formal: { mr: (l) => `Bonjour Monsieur ${l},`, ms: (l) => `Bonjour Madame ${l},`, mrs: (l) => `Bonjour Madame ${l},`, dr: (l) => `Bonjour Docteur ${l},` },
    formalWhole: (n) => `Bonjour ${n},`, formalNoName: 'Madame, Monsieur,',
  },
  de: {
    informal: (f) => `Hallo ${f},`, informalNoName: 'Hallo,',
    formal: { mr: (l) => `Sehr geehrter Herr ${l},`, ms: (l) => `Sehr geehrte Frau ${l},`, mrs: (l) => `Sehr geehrte Frau ${l},`, dr: (l) => `Guten Tag Dr. ${l},` },
    formalWhole: (n) => `Guten Tag ${n},`, formalNoName: 'Sehr geehrte Damen und Herren,',
  },
};

export const SALUTATION_LANGUAGES = Object.keys(RULES);

/** The first name and the family name ("María José López García" → "María", "López García"; "López, María" → "María", "López"). */
export function nameParts(name: string | null | undefined): { first: string | null; last: string | null; full: string | null } {
  const clean = name?.replace(/\s+/g, ' ').trim();
  if (!clean || clean.includes('@') || !/\p{L}/u.test(clean)) return { first: null, last: null, full: null };
  const comma = /^([^,]+),\s*(.+)$/.exec(clean);
  if (comma) return { first: comma[2]!.split(' ')[0]!, last: comma[1]!, full: `${comma[2]} ${comma[1]}` };
  const words = clean.split(' ');
  return { first: words[0]!, last: words.length > 1 ? words.slice(1).join(' ') : null, full: clean };
}

/** The greeting for a customer in a language (ISO 639-1, "es-MX" is "es"; others in English). */
export function salutation(o: { language: string | null; tone: Tone; name: string | null; title?: string | null }): string {
  const r = RULES[(o.language ?? 'en').toLowerCase().split('-')[0]!] ?? RULES.en!;
  const { first, last, full } = nameParts(o.name);
  if (o.tone === 'informal') return first ? r.informal(first) : r.informalNoName;
  const title = TITLES.find((x) => x === o.title?.toLowerCase().replace(/\.$/, ''));
  const titled = title && last ? r.formal[title] : undefined;
  if (titled) return titled(last!);
  return full ? r.formalWhole(full) : r.formalNoName;
}
