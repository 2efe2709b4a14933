// Prometheus metrics (prom-client): one registry per running app, scraped at GET /metrics on
// a web process, or on METRICS_PORT for a worker. Process figures (CPU, memory, event-loop
// lag, GC) come with prom-client's defaults; the product adds its own beside them.
import http from 'node:http';
import client from 'prom-client';
import type { RequestHandler } from 'express';

export type Collect = () => Promise<Array<{ labels?: Record<string, string>; value: number }> | number>;

export class Metrics {
  readonly registry = new client.Registry();
  readonly httpDuration: client.Histogram<'method' | 'route' | 'status'>;

  constructor() {
    client.collectDefaultMetrics({ register: this.registry, prefix: 'inbox_' });
    this.httpDuration = new client.Histogram({
      name: 'inbox_http_request_duration_seconds',
      help: 'HTTP requests by method, route pattern and status, and how long they took',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [this.registry],
    });
  }

  histogram<L extends string>(name: string, help: string, buckets: number[], labelNames: L[] = []): client.Histogram<L> {
    return new client.Histogram({ name, help, buckets, labelNames, registers: [this.registry] });
  }

  counter<L extends string>(name: string, help: string, labelNames: L[] = []): client.Counter<L> {
    return new client.Counter({ name, help, labelNames, registers: [this.registry] });
  }

  /** A gauge read when scraped; a failing read leaves the series out of that scrape rather than failing it. */
  gauge(name: string, help: string, labelNames: string[], collect: Collect): void {
    new client.Gauge({
      name, help, labelNames, registers: [this.registry],
      async collect() {
        this.reset();
        const value = await collect().catch(() => null);
        if (value === null) return;
        if (typeof value === 'number') this.set(value);
        else for (const v of value) this.set(v.labels ?? {}, v.value);
      },
    });
  }

  /** Times every request; the route is Express's matched pattern (never the raw path, which would make a series per id). */
  httpMiddleware(): RequestHandler {
    return (req, res, next) => {
      const end = this.httpDuration.startTimer();
      res.once('finish', () => {
        const pattern = (req.route as { path?: string } | undefined)?.path;
        const route = pattern ? `${req.baseUrl}${pattern}` : res.statusCode === 404 ? 'unmatched' : 'other';
        end({ method: req.method, route, status: String(res.statusCode) });
      });
      next();
    };
  }

  /** A scrape's answer; with a token set, only for a caller that presents it. */
  private async scrape(authorization: string | undefined, token?: string): Promise<{ status: number; type: string; body: string }> {
    if (token && authorization !== `Bearer ${token}`) return { status: 401, type: 'text/plain', body: 'GET /metrics needs the METRICS_TOKEN as a Bearer token\n' };
    return { status: 200, type: this.registry.contentType, body: await this.registry.metrics() };
  }

  handler(token?: string): RequestHandler {
    return async (req, res) => {
      const r = await this.scrape(req.headers.authorization, token);
      res.status(r.status).type(r.type).send(r.body);
    };
  }

  /** A small server of its own for a process without a web server (the worker role). */
  listen(port: number, host: string, token?: string): Promise<http.Server> {
    const server = http.createServer((req, res) => {
      if (req.url !== '/metrics') return void res.writeHead(404).end();
      void this.scrape(req.headers.authorization, token).then((r) => res.writeHead(r.status, { 'content-type': r.type }).end(r.body));
    });
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve(server));
    });
  }
}
