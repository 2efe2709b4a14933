// The incidents a conversation belongs to, as a banner over its timeline with their status (an
// agent answering knows at once it is the known problem, and where it stands); with the right to,
// the conversation is linked to an active incident from here. Looked at again every 30 s.
import { useEffect, useState } from 'react';
import { api } from '../lib/api';
import { t } from '../lib/text';

export interface IncidentSummary { id: string; title: string; status: string; description: string | null; linked?: number }

export function IncidentBanner({ conversationId, mayLink }: { conversationId: string; mayLink: boolean }) {
  const [mine, setMine] = useState<IncidentSummary[]>([]);
  const [active, setActive] = useState<IncidentSummary[]>([]);
  const [error, setError] = useState<string | null>(null);
  const load = () => void api<{ data: IncidentSummary[] }>(`/conversations/${conversationId}/incidents`).then((r) => setMine(r.data), () => {});
  useEffect(() => {
    load();
    const timer = setInterval(load, 30_000);
    return () => clearInterval(timer);
  }, [conversationId]);
  useEffect(() => {
    if (mayLink) void api<{ data: IncidentSummary[] }>('/incidents').then((r) => setActive(r.data), () => {});
  }, [mayLink, conversationId]);
  const link = (id: string) =>
    api(`/incidents/${id}/links`, { body: { conversationIds: [conversationId] } }).then(() => (setError(null), load()), (e: Error) => setError(e.message));
  const choices = active.filter((i) => !mine.some((m) => m.id === i.id));
  if (!mine.length && !(mayLink && choices.length)) return null;
  return (
    <div className="incident-banners">
      {mine.map((i) => (
        <p key={i.id} className={`incident-banner incident-${i.status}`} role="status">
          <strong>{t.incidents.banner}:</strong> <a href={`#incidents/${i.id}`}>{i.title}</a> — <span className="incident-status">{t.incidents.statuses[i.status] ?? i.status}</span>
        </p>
      ))}
      {mayLink && choices.length > 0 && (
        <label className="incident-link">
          <span className="sr-only">{t.incidents.linkTo}</span>
          <select value="" onChange={(e) => e.target.value && void link(e.target.value)}>
            <option value="">{t.incidents.linkTo}</option>
            {choices.map((i) => <option key={i.id} value={i.id}>{i.title}</option>)}
          </select>
        </label>
      )}
      {error && <p role="alert" className="error">{error}</p>}
    </div>
  );
}
