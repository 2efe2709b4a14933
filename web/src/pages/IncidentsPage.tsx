// Incidents: the active and resolved ones; opening one (with a rule linking the messages that
// mention it); an incident's status, its linked conversations and public mentions with the fate
// of each customer's update, and the two steps that close it: resolve (each customer is updated
// once, on their channel) and resolve the linked conversations. #incidents/<id> opens one.
import { useEffect, useState, type FormEvent } from 'react';
import { COMPLAINT_CLASSES } from '../../../src/sentiment/taxonomy';
import { api } from '../lib/api';
import { t } from '../lib/text';
import { can, type Agent } from '../lib/types';

const STATUSES = ['investigating', 'identified', 'monitoring', 'resolved'] as const;

interface Counts { linked: number; updated: number; skipped: number; pendingUpdates: number; openConversations: number }
interface Incident {
  id: string; title: string; description: string | null; status: string; createdAt: string; resolvedAt: string | null;
  ruleEnabled: boolean; ruleKeywords: string[]; ruleCategory: string | null; linked?: number; counts?: Counts;
}
interface Linked {
  conversationId: string; reference: number; type: 'direct' | 'mention'; status: string; channel: string; contactName: string | null; preview: string | null;
  notifiedAt: string | null; updateMessageId: string | null; updateStatus: string | null; skippedReason: string | null;
}

const idFromHash = () => /^#incidents\/([0-9a-f-]{36})$/.exec(location.hash)?.[1] ?? null;

export function IncidentsPage({ me, onOpenConversation }: { me: Agent; onOpenConversation: (id: string) => void }) {
  const [list, setList] = useState<Incident[]>([]);
  const [which, setWhich] = useState<'active' | 'resolved'>('active');
  const [selected, setSelected] = useState<string | null>(idFromHash);
  const [error, setError] = useState<string | null>(null);
  const mayManage = can(me, 'incidents.manage');
  const load = () => void api<{ data: Incident[] }>(`/incidents?status=${which}`).then((r) => setList(r.data), (e: Error) => setError(e.message));
  useEffect(load, [which]);
  useEffect(() => {
    const onHash = () => setSelected(idFromHash());
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);

  const open = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const keywords = String(form.get('keywords') ?? '').split(',').map((k) => k.trim()).filter(Boolean);
    const category = String(form.get('category') ?? '') || null;
    const description = String(form.get('description') ?? '').trim();
    const body = { title: String(form.get('title') ?? '').trim(), ...(description ? { description } : {}), ...(keywords.length || category ? { rule: { keywords, category } } : {}) };
    const target = e.currentTarget;
    api<Incident>('/incidents', { body }).then((i) => {
      setError(null);
      target.reset();
      load();
      location.hash = `incidents/${i.id}`;
    }, (err: Error) => setError(err.message));
  };

  return (
    <main className="page incidents-page" aria-label={t.incidents.title}>
      <div className="incidents-list">
        <h2>{t.incidents.title}</h2>
        <nav className="views" aria-label={t.incidents.title}>
          <button aria-pressed={which === 'active'} onClick={() => setWhich('active')}>{t.incidents.active}</button>
          <button aria-pressed={which === 'resolved'} onClick={() => setWhich('resolved')}>{t.incidents.resolvedList}</button>
        </nav>
        {error && <p role="alert" className="error">{error}</p>}
        {list.length === 0 ? <p>{t.incidents.none}</p> : (
          <ul>
            {list.map((i) => (
              <li key={i.id}>
                <a href={`#incidents/${i.id}`} aria-current={selected === i.id ? 'true' : undefined}>{i.title}</a>{' '}
                <span className={`tag incident-${i.status}`}>{t.incidents.statuses[i.status]}</span> <span className="muted">{t.incidents.linked(i.linked ?? 0)}</span>
              </li>
            ))}
          </ul>
        )}
        {mayManage && (
          <form onSubmit={open} aria-label={t.incidents.open} className="incident-form">
            <h3>{t.incidents.open}</h3>
            <label>{t.incidents.name}<input name="title" required maxLength={200} placeholder={t.incidents.namePlaceholder} /></label>
            <label>{t.incidents.description}<input name="description" maxLength={1000} /></label>
            <label>{t.incidents.keywords}<input name="keywords" placeholder={t.incidents.keywordsPlaceholder} /></label>
            <label>
              {t.incidents.complaintType}
              <select name="category" defaultValue="">
                <option value="">{t.filters.any}</option>
                {COMPLAINT_CLASSES.map((c) => <option key={c} value={c}>{c}</option>)}
              </select>
            </label>
            <button type="submit">{t.incidents.create}</button>
          </form>
        )}
      </div>
      {selected && <IncidentDetail key={selected} id={selected} me={me} onChange={load} onOpenConversation={onOpenConversation} />}
    </main>
  );
}

