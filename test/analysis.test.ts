// The analysis on its own: text in, signals out. Uses the shipped model files and the small
// fixtures written for these tests (test/fixtures/analysis), never ../shared/data.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectLanguage } from '../src/sentiment/language';
import { computePriority } from '../src/routing/priority';
import { analyzeMessage, escalationRisk, inConversation, trajectory } from '../src/sentiment';
import { readCsv } from '../src/sentiment/training/datasets';

const FIXTURES = path.resolve(import.meta.dirname, 'fixtures/analysis');

describe('urgency cues', () => {
  const cases: Array<[string, string]> = [
    ['legal_threat', 'If this is not fixed by Friday I will contact my lawyer and take you to court.'],
    ['chargeback', 'I am going to dispute the charge with my bank.'],
    ['churn_intent', 'I will cancel my subscription and switch to your competitor.'],
    ['repeat_contact', 'This is the third time I am writing about this and I am still waiting.'],
    ['safety', 'The heater caught fire and my son got burned.'],
    ['urgent', 'Please help, this is urgent, I need it today.'],
  ];
  it.each(cases)('finds %s and names the words that triggered it', (cue, text) => {
    const s = analyzeMessage(text);
    const found = s.urgency.find((u) => u.cue === cue);
    expect(found, `${cue} in ${JSON.stringify(s.urgency)}`).toBeDefined();
    expect(text.toLowerCase()).toContain(found!.phrase.toLowerCase());
    expect(s.explanation.rules.some((r) => r.startsWith(`cue:${cue}`))).toBe(true);
  });

  it('finds none in a calm question', () => {
    expect(analyzeMessage('Could you tell me when the store opens on Sunday?').urgency).toEqual([]);
  });

  it('raises escalation risk: a legal threat outranks the same complaint without one', () => {
    const plain = analyzeMessage('My refund has not arrived.');
    const threat = analyzeMessage('My refund has not arrived. I will contact my lawyer.');
    expect(threat.escalationRisk).toBeGreaterThan(plain.escalationRisk + 0.3);
  });

  it('counts a public post as exposure', () => {
    const text = 'The delivery is late again.';
    const publicPost = analyzeMessage(text, { isPublic: true });
    expect(publicPost.urgency.map((u) => u.cue)).toContain('public_exposure');
    expect(publicPost.escalationRisk).toBeGreaterThan(analyzeMessage(text).escalationRisk);
  });
});

describe('sentiment', () => {
  it('reads negation: "not good" is negative where "good" is not', () => {
    const negated = analyzeMessage('The service was not good at all');
    expect(negated.sentiment.label).toBe('negative');
    expect(analyzeMessage('The service was good').sentiment.label).toBe('positive');
    // The negated words are features of their own, and they carry the decision.
    expect(negated.explanation.sentiment.map((e) => e.feature).join(' ')).toMatch(/not good|NEG_/);
  });

  it('reads contractions as negation: "didn\'t like" is negative', () => {
    expect(analyzeMessage("I didn't like the food").sentiment.label).toBe('negative');
    expect(analyzeMessage('I liked the food').sentiment.label).toBe('positive');
  });

  it('reads emoji and emoticons', () => {
    const angry = analyzeMessage('the delivery 😡');
    const happy = analyzeMessage('the delivery 😍');
    // The same words: the emoji alone moves the message towards its feeling.
    expect(angry.sentiment.probabilities.negative).toBeGreaterThan(happy.sentiment.probabilities.negative + 0.2);
    expect(happy.sentiment.probabilities.positive).toBeGreaterThan(angry.sentiment.probabilities.positive + 0.2);
    expect(analyzeMessage('delivery late again 😡').sentiment.label).toBe('negative');
    expect(analyzeMessage('😡').sentiment.label).toBe('negative');
    expect(analyzeMessage(':)').sentiment.label).toBe('positive');
    expect(analyzeMessage('the delivery :(').explanation.sentiment.map((e) => e.feature).join(' ')).toMatch(/emo ?sad/);
  });

  it('gives a score in [-1, 1] that agrees with the label, and probabilities that sum to 1', () => {
    for (const text of ['Worst airline ever, nobody helped us', 'Thank you, the crew was wonderful!', 'What time does check-in open?']) {
      const s = analyzeMessage(text).sentiment;
      const sum = s.probabilities.negative + s.probabilities.neutral + s.probabilities.positive;
      expect(sum).toBeCloseTo(1, 3);
      expect(s.score).toBeGreaterThanOrEqual(-1);
      expect(s.score).toBeLessThanOrEqual(1);
      expect(s.confidence).toBeCloseTo(s.probabilities[s.label], 3);
      if (s.label === 'negative') expect(s.score).toBeLessThan(0);
      if (s.label === 'positive') expect(s.score).toBeGreaterThan(0);
    }
  });

  it('is calibrated: confident answers are right more often than unsure ones on dev data', () => {
    const rows = readCsv(path.join(FIXTURES, 'sentiment.csv'));
    const outcomes = rows.map((r) => {
      const s = analyzeMessage(r.text!).sentiment;
      return { confidence: s.confidence, right: s.label === r.label };
    });
    const accuracy = (xs: typeof outcomes) => xs.filter((x) => x.right).length / xs.length;
    const sure = outcomes.filter((o) => o.confidence >= 0.8);
    const unsure = outcomes.filter((o) => o.confidence < 0.7);
    expect(sure.length).toBeGreaterThan(10);
    expect(unsure.length).toBeGreaterThan(5);
    expect(accuracy(sure)).toBeGreaterThan(accuracy(unsure));
    // And better than guessing overall on messages it never saw.
    expect(accuracy(outcomes)).toBeGreaterThan(0.7);
  });
});

