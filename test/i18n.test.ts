// The agent app's catalogues: every shipped language has every key of the English one (a
// missing key fails here, listing it), and plurals are each language's own (ICU).
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { afterEach, describe, expect, it } from 'vitest';
import { formatDuration, setPreferences } from '../web/src/lib/format';
import { activityText } from '../web/src/lib/activity';
import { channelNotice, factorDetail } from '../web/src/lib/server-words';
import { switchCatalogue } from '../web/src/lib/text';
import { missingKeys } from '../web/src/lib/i18n/check';
import { en } from '../web/src/lib/i18n/en';
import { es } from '../web/src/lib/i18n/es';
import { de } from '../web/src/lib/i18n/de';
import { fr } from '../web/src/lib/i18n/fr';
import { pt } from '../web/src/lib/i18n/pt';
import { icu } from '../web/src/lib/i18n/icu';

describe('catalogues', () => {
  it.each([['es', es], ['fr', fr], ['de', de], ['pt', pt]])('%s has every key of English', (_lang, catalogue) => {
    expect(missingKeys(en, catalogue)).toEqual([]);
  });

  it('lists the keys a language misses, and those of the wrong kind', () => {
    const broken = { ...es, login: { ...es.login } } as Record<string, unknown>;
    delete (broken.login as Record<string, unknown>).forgot;
    delete broken.handOver;
    (broken as { knowledge: Record<string, unknown> }).knowledge = { ...es.knowledge, saved: 'Guardado' };
    expect(missingKeys(en, broken)).toEqual(['login.forgot', 'knowledge.saved', 'handOver']);
  });

  it('says plurals as each language does', () => {
    expect([0, 1, 2].map((n) => en.contacts.conversationCount(n))).toEqual(['0 conversations', '1 conversation', '2 conversations']);
    expect([0, 1, 2].map((n) => es.contacts.conversationCount(n))).toEqual(['0 conversaciones', '1 conversación', '2 conversaciones']);
    expect([1, 2].map((n) => de.incidents.resolveConversations(n))).toEqual(['1 verknüpftes Gespräch lösen', '2 verknüpfte Gespräche lösen']);
    // French counts 0 as one; Arabic has six forms: the library knows them.
    expect([0, 1, 2].map((n) => fr.contacts.conversationCount(n))).toEqual(['0 conversation', '1 conversation', '2 conversations']);
    expect([1, 2].map((n) => pt.incidents.resolvedConversations(n))).toEqual(['1 conversa resolvida', '2 conversas resolvidas']);
    expect(icu('ar', '{n, plural, zero {لا محادثات} one {محادثة} two {محادثتان} few {# محادثات} many {# محادثة} other {# محادثة}}', { n: 2 })).toBe('محادثتان');
  });
});

