// Identity resolution and merges: on a written corpus (planted duplicates of every kind of
// evidence, look-alikes who are different people) the suggestions' precision and recall;
// accept → undo restores every row exactly; after a merge the person's new messages join the
// merged record, and an undo after they wrote takes those back too; a rejection is remembered.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './helpers/app';
import { createAgent, createInbox } from './helpers/fixtures';
import { eventually, login, request } from './helpers/http';
import { scoreSuggestions, writeIdentityCorpus, type IdentityCorpus } from './helpers/identity-corpus';

let t: TestApp;
let admin: string;
let corpus: IdentityCorpus;
const api = (path: string, init: { method?: string; body?: unknown } = {}, token = admin) => request(`${t.url}/api/v1${path}`, { token, ...init });

interface Suggestion { id: string; score: number; evidence: Array<{ kind: string; detail: string; weight: number }>; contacts: Array<{ id: string }> }
const pending = async (): Promise<Suggestion[]> => (await api('/contacts/suggestions?limit=100')).body.data;

/** Every row that is the person's, in a stable order: what an undo must give back exactly. */
async function dump(): Promise<string> {
  const tables = ['contacts', 'contact_identities', 'conversations', 'messages', 'consent_changes', 'merge_suggestions', 'companies'];
  const out: Record<string, unknown> = {};
  for (const table of tables) out[table] = (await t.app.services.db.pool.query(`SELECT to_jsonb(x) AS row FROM ${table} x ORDER BY 1`)).rows.map((r) => JSON.stringify(r.row)).sort();
  return JSON.stringify(out);
}

beforeAll(async () => {
  t = await startTestApp();
  admin = await login(t.url, (await createAgent(t.prisma, { role: 'admin' })).email);
  corpus = await writeIdentityCorpus(t.app.services.db.pool);
});
afterAll(async () => t?.close());

