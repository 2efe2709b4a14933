// Talks to /api/v1 with the session cookie. Errors carry the server's code and message; the
// codes an agent meets as such are said in their language (the server's English otherwise).
import { t } from './text';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export async function api<T>(path: string, init: { method?: string; body?: unknown } = {}): Promise<T> {
  let res: Response;
  try {
    res = await fetch(`/api/v1${path}`, {
      method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
      credentials: 'same-origin',
      headers: init.body === undefined ? {} : { 'content-type': 'application/json' },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
  } catch {
    throw new ApiError(0, 'network', t.errors.network);
  }
  if (res.status === 204) return undefined as T;
  const data = (await res.json().catch(() => ({}))) as { error?: { code: string; message: string; details?: unknown } };
  if (!res.ok) {
    // Field errors say which field and why: show them, not just "not valid".
    const fields = Array.isArray(data.error?.details) ? (data.error.details as Array<{ path?: string; message?: string }>).map((d) => (d.path ? `${d.path}: ${d.message}` : d.message)).join('; ') : '';
    const code = data.error?.code ?? 'error';
    const said = code === 'unauthorized' && path === '/auth/login' ? t.errors.wrongLogin : (t.errors.byCode as Record<string, string | undefined>)[code];
    throw new ApiError(res.status, code, said ?? [data.error?.message ?? res.statusText, fields].filter(Boolean).join(' — '));
  }
  return data as T;
}
