// Settings → Webhooks (admins): subscribe a URL to events, see the secret once, each
// endpoint's delivery log with the receiver's answers, send one again, switch on and off.
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { api } from '../lib/api';
import { t } from '../lib/text';
import { formatDateTime } from '../lib/format';

interface Endpoint { id: string; url: string; events: string[]; enabled: boolean; disabledReason: string | null; description: string }
interface Delivery { id: string; event: string; status: string; attempts: number; lastStatusCode: number | null; lastLatencyMs: number | null; lastError: string | null; responseExcerpt: string | null; createdAt: string }

function Deliveries({ endpointId, fail }: { endpointId: string; fail: (e: Error) => void }) {
  const [rows, setRows] = useState<Delivery[] | null>(null);
  const load = useCallback(() => void api<{ data: Delivery[] }>(`/webhooks/${endpointId}/deliveries?limit=20`).then((r) => setRows(r.data), fail), [endpointId, fail]);
  // Open, the log follows what happens (retries, a replay) every two seconds.
  useEffect(() => {
    load();
    const timer = setInterval(load, 2_000);
    return () => clearInterval(timer);
  }, [load]);
  if (!rows) return null;
  if (!rows.length) return <p className="muted">{t.settings.noDeliveries}</p>;
  return (
    <table aria-label={t.settings.deliveries}>
      <tbody>
        {rows.map((d) => (
          <tr key={d.id}>
            <td>{formatDateTime(d.createdAt)}</td>
            <td>{d.event}</td>
            <td title={d.responseExcerpt ?? undefined}>{t.settings.deliveryLine(d)}</td>
            <td>
              <button type="button" onClick={() => api(`/webhooks/${endpointId}/deliveries/${d.id}/replay`, { body: {} }).then(load, fail)}>
                {t.settings.replay}
              </button>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function WebhookSettings() {
  const [rows, setRows] = useState<Endpoint[]>([]);
  const [events, setEvents] = useState<string[]>([]);
  const [secret, setSecret] = useState<string | null>(null);
  const [open, setOpen] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const fail = useCallback((e: Error) => setError(e.message), []);
  const reload = useCallback(() => void api<{ data: Endpoint[]; events: string[] }>('/webhooks').then((r) => (setRows(r.data), setEvents(r.events)), fail), [fail]);
  useEffect(reload, [reload]);
  const create = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = e.currentTarget;
    const data = new FormData(form);
    const chosen = data.getAll('events').map(String);
    setError(null);
    api<{ secret: string }>('/webhooks', { body: { url: String(data.get('url')), events: chosen.length ? chosen : ['*'] } }).then((r) => {
      setSecret(r.secret);
      form.reset();
      reload();
    }, fail);
  };
  const change = (id: string, body: object) => api(`/webhooks/${id}`, { method: 'PATCH', body }).then(reload, fail);
  return (
    <section aria-label={t.settings.webhooks}>
      <h3>{t.settings.webhooks}</h3>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      <ul>
        {rows.map((w) => (
          <li key={w.id}>
            <code>{w.url}</code> · {w.events.includes('*') ? t.settings.allEvents : w.events.join(', ')}
            {!w.enabled && <p className="error">{t.settings.webhookOff(w.disabledReason)}</p>}{' '}
            <button type="button" onClick={() => change(w.id, { enabled: !w.enabled })}>
              {w.enabled ? t.settings.switchOff : t.settings.switchOn}
            </button>{' '}
            <button type="button" onClick={() => api(`/webhooks/${w.id}/ping`, { body: {} }).then(() => setOpen(w.id), fail)}>
              {t.settings.ping}
            </button>{' '}
            <button type="button" aria-expanded={open === w.id} onClick={() => setOpen(open === w.id ? null : w.id)}>
              {t.settings.deliveries}
            </button>{' '}
            <button type="button" aria-label={t.settings.remove(w.url)} onClick={() => api(`/webhooks/${w.id}`, { method: 'DELETE' }).then(reload, fail)}>
              ×
            </button>
            {open === w.id && <Deliveries endpointId={w.id} fail={fail} />}
          </li>
        ))}
      </ul>
      {secret && (
        <p role="status">
          {t.settings.webhookSecretOnce} <code>{secret}</code>
        </p>
      )}
      <form onSubmit={create} aria-label={t.settings.webhooks}>
        <label>
          {t.settings.webhookUrl} <input name="url" type="url" required placeholder="https://…" />
        </label>
        <fieldset>
          <legend>{t.settings.webhookEvents}</legend>
          {events.map((e) => (
            <label key={e}>
              <input type="checkbox" name="events" value={e} /> {e}
            </label>
          ))}
        </fieldset>
        <button type="submit">{t.settings.add}</button>
      </form>
    </section>
  );
}