describe('identity resolution', () => {
  it('suggests the planted duplicates with their evidence, and no look-alike', async () => {
    expect(corpus.contacts).toBeGreaterThanOrEqual(200);
    expect(corpus.lookAlikes.length).toBeGreaterThanOrEqual(50);
    const scan = await api('/contacts/suggestions/scan', { method: 'POST' });
    expect(scan.status).toBe(200);
    const all: Array<{ a: string; b: string }> = (await t.prisma.mergeSuggestion.findMany({ where: { status: 'pending' } })).map((s) => ({ a: s.contactAId, b: s.contactBId }));
    const score = scoreSuggestions(corpus, all);
    console.log(`identity resolution on ${corpus.contacts} contacts (${corpus.duplicates.length} planted pairs, ${corpus.lookAlikes.length} look-alike pairs): precision ${score.precision.toFixed(3)}, recall ${score.recall.toFixed(3)}`, score.recallByKind);
    expect(score.precision).toBeGreaterThanOrEqual(0.95);
    expect(score.recall).toBeGreaterThanOrEqual(0.8);
    for (const [kind, recall] of Object.entries(score.recallByKind)) expect(recall, kind).toBeGreaterThanOrEqual(0.8);
    expect(score.lookAlikesSuggested).toEqual([]);

    // The queue shows each suggestion's evidence.
    const phone = corpus.duplicates.find((d) => d.kind === 'same_phone')!;
    const shown = (await pending()).find((s) => s.contacts.some((c) => c.id === phone.a));
    expect(shown?.evidence).toEqual([expect.objectContaining({ kind: 'same_phone', detail: expect.stringMatching(/^\+34/) })]);
    expect(shown!.score).toBeGreaterThanOrEqual(0.6);
    // Nothing was merged by itself.
    expect(await t.prisma.contactMerge.count()).toBe(0);
  });

  it('undoes an accepted merge exactly', async () => {
    const pair = corpus.duplicates.find((d) => d.kind === 'reply_token')!;
    const suggestion = (await pending()).find((s) => s.contacts.some((c) => c.id === pair.a))!;
    const before = await dump();
    const merged = await api(`/contacts/suggestions/${suggestion.id}/accept`, { method: 'POST', body: {} });
    expect(merged.status).toBe(200);
    expect(merged.body).toMatchObject({ survivorId: pair.a, mergedId: pair.b, moved: { identities: 1, messages: 1 } });
    expect(await t.prisma.contact.findUnique({ where: { id: pair.b } })).toBeNull();
    const profile = (await api(`/contacts/${pair.a}`)).body;
    expect(profile.contact.identities).toHaveLength(2);
    expect(profile.merges).toEqual([expect.objectContaining({ id: merged.body.mergeId, mergedId: pair.b })]);
    expect(await dump()).not.toBe(before);

    const undone = await api(`/contacts/merges/${merged.body.mergeId}/undo`, { method: 'POST' });
    expect(undone.status).toBe(200);
    expect(await dump()).toBe(before);
    expect((await api(`/contacts/merges/${merged.body.mergeId}/undo`, { method: 'POST' })).status).toBe(409);
    const log = await t.prisma.auditEvent.findMany({ where: { type: { in: ['contact.merged', 'contact.unmerged'] } }, orderBy: { id: 'asc' } });
    expect(log.map((e) => e.type)).toEqual(['contact.merged', 'contact.unmerged']);
  });

  it('threads the person\'s new messages into the merged record, and an undo after they wrote takes them back', async () => {
    const { inbox, token } = await createInbox(t.prisma, { kind: 'api' });
    const post = (externalId: string, from: object) => request(`${t.url}/api/v1/inboxes/${inbox.id}/messages`, { token, body: { externalId, from, text: 'Is there any news on this?' } });
    const pair = corpus.duplicates.find((d) => d.kind === 'verified_email')!;
    const emailOf = async (id: string) => (await t.prisma.contactIdentity.findFirstOrThrow({ where: { contactId: id, kind: 'email' } })).address;
    const address = await emailOf(pair.a);
    const b = await t.prisma.contact.findUniqueOrThrow({ where: { id: pair.b }, include: { identities: true } });
    // Kept: the one with the widget identity (b); merged away: the email contact (a).
    const merged = (await api(`/contacts/${pair.b}/merge`, { method: 'POST', body: { contactId: pair.a } })).body;
    expect(merged).toMatchObject({ survivorId: pair.b, mergedId: pair.a });

    expect((await post('after-merge-1', { email: address })).status).toBe(202);
    const conversation = await eventually(() => t.prisma.conversation.findFirst({ where: { inboxId: inbox.id }, include: { messages: true } }), { what: 'the new message stored' });
    expect(conversation.contactId).toBe(pair.b);

    await api(`/contacts/merges/${merged.mergeId}/undo`, { method: 'POST' });
    // The conversation they started since on a channel only they had (email, on an API inbox) went back with them.
    expect((await t.prisma.conversation.findUniqueOrThrow({ where: { id: conversation.id } })).contactId).toBe(pair.a);
    expect((await t.prisma.message.findFirstOrThrow({ where: { conversationId: conversation.id } })).contactId).toBe(pair.a);
    expect((await t.prisma.contact.findUniqueOrThrow({ where: { id: pair.b }, include: { identities: true } })).identities).toEqual(b.identities);
    expect(await emailOf(pair.a)).toBe(address);
  });

  it('remembers a rejection', async () => {
    const pair = corpus.duplicates.find((d) => d.kind === 'same_email')!;
    const suggestion = (await pending()).find((s) => s.contacts.some((c) => c.id === pair.a))!;
    expect((await api(`/contacts/suggestions/${suggestion.id}/reject`, { method: 'POST' })).status).toBe(204);
    await api('/contacts/suggestions/scan', { method: 'POST' });
    expect((await pending()).some((s) => s.id === suggestion.id)).toBe(false);
    expect((await t.prisma.mergeSuggestion.findUniqueOrThrow({ where: { id: suggestion.id } })).status).toBe('rejected');
  });

  it('is refused without contacts.merge', async () => {
    const agent = await login(t.url, (await createAgent(t.prisma)).email);
    expect((await api('/contacts/suggestions', {}, agent)).status).toBe(403);
  });
});