describe('words the server sends as data', () => {
  afterEach(() => {
    setPreferences({ locale: null, timeZone: null });
    switchCatalogue('en');
  });

  it('says activity lines in the agent\'s language and time zone, from the facts stored with them', () => {
    setPreferences({ locale: 'es', timeZone: 'Europe/Madrid' });
    switchCatalogue('es');
    const ada = { type: 'agent', id: 'a1', name: 'Ada' };
    const line = (text: string, metadata: Record<string, unknown>) => activityText({ text, metadata });
    expect(line('Snoozed until 2026-12-04T17:00:00.000Z by Ada', { activity: 'status', actor: ada, from: 'open', to: 'snoozed', snoozedUntil: '2026-12-04T17:00:00.000Z' }))
      .toBe(`Pospuesta hasta ${new Intl.DateTimeFormat('es', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Europe/Madrid' }).format(new Date('2026-12-04T17:00:00Z'))} por Ada`);
    expect(line('Reopened by Ada (customer wrote)', { activity: 'status', actor: ada, from: 'resolved', to: 'open', reason: 'customer wrote' })).toBe('Reabierta por Ada (customer wrote)');
    expect(line('Assigned to Bo, moved to team Billing by rule "VIP"', { activity: 'assigned', actor: { type: 'rule', name: 'VIP' }, assigneeId: 'b', assigneeName: 'Bo', teamId: 't', teamName: 'Billing' }))
      .toBe('Asignada a Bo, pasada al equipo Billing por la regla «VIP»');
    expect(line('Labelled refund by Ada', { activity: 'labelled', actor: ada, added: ['refund'] })).toBe('Etiquetada refund por Ada');
    expect(line('Acknowledged automatically by the system', { activity: 'acknowledged', actor: { type: 'system' } })).toBe('Acuse de recibo enviado automáticamente por el sistema');
    switchCatalogue('pt');
    expect(line('Resolved by rule "Done"', { activity: 'status', actor: { type: 'rule', name: 'Done' }, from: 'open', to: 'resolved' })).toBe('Resolvida pela regra «Done»');
    switchCatalogue('es');
    // Lines stored before their facts were, and kinds not said from data: the stored English.
    expect(line('Assigned to Bo by Ada', { activity: 'assigned', actor: ada, assigneeId: 'b' })).toBe('Assigned to Bo by Ada');
    expect(line('Escalated because of anger: team Billing', { activity: 'escalated', reason: 'anger' })).toBe('Escalated because of anger: team Billing');
  });

  it("says a channel's window in the agent's language, with durations through Intl", () => {
    setPreferences({ locale: 'de', timeZone: null });
    switchCatalogue('de');
    const closed = { key: 'windowClosed', platform: 'WhatsApp', windowHours: 24, hours: 3, templates: true } as const;
    expect(channelNotice(closed)).toBe('Das 24-Stunden-Fenster von WhatsApp hat sich vor 3 Std. geschlossen: Vorlage wählen');
    expect(formatDuration(125)).toBe('2 Std., 5 Min.');
    setPreferences({ locale: 'es', timeZone: null });
    switchCatalogue('es');
    expect(channelNotice({ key: 'windowCloses', platform: 'Messenger', windowHours: 168, hours: 30, templates: false })).toBe('La ventana de 7 días de Messenger se cierra en 30 h');
    expect(channelNotice({ key: 'publicReply', platform: 'Instagram' })).toMatch(/^Una respuesta pública bajo la publicación en Instagram/);
    setPreferences({ locale: 'en', timeZone: null });
    switchCatalogue('en');
    expect(channelNotice(closed)).toBe("WhatsApp's 24-hour window closed 3 hr ago: choose a template");
    expect(channelNotice({ key: 'neverWrote', platform: 'WhatsApp', windowHours: 24, templates: true })).toBe('The customer has not written on WhatsApp yet: choose a template');
  });

  it("says why a conversation has its priority in the agent's language, from the factors' data", () => {
    setPreferences({ locale: 'de', timeZone: null });
    switchCatalogue('de');
    expect(factorDetail({ factor: 'waiting', points: 12.5, detail: 'waiting 240 min', value: 240 })).toBe('wartet seit 4 Std.');
    expect(factorDetail({ factor: 'negativity', points: 18, detail: 'sentiment -0.72', value: -0.72 })).toBe('Stimmung -0,72');
    expect(factorDetail({ factor: 'sla', points: 10, detail: '-30 min to SLA', value: -30 })).toBe('SLA vor 30 Min. verfehlt');
    expect(factorDetail({ factor: 'urgency', points: 20, detail: 'raised to at least 80 by a detractor', raisedTo: 80, by: 'a detractor' })).toBe('auf mindestens 80 angehoben durch a detractor');
    // A factor stored before its data was kept: the stored English.
    expect(factorDetail({ factor: 'waiting', points: 12.5, detail: 'waiting 240 min' })).toBeNull();
  });
});

describe('the app', () => {
  // Every word an agent reads comes from the catalogue: text written into the markup, or an
  // aria-label / title / alt given as a literal, would stay English in every language.
  it('writes no words into its markup outside the catalogue', () => {
    const files = (dir: string): string[] =>
      fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(path.join(dir, e.name)) : e.name.endsWith('.tsx') ? [path.join(dir, e.name)] : []));
    const found: string[] = [];
    for (const file of files('web/src')) {
      const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true, ts.ScriptKind.TSX);
      const where = (n: ts.Node) => `${file}:${source.getLineAndCharacterOfPosition(n.getStart()).line + 1}`;
      const visit = (n: ts.Node) => {
        if (ts.isJsxText(n) && /\p{L}{2,}/u.test(n.text)) found.push(`${where(n)} ${JSON.stringify(n.text.trim())}`);
        if (ts.isJsxAttribute(n) && ['aria-label', 'title', 'alt', 'placeholder'].includes(n.name.getText()) && n.initializer && ts.isStringLiteral(n.initializer) && /\p{L}{3,} \p{L}{2,}/u.test(n.initializer.text)) {
          found.push(`${where(n)} ${n.name.getText()}=${JSON.stringify(n.initializer.text)}`);
        }
        ts.forEachChild(n, visit);
      };
      visit(source);
    }
    expect(found).toEqual([]);
  });
});
