// The web role's HTTP surface: health, channel webhooks, the agent API, sockets and the
// built agent app. Thin: routes parse, authorise, call a service and shape the answer.
import fs from 'node:fs';
import http from 'node:http';
import { unsubscribeRoutes } from './inbox/contacts/unsubscribe';
import { helpPageRoutes } from './inbox/knowledge/help-page';
import { SurveyAnswers } from './inbox/surveys/answer';
import { surveyRoutes } from './inbox/surveys/pages';
import path from 'node:path';
import express, { type Request } from 'express';
import helmet from 'helmet';
import { Server as SocketServer } from 'socket.io';
import { errorHandler, notFoundHandler } from './platform/http/error-handler';
import { requestIds } from './platform/request-context';
import { agentApi, API_PREFIX } from './inbox/api';
import { attachAgentNamespace } from './inbox/realtime/agents-namespace';
import type { InboxServices } from './inbox/services';
import type { ConnectorRegistry } from './inbox/channels/registry';
import type { Metrics } from './platform/metrics';

export interface WebServer {
  http: http.Server;
  io: SocketServer;
  app: express.Express;
}

/** Requests keep their raw bytes: webhook signatures are computed over exactly what was sent. */
export type RawBodyRequest = Request & { rawBody?: Buffer };

export function createWebServer(s: InboxServices, o: { connectors: ConnectorRegistry; webDistDir: string; readiness: () => Promise<Record<string, string>>; metrics: Metrics }): WebServer {
  const app = express();
  app.disable('x-powered-by');
  // JSON answers are built per request and go stale with every message: a SHA-1 of each body
  // (Express's ETag) would cost the intake path and save nobody a download. Static files keep theirs.
  app.set('etag', false);
  app.set('trust proxy', s.config.TRUST_PROXY ? true : 'loopback');
  app.use(o.metrics.httpMiddleware());
  app.get('/metrics', o.metrics.handler(s.config.METRICS_TOKEN));
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          'default-src': ["'self'"],
          'img-src': ["'self'", 'data:', 'cid:'],
          'style-src': ["'self'", "'unsafe-inline'"],
          'connect-src': ["'self'", 'ws:', 'wss:'],
        },
      },
      crossOriginResourcePolicy: false,
    }),
  );
  const keepRaw = (req: http.IncomingMessage, _res: http.ServerResponse, buf: Buffer) => {
    (req as RawBodyRequest).rawBody = buf;
  };
  app.use(express.json({ limit: s.config.MAX_BODY_BYTES, verify: keepRaw }));
  app.use(express.urlencoded({ limit: s.config.MAX_BODY_BYTES, extended: false, verify: keepRaw }));
  app.use(requestIds());

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    const checks = await o.readiness();
    const ok = Object.values(checks).every((v) => v === 'ok');
    res.status(ok ? 200 : 503).json({ status: ok ? 'ready' : 'not ready', checks });
  });

  for (const connector of o.connectors.all()) if (connector.routes) app.use(connector.routes(s.connectorContext));
  app.use(helpPageRoutes({ db: s.db, knowledge: s.knowledge, help: s.help }));
  app.use(unsubscribeRoutes({ db: s.db, appSecret: s.config.appSecret, logger: s.logger }));
  app.use(surveyRoutes({ answers: new SurveyAnswers({ db: s.db, actions: s.actions, now: s.clock }), appSecret: s.config.appSecret, logger: s.logger }));
  app.use(API_PREFIX, agentApi(s));
  app.use(API_PREFIX, notFoundHandler);

  if (fs.existsSync(path.join(o.webDistDir, 'index.html'))) {
    app.use(express.static(o.webDistDir, { index: false, maxAge: '1h' }));
    // The agent app routes in the browser: every other GET gets its page.
    app.get(/^\/(?!api\/|socket\.io\/).*/, (_req, res) => {
      res.setHeader('cache-control', 'no-cache');
      res.sendFile(path.join(o.webDistDir, 'index.html'));
    });
  } else {
    app.get('/', (_req, res) => {
      res.type('text').send('The agent app is not built. Run `npm run build:web` (npm start does this for you).');
    });
  }
  app.use(notFoundHandler);
  app.use(errorHandler(s.logger));

  const server = http.createServer(app);
  // Longer than the usual load-balancer idle timeout (60 s), so the proxy closes idle
  // keep-alive connections first and never sends a request into one we are closing.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  // Cross-origin handshakes are allowed for the chat widget on customers' sites; each widget
  // inbox checks its own origin allow-list. Agents are safe: their cookie is SameSite=Lax
  // (never sent cross-site) and CORS here never allows credentials.
  const io = new SocketServer(server, { serveClient: false, cors: { origin: true, credentials: false }, maxHttpBufferSize: 1e6 });
  attachAgentNamespace(io, s);
  for (const connector of o.connectors.all()) connector.sockets?.(s.connectorContext, io);
  return { http: server, io, app };
}
