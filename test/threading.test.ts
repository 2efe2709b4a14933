// Threading rules, decided without a database (the candidates are given).
import { describe, expect, it } from 'vitest';
import { decideThread, ThreadCandidates, type Candidate } from '../src/inbox/conversations/threading';
import { inboundMessageSchema, type InboundMessageInput } from '../src/inbox/pipeline/inbound-message';

const now = new Date('2026-11-20T12:00:00Z');
const HOUR = 3_600_000;
const opts = { now, reopenWindowMs: 24 * HOUR, parseToken: (t: string) => (t === 'valid' ? 42 : null) };
const msg = (m: Partial<InboundMessageInput> = {}) =>
  inboundMessageSchema.parse({ externalId: 'x', from: { identities: [{ kind: 'email', address: 'a@example.com' }] }, text: 'hi', ...m });
const conv = (c: Partial<Candidate> = {}): Candidate => ({ id: 'c1', inboxId: 'i1', contactId: 'k1', type: 'direct', status: 'open', resolvedAt: null, ...c });

describe('decideThread', () => {
  it('starts a new conversation when nothing points anywhere', () => {
    expect(decideThread({ inboxId: 'i1', contactId: 'k1', message: msg() }, new ThreadCandidates(), opts)).toEqual({ conversationId: null, reason: 'new', reopens: false });
  });

  it('joins the contact’s open conversation in the same inbox', () => {
    const found = new ThreadCandidates();
    found.latest.set(ThreadCandidates.latestKey('i1', 'k1', 'direct'), conv());
    expect(decideThread({ inboxId: 'i1', contactId: 'k1', message: msg() }, found, opts)).toMatchObject({ conversationId: 'c1', reason: 'open-conversation' });
  });

  it('does not join an open conversation when the channel threads explicitly (email)', () => {
    const found = new ThreadCandidates();
    found.latest.set(ThreadCandidates.latestKey('i1', 'k1', 'direct'), conv());
    expect(decideThread({ inboxId: 'i1', contactId: 'k1', message: msg({ thread: { continueOpen: false } }) }, found, opts).reason).toBe('new');
  });

  it('reopens a resolved conversation within the window, and starts a new one after it', () => {
    const found = new ThreadCandidates();
    found.latest.set(ThreadCandidates.latestKey('i1', 'k1', 'direct'), conv({ status: 'resolved', resolvedAt: new Date(now.getTime() - 2 * HOUR) }));
    expect(decideThread({ inboxId: 'i1', contactId: 'k1', message: msg() }, found, opts)).toMatchObject({ conversationId: 'c1', reason: 'reopened', reopens: true });
    found.latest.set(ThreadCandidates.latestKey('i1', 'k1', 'direct'), conv({ status: 'resolved', resolvedAt: new Date(now.getTime() - 25 * HOUR) }));
    expect(decideThread({ inboxId: 'i1', contactId: 'k1', message: msg() }, found, opts).reason).toBe('new');
  });

  it('prefers a signed conversation token over everything else, and ignores a forged one', () => {
    const found = new ThreadCandidates();
    found.byReference.set(42, conv({ id: 'by-token' }));
    found.latest.set(ThreadCandidates.latestKey('i1', 'k1', 'direct'), conv({ id: 'open-one' }));
    expect(decideThread({ inboxId: 'i1', contactId: 'k1', message: msg({ thread: { conversationToken: 'valid' } }) }, found, opts)).toMatchObject({ conversationId: 'by-token', reason: 'conversation-token' });
    expect(decideThread({ inboxId: 'i1', contactId: 'k1', message: msg({ thread: { conversationToken: 'forged' } }) }, found, opts)).toMatchObject({ conversationId: 'open-one', reason: 'open-conversation' });
  });

  it('follows In-Reply-To before References, newest reference first', () => {
    const found = new ThreadCandidates();
    found.byExternalId.set('<a@x>', [conv({ id: 'oldest' })]);
    found.byExternalId.set('<b@x>', [conv({ id: 'newer' })]);
    found.byExternalId.set('<c@x>', [conv({ id: 'replied-to' })]);
    const withReply = msg({ thread: { inReplyTo: '<c@x>', references: ['<a@x>', '<b@x>'], continueOpen: false } });
    expect(decideThread({ inboxId: 'i1', contactId: 'k1', message: withReply }, found, opts)).toMatchObject({ conversationId: 'replied-to', reason: 'in-reply-to' });
    const refsOnly = msg({ thread: { references: ['<a@x>', '<b@x>'], continueOpen: false } });
    expect(decideThread({ inboxId: 'i1', contactId: 'k1', message: refsOnly }, found, opts)).toMatchObject({ conversationId: 'newer', reason: 'references' });
  });

  it('never joins another customer’s conversation through a shared reference (bulk mail)', () => {
    const found = new ThreadCandidates();
    found.byExternalId.set('<newsletter@x>', [conv({ id: 'other-customer', contactId: 'k2' })]);
    const reply = msg({ thread: { inReplyTo: '<newsletter@x>', continueOpen: false } });
    expect(decideThread({ inboxId: 'i1', contactId: 'k1', message: reply }, found, opts).reason).toBe('new');
  });

  it('lets a later message of the same batch join a conversation an earlier one created', () => {
    const found = new ThreadCandidates();
    const first = { inboxId: 'i1', contactId: 'k1', message: msg({ externalId: 'm1' }) };
    found.remember(first, conv({ id: 'fresh' }));
    expect(decideThread({ inboxId: 'i1', contactId: 'k1', message: msg({ externalId: 'm2' }) }, found, opts)).toMatchObject({ conversationId: 'fresh', reason: 'open-conversation' });
    expect(decideThread({ inboxId: 'i1', contactId: 'k1', message: msg({ externalId: 'm3', thread: { inReplyTo: 'm1', continueOpen: false } }) }, found, opts)).toMatchObject({ conversationId: 'fresh', reason: 'in-reply-to' });
  });
});