describe('questions and requests', () => {
  it.each(['what are your opening hours on Saturday?', 'I need to change my address', 'how do I reset my password?', 'do you ship to Canada?'])('%j is neutral', (text) => {
    expect(analyzeMessage(text).sentiment.label).toBe('neutral');
  });

  it('keeps a question that carries a complaint negative', () => {
    for (const text of ['why is my flight delayed?', 'where is my refund?', 'why has nobody answered me?']) expect(analyzeMessage(text).sentiment.label, text).toBe('negative');
  });
});

describe('irony', () => {
  const priority = (text: string) => {
    const s = analyzeMessage(text);
    const urgency = s.urgency.reduce((sum, u) => sum + u.weight, 0);
    return computePriority({ sentimentScore: s.sentiment.score, escalationRisk: s.escalationRisk, urgencyWeight: urgency, complaintCategory: s.complaint!.category, waitingMinutes: 5, slaMinutesLeft: null, customerValue: null, isPublic: false }).score;
  };

  it.each([
    ['Oh wonderful, lost my luggage again. Best airline ever.', 'Lost my luggage again.'],
    ['Great, my package is late again. Just perfect.', 'My package is late again.'],
  ])('reads praise words in a complaint as sarcasm: %j ranks no lower than %j', (ironic, plain) => {
    const s = analyzeMessage(ironic);
    expect(s.sentiment.label).toBe('negative');
    expect(s.explanation.rules.some((r) => /^irony:0\.\d+: praise words in a \w+ complaint read as sarcasm$/.test(r))).toBe(true);
    expect(priority(ironic)).toBeGreaterThanOrEqual(priority(plain));
  });

  it('leaves real thanks alone', () => {
    for (const text of ['Thanks so much for the fast refund, great service', 'Great, thanks, my delivery arrived early']) {
      const s = analyzeMessage(text);
      expect(s.sentiment.label, text).toBe('positive');
      expect(s.explanation.rules.filter((r) => r.startsWith('irony'))).toEqual([]);
    }
  });
});

describe('complaint type', () => {
  it.each([
    ['Tracking has not updated in five days, where is my package?', 'delivery'],
    ['I cannot log in to my account, the password reset does not work', 'account'],
    ['Thank you so much, the crew was wonderful!', 'praise'],
    ['My flight was delayed six hours', 'delay'],
    ['I was charged twice for the same order', 'billing'],
    ['My card keeps getting declined at the shop', 'technical'],
  ])('%s → %s', (text, category) => {
    const c = analyzeMessage(text).complaint!;
    expect(c.category).toBe(category);
    expect(c.confidence).toBeGreaterThan(0.3);
  });

  it('takes churn words for a cancellation over an unsure guess, and says so', () => {
    const s = analyzeMessage('Please cancel my subscription, I am switching to another provider.');
    expect(s.complaint!.category).toBe('cancellation');
    expect(s.explanation.rules.some((r) => r.startsWith('complaint:cancellation, from the churn words'))).toBe(true);
  });

  it.each(['hello', 'about yesterday'])('abstains ("other") on %j rather than guess', (text) => {
    const s = analyzeMessage(text);
    expect(s.complaint!.category).toBe('other');
    expect(s.complaint!.confidence).toBeLessThan(0.25);
    expect(s.explanation.rules.some((r) => /^complaint:abstained, best guess \w+ at 0\.\d+$/.test(r))).toBe(true);
  });

  it('handles email-length text', () => {
    const email = [
      'Dear team, I am writing about my credit card statement.',
      'In March I noticed a charge of $249.99 that I never authorised.',
      'I called your billing department twice and was told the charge would be reversed within ten business days.',
      'It has now been six weeks and the charge is still on my account, and I have also been charged a late fee and interest on that amount.',
      'I have attached the statement and the reference numbers of both calls. Please remove the charge, the fee and the interest, and confirm in writing.',
    ].join(' ');
    const s = analyzeMessage(`${email}\n\n${email}\n\n${email}`);
    expect(s.complaint!.category).toBe('billing');
    expect(s.sentiment.label).toBe('negative');
    expect(s.explanation.complaint.length).toBeGreaterThan(0);
  });
});

