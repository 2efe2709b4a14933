// Salutations per locale and tone, the customer's language chain, and the acknowledgement that
// uses both: pure rules, checked one by one.
import { describe, expect, it } from 'vitest';
import { acknowledgementText } from '../src/routing/acknowledgement';
import { customerLanguage, languageChain } from '../src/routing/customer-language';
import { nameParts, salutation } from '../src/routing/salutation';

describe('salutations', () => {
  it('greet by first name, informally, in each language', () => {
    const hi = (language: string) => salutation({ language, tone: 'informal', name: 'María López' });
    expect(['en', 'es', 'pt', 'fr', 'de'].map(hi)).toEqual(['Hi María,', 'Hola María:', 'Olá María,', 'Bonjour María,', 'Hallo María,']);
  });

  it('greet formally with the title and family name, as each language does', () => {
    const formal = (language: string, title: string) => salutation({ language, tone: 'formal', name: 'María López García', title });
    expect(formal('es', 'ms')).toBe('Estimada Sra. López García:');
    expect(formal('es', 'mr')).toBe('Estimado Sr. López García:');
    expect(formal('pt', 'mrs')).toBe('Prezada Sra. López García,');
    expect(formal('fr', 'ms')).toBe('Bonjour Madame López García,');
    expect(formal('de', 'mr')).toBe('Sehr geehrter Herr López García,');
    expect(formal('de', 'ms')).toBe('Sehr geehrte Frau López García,');
    expect(formal('en', 'dr')).toBe('Dear Dr López García,');
    expect(formal('en', 'Mx.')).toBe('Dear Mx López García,');
  });

  it('without a title, greet the whole name in words that suit anyone; without a name, the customer', () => {
    expect(salutation({ language: 'es', tone: 'formal', name: 'Alex Rivera' })).toBe('Buenos días, Alex Rivera:');
    expect(salutation({ language: 'de', tone: 'formal', name: 'Alex Rivera', title: 'mx' })).toBe('Guten Tag Alex Rivera,');
    expect(salutation({ language: 'de', tone: 'formal', name: null })).toBe('Sehr geehrte Damen und Herren,');
    expect(salutation({ language: 'en', tone: 'informal', name: 'someone@example.com' })).toBe('Hi there,');
    // One word: formal greets it whole (no family name to title).
    expect(salutation({ language: 'fr', tone: 'formal', name: 'Zidane', title: 'mr' })).toBe('Bonjour Zidane,');
    // A regional language uses its base; an unknown one English.
    expect(salutation({ language: 'es-MX', tone: 'informal', name: 'Luis' })).toBe('Hola Luis:');
    expect(salutation({ language: 'ja', tone: 'informal', name: 'Yuki' })).toBe('Hi Yuki,');
  });

  it('reads names written family name first with a comma', () => {
    expect(nameParts('López, María')).toEqual({ first: 'María', last: 'López', full: 'María López' });
  });
});

describe('the customer\'s language', () => {
  it('tries the contact\'s language, then what they wrote in, then the inbox\'s, then English, each region before its base', () => {
    expect(languageChain({ contact: 'pt-BR', detected: 'spa', inbox: 'de' })).toEqual(['pt-BR', 'pt', 'es', 'de', 'en']);
    expect(languageChain({ contact: null, detected: 'und', inbox: null })).toEqual(['en']);
    expect(languageChain({ contact: 'es', detected: 'spa', inbox: 'es' })).toEqual(['es', 'en']);
  });

  it('takes the first language the product has texts in', () => {
    expect(customerLanguage({ contact: 'pt-BR', detected: 'spa' }, ['en', 'es', 'pt'])).toBe('pt');
    expect(customerLanguage({ contact: 'ja', detected: 'fra' }, ['en', 'fr'])).toBe('fr');
    expect(customerLanguage({ contact: 'ja' }, ['en', 'es'])).toBe('en');
  });
});

describe('the acknowledgement', () => {
  const base = { reference: 1042, complaintCategory: 'refund', now: new Date('2026-12-04T10:00:00Z'), businessHours: null, expectedWaitMinutes: 30 };
  it('speaks Portuguese to a Portuguese customer, formally when they prefer it', () => {
    const text = acknowledgementText({ ...base, name: 'João Silva', title: 'mr', formality: 'formal', language: 'spa', contactLanguage: 'pt-PT' });
    expect(text).toBe('Prezado Sr. Silva, obrigado por nos escrever sobre o seu reembolso. Recebemos a sua mensagem e vamos verificar o pagamento. Receberá uma resposta dentro de cerca de 30 minutos. A sua referência é #1042.');
  });

  it('greets by first name in the inbox\'s informal tone, in the language the customer wrote in', () => {
    expect(acknowledgementText({ ...base, name: 'Ana Gómez', title: 'ms', language: 'spa', tone: 'informal' })).toMatch(/^Hola Ana: gracias por escribirnos sobre su reembolso/);
    expect(acknowledgementText({ ...base, name: 'Ana Gómez', title: 'ms', language: 'spa', tone: 'formal' })).toMatch(/^Estimada Sra. Gómez: gracias/);
    expect(acknowledgementText({ ...base, name: 'Jan Berg', language: 'deu', tone: 'informal' })).toMatch(/^Hallo Jan, vielen Dank für Ihre Nachricht zu Ihrer Erstattung\. .* Sie erhalten eine Antwort in etwa 30 Minuten\. Ihre Referenz ist #1042\.$/);
  });

  it('keeps an inbox\'s own greeting', () => {
    const own = acknowledgementText({ ...base, name: 'Ana Gómez', language: 'spa', settings: { enabled: true, periodMinutes: 60, texts: { spa: { greeting: '¡Hola, {name}!' } } } });
    expect(own).toMatch(/^¡Hola, Ana! gracias/);
  });
});

describe('surveys and email footers in the customer\'s language', () => {
  it('asks in Portuguese, also when the language is the detected three-letter code', async () => {
    const { surveyMessage } = await import('../src/inbox/surveys/messages');
    for (const language of ['pt-PT', 'por']) {
      expect(surveyMessage({ kind: 'satisfaction', channel: 'sms', reference: 7, name: 'João', language, url: 'https://x/s' }).text).toContain('Como correu o atendimento na sua conversa #7?');
    }
    expect(surveyMessage({ kind: 'satisfaction', channel: 'sms', reference: 7, name: null, language: 'spa', url: 'https://x/s' }).text).toContain('¿Qué tal le atendimos');
  });
});
