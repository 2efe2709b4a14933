// The knowledge base on the API: articles written and versioned by those who manage it, read
// and searched by every agent (to insert into a reply as text or link).
import { z } from 'zod';
import { NotFoundError } from '../../platform/errors';
import { articleHtml, articleText } from '../knowledge/markdown';
import type { InboxServices } from '../services';
import type { AgentApi } from './auth';

const language = z.string().trim().regex(/^[a-z]{2,3}(-[A-Za-z]{2,4})?$/, 'a language code such as en, es, pt-BR');
const fields = {
  title: z.string().trim().min(1).max(200),
  body: z.string().max(100_000).describe('Markdown'),
  language: language.default('en'),
  tags: z.array(z.string().trim().min(1).max(40)).max(20).default([]),
  inboxId: z.uuid().nullable().default(null).describe('One inbox (its help page and widget), or null for all'),
  audience: z.enum(['customers', 'agents']).default('customers').describe('agents: internal, never on the help page or in the widget'),
  status: z.enum(['draft', 'published']).default('draft'),
};
const createArticle = z.object(fields).strict();
const updateArticle = z.object({
  title: fields.title.optional(), body: fields.body.optional(), language: language.optional(), tags: z.array(z.string().trim().min(1).max(40)).max(20).optional(),
  inboxId: z.uuid().nullable().optional(), audience: z.enum(['customers', 'agents']).optional(), status: z.enum(['draft', 'published']).optional(),
}).strict();

export function knowledgeRoutes(api: AgentApi, s: InboxServices): void {
  const kb = s.knowledge;

  api.route(
    {
      method: 'get', path: '/knowledge/articles', tag: 'knowledge', auth: 'agent',
      query: z.object({ q: z.string().max(500).optional(), language: language.optional(), status: z.enum(['draft', 'published', 'all']).default('all'), limit: z.coerce.number().int().min(1).max(200).default(50) }),
      summary: 'Articles, newest first, or the best matches for q (full-text search in the article\'s language)',
    },
    async ({ query, caller }) => {
      const inboxIds = await s.access.inboxIds(caller);
      const hits = await kb.search({ q: query.q, language: query.language ?? null, inboxIds, published: query.status === 'published', limit: query.limit });
      return { data: query.status === 'draft' ? hits.filter((h) => h.status === 'draft') : hits };
    },
  );

  api.route(
    { method: 'get', path: '/knowledge/articles/:id', tag: 'knowledge', auth: 'agent', summary: 'An article with its Markdown, its HTML and its text (to insert into a reply), and where customers read it' },
    async ({ req }) => {
      const a = await kb.get(String(req.params.id));
      return { ...a, html: articleHtml(a.body), text: articleText(a.body), url: a.inboxId ? `${s.connectorContext.publicUrl()}/help/${a.inboxId}/articles/${a.id}` : null };
    },
  );

  api.route(
    { method: 'post', path: '/knowledge/articles', tag: 'knowledge', auth: 'agent', access: { permission: 'knowledge.manage' }, body: createArticle, summary: 'Write an article (version 1)', responses: { 201: 'The article' } },
    async ({ body, caller, res }) => {
      if (body.inboxId && !(await s.db.prisma.inbox.findUnique({ where: { id: body.inboxId }, select: { id: true } }))) throw new NotFoundError('Inbox');
      res.status(201);
      return kb.create(body, caller.id);
    },
  );

  api.route(
    { method: 'patch', path: '/knowledge/articles/:id', tag: 'knowledge', auth: 'agent', access: { permission: 'knowledge.manage' }, body: updateArticle, summary: 'Change an article: a new version (the old ones stay, GET …/versions)' },
    async ({ req, body, caller }) => kb.update(String(req.params.id), body, caller.id),
  );

  api.route(
    { method: 'delete', path: '/knowledge/articles/:id', tag: 'knowledge', auth: 'agent', access: { permission: 'knowledge.manage' }, summary: 'Delete an article and its versions', responses: { 204: 'Deleted' } },
    async ({ req, res }) => {
      await kb.remove(String(req.params.id));
      res.status(204);
    },
  );

  api.route(
    { method: 'get', path: '/knowledge/articles/:id/versions', tag: 'knowledge', auth: 'agent', summary: 'Every version of an article, newest first' },
    async ({ req }) => {
      await kb.get(String(req.params.id));
      return { data: await kb.versions(String(req.params.id)) };
    },
  );
}
