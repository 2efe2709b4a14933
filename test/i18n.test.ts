// The agent app's catalogues: every shipped language has every key of the English one (a
// missing key fails here, listing it), and plurals are each language's own (ICU).
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { afterEach, describe, expect, it } from 'vitest';
import { formatDuration, setPreferences } from '../web/src/lib/format';
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
  afterEach(() => setPreferences({ locale: null, timeZone: null }));

  it("says a channel's window in the agent's language, with durations through Intl", () => {
    setPreferences({ locale: 'de', timeZone: null });
    const closed = { key: 'windowClosed', platform: 'WhatsApp', windowHours: 24, hours: 3, templates: true } as const;
    expect(de.composer.channelNotice(closed)).toBe('Das 24-Stunden-Fenster von WhatsApp hat sich vor 3 Std. geschlossen: Vorlage wählen');
    expect(formatDuration(125)).toBe('2 Std., 5 Min.');
    setPreferences({ locale: 'es', timeZone: null });
    expect(es.composer.channelNotice({ key: 'windowCloses', platform: 'Messenger', windowHours: 168, hours: 30, templates: false })).toBe('La ventana de 7 días de Messenger se cierra en 30 h');
    expect(es.composer.channelNotice({ key: 'publicReply', platform: 'Instagram' })).toMatch(/^Una respuesta pública bajo la publicación en Instagram/);
    setPreferences({ locale: 'en', timeZone: null });
    expect(en.composer.channelNotice(closed)).toBe("WhatsApp's 24-hour window closed 3 hr ago: choose a template");
    expect(en.composer.channelNotice({ key: 'neverWrote', platform: 'WhatsApp', windowHours: 24, templates: true })).toBe('The customer has not written on WhatsApp yet: choose a template');
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
