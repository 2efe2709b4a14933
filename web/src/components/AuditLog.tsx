// The audit log for admins: every change, who or what made it and when, newest first, filtered
// by type (or its start, e.g. "contact.") and agent, paged.
import { useCallback, useEffect, useState } from 'react';
import { api } from '../lib/api';
import { t } from '../lib/text';
import { formatDateTime } from '../lib/format';

interface AuditEvent { id: string; type: string; agentName: string | null; conversationId: string | null; data: Record<string, unknown>; createdAt: string }

export function AuditLog() {
  const [type, setType] = useState('');
  const [rows, setRows] = useState<AuditEvent[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(
    (before?: string) => {
      const q = new URLSearchParams({ limit: '50', ...(type.trim() ? { type: type.trim() } : {}), ...(before ? { before } : {}) });
      api<{ data: AuditEvent[]; nextBefore: string | null }>(`/audit-events?${q}`).then(
        (r) => (setError(null), setRows((old) => (before ? [...old, ...r.data] : r.data)), setNext(r.nextBefore)),
        (e: Error) => setError(e.message),
      );
    },
    [type],
  );
  useEffect(() => {
    const timer = setTimeout(() => load(), 250);
    return () => clearTimeout(timer);
  }, [load]);
  return (
    <section aria-label={t.audit.title}>
      <h3>{t.audit.title}</h3>
      <label>
        {t.audit.type} <input value={type} onChange={(e) => setType(e.target.value)} placeholder="contact." list="audit-types" />
      </label>
      <datalist id="audit-types">
        {['contact.', 'conversation.', 'inbox.', 'agent.', 'retention.'].map((x) => <option key={x} value={x} />)}
      </datalist>
      {error && <p role="alert" className="error">{error}</p>}
      <table className="audit-log">
        <thead>
          <tr><th>{t.audit.when}</th><th>{t.audit.what}</th><th>{t.audit.who}</th><th>{t.audit.details}</th></tr>
        </thead>
        <tbody>
          {rows.map((e) => (
            <tr key={e.id}>
              <td>{formatDateTime(e.createdAt)}</td>
              <td>{e.type}</td>
              <td>{e.agentName ?? t.audit.system}</td>
              <td><code>{JSON.stringify(e.data)}</code></td>
            </tr>
          ))}
        </tbody>
      </table>
      {next && <button type="button" onClick={() => load(next)}>{t.list.more}</button>}
    </section>
  );
}