function IncidentDetail({ id, me, onChange, onOpenConversation }: { id: string; me: Agent; onChange: () => void; onOpenConversation: (id: string) => void }) {
  const [incident, setIncident] = useState<(Incident & { counts: Counts; conversations: Linked[] }) | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const mayManage = can(me, 'incidents.manage');
  const load = () => void api<Incident & { counts: Counts; conversations: Linked[] }>(`/incidents/${id}`).then(setIncident, (e: Error) => setError(e.message));
  useEffect(() => {
    load();
    // The updates go out from the worker: watch them leave.
    const timer = setInterval(load, 3_000);
    return () => clearInterval(timer);
  }, [id]);
  const fail = (e: Error) => setError(e.message);
  const move = (status: string) => api(`/incidents/${id}`, { method: 'PATCH', body: { status } }).then(() => (setError(null), load(), onChange()), fail);
  const resolveConversations = () =>
    api<{ resolved: number }>(`/incidents/${id}/resolve-conversations`, { method: 'POST' }).then((r) => (setError(null), setNotice(t.incidents.resolvedConversations(r.resolved)), load()), fail);
  const unlink = (conversationId: string) => api(`/incidents/${id}/links/${conversationId}`, { method: 'DELETE' }).then(() => (setError(null), load()), fail);
  if (!incident) return <section className="incident-detail" aria-busy="true">{error && <p role="alert" className="error">{error}</p>}</section>;
  return (
    <section className="incident-detail" aria-label={incident.title}>
      <h3>{incident.title} <span className={`tag incident-${incident.status}`}>{t.incidents.statuses[incident.status]}</span></h3>
      {incident.description && <p>{incident.description}</p>}
      {incident.ruleEnabled && <p className="muted">{t.incidents.rule(incident.ruleKeywords, incident.ruleCategory)}</p>}
      <p role="status">{t.incidents.counts(incident.counts)}</p>
      {error && <p role="alert" className="error">{error}</p>}
      {notice && <p role="status">{notice}</p>}
      {mayManage && (
        <div className="actions" aria-label={t.incidents.moveTo}>
          {STATUSES.filter((s) => s !== incident.status && s !== 'resolved').map((s) => (
            <button key={s} type="button" onClick={() => void move(s)}>{t.incidents.statuses[s]}</button>
          ))}
          {incident.status !== 'resolved' && <button type="button" className="primary" onClick={() => void move('resolved')}>{t.incidents.resolve}</button>}
          {incident.counts.openConversations > 0 && can(me, 'conversations.resolve') && (
            <button type="button" onClick={() => void resolveConversations()}>{t.incidents.resolveConversations(incident.counts.openConversations)}</button>
          )}
        </div>
      )}
      <table aria-label={t.incidents.conversations}>
        <thead>
          <tr><th>#</th><th>{t.incidents.channel}</th><th>{t.incidents.customer}</th><th>{t.incidents.status}</th><th>{t.incidents.update}</th><th /></tr>
        </thead>
        <tbody>
          {incident.conversations.map((c) => (
            <tr key={c.conversationId}>
              <td><button className="link" onClick={() => onOpenConversation(c.conversationId)}>#{c.reference}</button></td>
              <td>{c.channel}{c.type === 'mention' ? ` (${t.incidents.mention})` : ''}</td>
              <td title={c.preview ?? ''}>{c.contactName ?? '—'}</td>
              <td>{c.status}</td>
              <td>{c.updateMessageId ? t.incidents.updateSent(c.updateStatus) : c.skippedReason ?? (incident.status === 'resolved' ? t.incidents.updatePending : '—')}</td>
              <td>{mayManage && !c.notifiedAt && <button type="button" onClick={() => void unlink(c.conversationId)}>{t.incidents.unlink}</button>}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
