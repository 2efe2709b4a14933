// What an agent receives live is exactly what the API answers for the same thing.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './helpers/app';
import { createAgent, createInbox } from './helpers/fixtures';
import { connectAgent, login, nextEvent, request } from './helpers/http';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t?.close());

it('a live message.created and conversation.created equal the API views of the same message and conversation', async () => {
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
    expect(live.message.html).not.toContain('script');
    expect(live.message.sender).toEqual({ type: 'contact', id: api.body.conversation.contact.id, name: 'Val' });
  } finally {
    socket.disconnect();
  }
});
