// What an agent receives live is exactly what the API answers for the same thing.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './helpers/app';
import { createAgent, createInbox } from './helpers/fixtures';
import { collect, connectAgent, login, nextEvent, request } from './helpers/http';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t?.close());

it('a live message.created (with its conversation) and conversation.created equal the API views of the same message and conversation', async () => {
  const agent = await createAgent(t.prisma, { name: 'Vic Viewer' });
  const { inbox, token } = await createInbox(t.prisma, { memberIds: [agent.id] });
  const agentToken = await login(t.url, agent.email);
  const socket = await connectAgent(t.url, agentToken);
  try {
    const messageEvent = nextEvent(socket, 'message.created');
    const conversationEvent = nextEvent(socket, 'conversation.created');
    await request(`${t.url}/api/v1/inboxes/${inbox.id}/messages`, {
      token,
      body: { externalId: 'v-1', from: { name: 'Val', email: 'val@example.com' }, subject: 'Broken', text: 'The charger is broken and I am annoyed.', html: '<p>The charger is <b>broken</b><script>alert(1)</script></p>' },
    });
    const [live, liveConversation] = await Promise.all([messageEvent, conversationEvent]);
    const api = await request(`${t.url}/api/v1/conversations/${live.conversationId}`, { token: agentToken });
    expect(live.message).toEqual(api.body.messages[0]);
    expect(liveConversation.conversation).toEqual(api.body.conversation);
    expect(live.conversation).toEqual(api.body.conversation);
    expect(live.message.html).not.toContain('script');
    expect(live.message.sender).toEqual({ type: 'contact', id: api.body.conversation.contact.id, name: 'Val' });
  } finally {
    socket.disconnect();
  }
});

it('a follow-up message carries its conversation in one event; a reopen is still a conversation.updated', async () => {
  const agent = await createAgent(t.prisma, { name: 'Una Updates' });
  const { inbox, token } = await createInbox(t.prisma, { memberIds: [agent.id] });
  const agentToken = await login(t.url, agent.email);
  const socket = await connectAgent(t.url, agentToken);
  const post = (externalId: string, text: string) => request(`${t.url}/api/v1/inboxes/${inbox.id}/messages`, { token, body: { externalId, from: { email: 'una@example.com' }, text } });
  try {
    const first = nextEvent(socket, 'message.created', (e) => e.message.externalId === 'u-1');
    await post('u-1', 'My parcel has not arrived.');
    const conversationId = (await first).conversationId;
    const updates = collect(socket, 'conversation.updated');
    const second = nextEvent(socket, 'message.created', (e) => e.message.externalId === 'u-2');
    await post('u-2', 'Still nothing, this is the third week!');
    const live = await second;
    expect(live.conversation).toMatchObject({ id: conversationId, messageCount: 2, lastMessagePreview: 'Still nothing, this is the third week!' });
    const api = await request(`${t.url}/api/v1/conversations/${conversationId}`, { token: agentToken });
    expect(live.conversation).toEqual(api.body.conversation);

    // Resolved, then the customer writes again: the reopen is announced as a status change.
    const resolved = nextEvent(socket, 'conversation.updated', (e) => e.conversation.status === 'resolved');
    await request(`${t.url}/api/v1/conversations/${conversationId}/status`, { token: agentToken, body: { status: 'resolved' } });
    await resolved;
    const reopened = nextEvent(socket, 'conversation.updated', (e) => e.conversation.id === conversationId && e.changes.includes('status'));
    const third = nextEvent(socket, 'message.created', (e) => e.message.externalId === 'u-3');
    await post('u-3', 'It came back broken.');
    expect((await reopened).conversation.status).toBe('open');
    expect((await third).conversation.status).toBe('open');
    // The follow-up itself produced no conversation.updated: only the resolve and the reopen did.
    expect(updates.map((e) => e.conversation.status)).toEqual(['resolved', 'open']);
  } finally {
    socket.disconnect();
  }
});
