// The agent app's catalogues: every shipped language has every key of the English one (a
// missing key fails here, listing it), and plurals are each language's own (ICU).
import { describe, expect, it } from 'vitest';
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
