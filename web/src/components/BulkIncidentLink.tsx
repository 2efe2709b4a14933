// The bar shown while conversations are ticked in the list: link them all to an active incident.
import { useEffect, useState } from 'react';
import { api } from '../lib/api';
import { t } from '../lib/text';
import type { IncidentSummary } from './IncidentBanner';

export function BulkIncidentLink({ ids, onDone }: { ids: string[]; onDone: () => void }) {
  const [incidents, setIncidents] = useState<IncidentSummary[]>([]);
  const [choice, setChoice] = useState('');
  const [message, setMessage] = useState<{ text: string; error: boolean } | null>(null);
  useEffect(() => void api<{ data: IncidentSummary[] }>('/incidents').then((r) => setIncidents(r.data), () => {}), []);
  const link = () => {
    const incident = incidents.find((i) => i.id === choice);
    if (!incident) return;
    api<{ linked: number }>(`/incidents/${incident.id}/links`, { body: { conversationIds: ids } }).then(
      (r) => (setMessage({ text: t.incidents.linkedDone(r.linked, incident.title), error: false }), onDone()),
      (e: Error) => setMessage({ text: e.message, error: true }),
    );
  };
  return (
    <div className="bulk-bar" role="region" aria-label={t.incidents.linkSelected(ids.length)}>
      <label>
        {t.incidents.linkSelected(ids.length)}{' '}
        <select value={choice} onChange={(e) => setChoice(e.target.value)}>
          <option value="">{t.incidents.linkTo}</option>
          {incidents.map((i) => <option key={i.id} value={i.id}>{i.title}</option>)}
        </select>
      </label>{' '}
      <button type="button" disabled={!choice} onClick={link}>{t.incidents.linkSelected(ids.length)}</button>{' '}
      <button type="button" onClick={onDone}>{t.incidents.clearSelection}</button>
      {message && <p role={message.error ? 'alert' : 'status'} className={message.error ? 'error' : undefined}>{message.text}</p>}
    </div>
  );
}