describe('explanation', () => {
  it('names the words that moved each signal and the rules that fired', () => {
    const s = analyzeMessage('Third time asking: where is my refund? I will dispute the charge.');
    expect(s.explanation.sentiment.length).toBeGreaterThan(0);
    expect(s.explanation.complaint.length).toBeGreaterThan(0);
    for (const e of [...s.explanation.sentiment, ...s.explanation.complaint]) {
      expect(typeof e.feature).toBe('string');
      expect(Number.isFinite(e.weight)).toBe(true);
    }
    expect(s.explanation.rules).toEqual(expect.arrayContaining(['language:eng']));
    expect(s.explanation.rules.some((r) => r.startsWith('risk:'))).toBe(true);
    expect(s.modelVersion).toMatch(/^sentiment-.+\+complaint-.+$/);
  });
});

describe('language', () => {
  it('tags English and trusts the trained model', () => {
    const s = analyzeMessage('My package never arrived and nobody answers the phone');
    expect(s.language.code).toBe('eng');
    expect(s.sentiment.confidence).toBeGreaterThan(0.6);
  });

  // Written here, not taken from the shared data: what customers write in a line.
  const SHORT: Array<[string, string]> = [
    ['eng', 'Where is my refund?'], ['eng', 'My parcel still has not arrived'], ['eng', 'Thanks, that fixed it'], ['eng', 'I want to cancel my subscription'], ['eng', 'The app keeps crashing when I log in'],
    ['spa', '¿Dónde está mi reembolso?'], ['spa', 'Mi pedido todavía no ha llegado'], ['spa', 'Gracias, ya funciona'], ['spa', 'Quiero cancelar mi suscripción'], ['spa', 'La aplicación se cierra sola'],
    ['fra', 'Où est mon remboursement ?'], ['fra', "Mon colis n'est toujours pas arrivé"], ['fra', 'Merci, ça marche maintenant'], ['fra', 'Je veux résilier mon abonnement'], ['fra', "L'application plante sans arrêt"],
    ['deu', 'Wo bleibt meine Erstattung?'], ['deu', 'Mein Paket ist immer noch nicht angekommen'], ['deu', 'Danke, jetzt funktioniert es'], ['deu', 'Ich möchte mein Abo kündigen'], ['deu', 'Die App stürzt ständig ab'],
    ['por', 'Cadê o meu reembolso?'], ['por', 'Minha encomenda ainda não chegou'], ['por', 'Obrigado, agora funciona'], ['por', 'Quero cancelar minha assinatura'], ['por', 'O aplicativo fecha sozinho'],
    ['ita', 'Dov’è il mio rimborso?'], ['ita', 'Il mio pacco non è ancora arrivato'], ['ita', 'Grazie, adesso funziona'], ['ita', 'Voglio disdire il mio abbonamento'], ['ita', "L'app continua a bloccarsi"],
  ];

  it('identifies the language of short messages in six languages; the customer’s earlier language settles the rest', () => {
    const wrong = SHORT.filter(([code, text]) => detectLanguage(text).code !== code);
    // One of the thirty is beyond the identifier on its own: "O aplicativo fecha sozinho" reads as Spanish.
    expect(wrong.map(([, text]) => text)).toEqual(['O aplicativo fecha sozinho']);
    expect(SHORT.filter(([code, text]) => detectLanguage(text, { prior: code }).code !== code)).toEqual([]);
    // A sure answer is not overruled by a different earlier language.
    expect(detectLanguage('Mein Paket ist immer noch nicht angekommen', { prior: 'eng' }).code).toBe('deu');
  });

  it.each(['ok', 'OK!', '👍', '😡😡', '??', ''])('says "unknown" for %j: too little to tell', (text) => {
    expect(detectLanguage(text).code).toBe('und');
  });

  it('knows a short English thank-you', () => {
    expect(detectLanguage('@united thanks!').code).toBe('eng');
    expect(detectLanguage('ok thx').code).toBe('eng');
  });

  it.each([
    ['spa', 'negative', 'Llevo tres semanas esperando mi reembolso, es inaceptable'],
    ['fra', 'negative', 'Je suis très déçu, le colis est arrivé cassé et personne ne répond à mes messages'],
    ['deu', 'negative', 'Der Zug hatte schon wieder zwei Stunden Verspätung, unmöglich'],
    ['ita', 'positive', 'Ottimo servizio, grazie mille!'],
    ['spa', 'positive', 'Muchas gracias por la ayuda, excelente atención'],
  ])('reads %s with its own model (%s)', (code, label, text) => {
    const s = analyzeMessage(text);
    expect(s.language.code).toBe(code);
    expect(s.sentiment.label).toBe(label);
    expect(s.explanation.rules).toContain(`sentiment:model:${code}`);
    expect(s.modelVersion).toMatch(new RegExp(`^sentiment-${code}-`));
    // The complaint model knows English only, and says so.
    expect(s.complaint!.confidence).toBeLessThanOrEqual(0.5);
  });

  it('lets a word list stand in for a language without a model (Dutch), less sure', () => {
    const s = analyzeMessage('De service was verschrikkelijk slecht en ik ben erg teleurgesteld in jullie bedrijf');
    expect(s.language.code).toBe('nld');
    expect(s.sentiment.label).toBe('negative');
    expect(s.sentiment.confidence).toBeLessThanOrEqual(0.55);
    expect(s.explanation.rules).toContain('sentiment:lexicon-fallback:nld');
  });

  it('says it cannot read a language with neither a model nor a word list, rather than guess with another language’s model', () => {
    const s = analyzeMessage('Obsługa klienta była okropna, nikt nie odpowiada na moje wiadomości');
    expect(s.language.code).toBe('pol');
    expect(s.sentiment).toMatchObject({ label: 'neutral', score: 0 });
    expect(s.explanation.rules).toContain('sentiment:unknown:pol has no model or word list');
  });
});

