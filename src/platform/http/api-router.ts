// Declares an API route once: its method, path, schemas and who may call it. From that one
// declaration come the express route (input parsed and validated, 400 with field errors) and
// its entry in the OpenAPI document, so the docs cannot drift from the code.
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { parseInput } from './validate';

type Method = 'get' | 'post' | 'patch' | 'put' | 'delete';

export interface RouteSpec<B extends z.ZodType | undefined, Q extends z.ZodType | undefined, G = unknown> {
  method: Method;
  path: string;
  summary: string;
  tag: string;
  /** Who may call it: anyone, or a logged-in caller (an agent, an API token); enforced by the `authorise` hook given to ApiRouter. */
  auth: 'none' | 'agent';
  /** What else the caller needs (a permission, sight of the resource the path names): the `authorise` hook decides, before the input is read. */
  access?: G;
  /** What an API token needs to call it; default `<tag>:read` for GET, `<tag>:write` otherwise. */
  scope?: string;
  body?: B;
  query?: Q;
  /** Status → description, for the docs. */
  responses?: Record<number, string>;
}

export interface RouteContext<A, B, Q> {
  req: Request;
  res: Response;
  body: B;
  query: Q;
  /** The authenticated caller (undefined for auth: 'none'). */
  caller: A;
}

type Out<S> = S extends z.ZodType ? z.output<S> : undefined;

type AnySpec<G> = RouteSpec<z.ZodType | undefined, z.ZodType | undefined, G>;

export class ApiRouter<A, G = unknown> {
  readonly router = Router();
  private readonly specs: Array<AnySpec<G>> = [];

  constructor(private readonly authorise: (req: Request, res: Response, spec: { scope: string; access?: G }) => Promise<A>) {}

  /** Every route declared here (the authorization matrix test walks them). */
  routes(): ReadonlyArray<Readonly<AnySpec<G>>> {
    return this.specs;
  }

  route<B extends z.ZodType | undefined = undefined, Q extends z.ZodType | undefined = undefined>(
    spec: RouteSpec<B, Q, G>,
    handler: (ctx: RouteContext<A, Out<B>, Out<Q>>) => Promise<unknown>,
  ): void {
    this.specs.push(spec);
    this.router[spec.method](spec.path, async (req: Request, res: Response) => {
      // Who may call it is decided before the input is read: a refused caller learns nothing from validation errors.
      const caller = spec.auth === 'none' ? (undefined as A) : await this.authorise(req, res, { scope: scopeOf(spec), access: spec.access });
      const body = (spec.body ? parseInput(spec.body, req.body ?? {}) : undefined) as Out<B>;
      const query = (spec.query ? parseInput(spec.query, req.query, 'query string') : undefined) as Out<Q>;
      const result = await handler({ req, res, body, query, caller });
      if (!res.headersSent) {
        if (result === undefined) res.status(204).end();
        else res.json(result);
      }
    });
  }

  /** Adds routes declared elsewhere (e.g. connectors' webhooks) to the docs only. */
  document(spec: Omit<AnySpec<unknown>, 'access'>): void {
    this.specs.push(spec);
  }

  openApi(info: { title: string; version: string; description: string }, prefix: string): object {
    const paths: Record<string, Record<string, unknown>> = {};
    for (const s of this.specs) {
      // Channel routes live outside the API (webhooks at the root): absolute paths stay as they are.
      const fullPath = /^\/(api|webhooks|widget)\//.test(s.path) ? s.path : `${prefix}${s.path}`;
      const path = fullPath.replace(/:(\w+)/g, '{$1}');
      const params = [...fullPath.matchAll(/:(\w+)/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: { type: 'string' } }));
      const queryParams = s.query ? queryParameters(s.query) : [];
      paths[path] ??= {};
      paths[path][s.method] = {
        summary: s.summary,
        tags: [s.tag],
        ...(s.auth !== 'none' ? { security: [{ bearer: [] }, { cookie: [] }], 'x-token-scope': scopeOf(s), ...(s.access !== undefined ? { 'x-access': s.access } : {}) } : {}),
        parameters: [...params, ...queryParams],
        ...(s.body ? { requestBody: { required: true, content: { 'application/json': { schema: z.toJSONSchema(s.body, { io: 'input', unrepresentable: 'any' }) } } } } : {}),
        responses: Object.fromEntries(
          Object.entries({ 200: 'OK', 400: 'Invalid input ({ error: { code, message, details } })', ...(s.auth !== 'none' ? { 401: 'Not logged in' } : {}), ...s.responses }).map(
            ([code, description]) => [code, { description }],
          ),
        ),
      };
    }
    return {
      openapi: '3.1.0',
      info,
      servers: [{ url: '/' }],
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', description: 'An agent session token from POST /api/v1/auth/login; an API token (inbx_…) limited to the scope each route names in x-token-scope; or an inbox token for inbound messages' },
          cookie: { type: 'apiKey', in: 'cookie', name: 'inbox_session' },
        },
      },
      paths,
    };
  }
}

/** The scope an API token needs for a route. */
export const scopeOf = (s: Pick<RouteSpec<undefined, undefined, unknown>, 'scope' | 'tag' | 'method'>) => s.scope ?? `${s.tag}:${s.method === 'get' ? 'read' : 'write'}`;

function queryParameters(schema: z.ZodType): unknown[] {
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as { properties?: Record<string, unknown>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, s]) => ({ name, in: 'query', required: json.required?.includes(name) ?? false, schema: s }));
}
