// Account-wide outbound webhooks: subscribe a URL to events, see each endpoint's
// delivery log, replay a delivery, send a test ping, rotate the signing secret.
import { z } from 'zod';
import { NotFoundError, ValidationError } from '../../platform/errors';
import type { InboxServices } from '../services';
import { webhookUrlProblem } from '../webhooks/url-safety';
import { WEBHOOK_EVENTS, webhookEndpointSecret } from '../webhooks/webhooks';
import type { AgentApi } from './auth';

const events = z.array(z.enum(['*', ...WEBHOOK_EVENTS])).min(1).max(20);
const createBody = z.object({ url: z.string().max(2_000), events, description: z.string().max(500).optional() }).strict();
const updateBody = z.object({ url: z.string().max(2_000).optional(), events: events.optional(), description: z.string().max(500).optional(), enabled: z.boolean().optional() }).strict();
const deliveriesQuery = z.object({ limit: z.coerce.number().int().min(1).max(200).default(50) });

export function webhookRoutes(api: AgentApi, s: InboxServices): void {
  const { prisma } = s.db;
  const endpoint = async (id: string) => {
    const found = z.uuid().safeParse(id).success ? await prisma.webhookEndpoint.findUnique({ where: { id } }) : null;
    if (!found) throw new NotFoundError('No such webhook endpoint');
    return found;
  };
  const checkUrl = async (url: string) => {
    const problem = await webhookUrlProblem(url, s.config.WEBHOOK_ALLOW_PRIVATE);
    if (problem) throw new ValidationError(`url: ${problem}`);
  };
  const view = ({ secretVersion: _v, ...e }: Awaited<ReturnType<typeof endpoint>>) => e;

  api.route({ method: 'get', path: '/webhooks', tag: 'webhooks', auth: 'agent', access: { permission: 'settings.manage' }, summary: 'Webhook endpoints, with the events each receives' }, async () => ({
    events: WEBHOOK_EVENTS,
    data: (await prisma.webhookEndpoint.findMany({ orderBy: { createdAt: 'asc' } })).map(view),
  }));

  api.route(
    {
      method: 'post', path: '/webhooks', tag: 'webhooks', auth: 'agent', access: { permission: 'settings.manage' }, body: createBody,
      summary: 'Subscribe a URL to events. Answers the endpoint and, once only, its signing secret',
      responses: { 201: '{ ...endpoint, secret }', 400: 'A bad URL (not http(s), or a private or loopback address unless WEBHOOK_ALLOW_PRIVATE) or an unknown event' },
    },
    async ({ body, res }) => {
      await checkUrl(body.url);
      const created = await prisma.webhookEndpoint.create({ data: { url: body.url, events: body.events, description: body.description ?? '' } });
      s.webhooks.changed();
      res.status(201);
      return { ...view(created), secret: webhookEndpointSecret(s.config.appSecret, created.id, created.secretVersion) };
    },
  );

  api.route(
    { method: 'patch', path: '/webhooks/:id', tag: 'webhooks', auth: 'agent', access: { permission: 'settings.manage' }, body: updateBody, summary: 'Change an endpoint; enabled: true switches it on again and sends what waited', responses: { 404: 'No such endpoint' } },
    async ({ req, body }) => {
      const { id } = await endpoint(String(req.params.id));
      if (body.url) await checkUrl(body.url);
      const updated = await prisma.webhookEndpoint.update({
        where: { id },
        data: { ...body, ...(body.enabled === true ? { consecutiveFailures: 0, disabledReason: null } : {}) },
      });
      s.webhooks.changed();
      if (body.enabled === true) await s.webhooks.sweep(0);
      return view(updated);
    },
  );

  api.route({ method: 'delete', path: '/webhooks/:id', tag: 'webhooks', auth: 'agent', access: { permission: 'settings.manage' }, summary: 'Delete an endpoint and its delivery log', responses: { 404: 'No such endpoint' } }, async ({ req }) => {
    const { id } = await endpoint(String(req.params.id));
    await prisma.webhookEndpoint.delete({ where: { id } });
    s.webhooks.changed();
    return { deleted: id };
  });

  api.route(
    { method: 'post', path: '/webhooks/:id/secret', tag: 'webhooks', auth: 'agent', access: { permission: 'settings.manage' }, summary: 'Rotate the signing secret: the old one stops at once; answers the new one, once', responses: { 404: 'No such endpoint' } },
    async ({ req }) => {
      const { id } = await endpoint(String(req.params.id));
      const updated = await prisma.webhookEndpoint.update({ where: { id }, data: { secretVersion: { increment: 1 } } });
      return { id, secret: webhookEndpointSecret(s.config.appSecret, id, updated.secretVersion) };
    },
  );

  api.route(
    { method: 'post', path: '/webhooks/:id/ping', tag: 'webhooks', auth: 'agent', access: { permission: 'settings.manage' }, summary: 'Send a test event (type "ping") to the endpoint, once', responses: { 202: '{ deliveryId }', 404: 'No such endpoint' } },
    async ({ req, res }) => {
      const { id } = await endpoint(String(req.params.id));
      const [deliveryId] = await s.webhooks.publish('ping', { message: 'A test event from your inbox' }, id);
      res.status(202);
      return { deliveryId };
    },
  );

  api.route(
    { method: 'get', path: '/webhooks/:id/deliveries', tag: 'webhooks', auth: 'agent', access: { permission: 'settings.manage' }, query: deliveriesQuery, summary: 'The delivery log of an endpoint, newest first: status, attempts, HTTP code, latency, response excerpt', responses: { 404: 'No such endpoint' } },
    async ({ req, query }) => {
      const { id } = await endpoint(String(req.params.id));
      const data = await prisma.webhookDelivery.findMany({ where: { endpointId: id }, orderBy: { createdAt: 'desc' }, take: query.limit, omit: { payload: true } });
      return { data };
    },
  );

  api.route(
    { method: 'post', path: '/webhooks/:id/deliveries/:deliveryId/replay', tag: 'webhooks', auth: 'agent', access: { permission: 'settings.manage' }, summary: 'Send a delivery again, with the same id', responses: { 202: 'Queued', 404: 'No such delivery' } },
    async ({ req, res }) => {
      const { id } = await endpoint(String(req.params.id));
      const deliveryId = String(req.params.deliveryId);
      const found = z.uuid().safeParse(deliveryId).success ? await prisma.webhookDelivery.findFirst({ where: { id: deliveryId, endpointId: id }, select: { id: true } }) : null;
      if (!found) throw new NotFoundError('No such delivery');
      await s.webhooks.replay(found.id);
      res.status(202);
      return { replayed: found.id };
    },
  );
}