describe('trajectory and escalation risk', () => {
  it('gives the slope of a thread whose customer gets angrier', () => {
    const t = trajectory([0.6, 0.3, 0, -0.3], -0.6);
    expect(t.series).toEqual([0.6, 0.3, 0, -0.3, -0.6]);
    expect(t.slope).toBeCloseTo(-0.3, 3);
    expect(trajectory([], 0.5).slope).toBe(0);
    expect(trajectory([-0.8, -0.4], 0.2).slope).toBeGreaterThan(0);
  });

  it('keeps the last 20 scores and takes the slope over the last 5', () => {
    const t = trajectory(Array.from({ length: 30 }, () => 0.5), -0.5);
    expect(t.series).toHaveLength(20);
    expect(t.slope).toBeCloseTo(-0.2, 3);
  });

  it('raises the risk of the same message when the thread is worsening', () => {
    const s = analyzeMessage('This is still not fixed.');
    const calm = inConversation(s, { previousScores: [s.sentiment.score, s.sentiment.score] });
    const worsening = inConversation(s, { previousScores: [0.8, 0.5, 0.2] });
    expect(worsening.trajectory.slope).toBeLessThan(-0.1);
    expect(worsening.signals.escalationRisk).toBeGreaterThan(calm.signals.escalationRisk);
    expect(worsening.signals.explanation.rules.some((r) => r.startsWith('risk:worsening'))).toBe(true);
    expect(worsening.signals.explanation.rules.some((r) => r.startsWith('trajectory:slope'))).toBe(true);
  });

  it('combines its sources as independent chances, documented in risk.ts', () => {
    const cue = { cue: 'legal_threat', phrase: 'lawyer', weight: 0.6 };
    const r = escalationRisk({ negativeProbability: 1, cues: [cue], slope: -0.5, isPublic: true, customerValue: 99_999 });
    // 1 − (1 − .45)(1 − .6)(1 − .3)(1 − .2)(1 − .15)
    expect(r.risk).toBeCloseTo(1 - 0.55 * 0.4 * 0.7 * 0.8 * 0.85, 2);
    expect(r.parts.map((p) => p.source)).toEqual(['negativity', 'cue:legal_threat', 'worsening', 'public post', 'customer value']);
    expect(escalationRisk({ negativeProbability: 0, cues: [], slope: 0.4, isPublic: false }).risk).toBe(0);
  });
});
