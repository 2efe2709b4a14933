// The listening topics of the X inboxes: what each reads (its query, as X's recent search takes
// it), our brand's or a competitor's, what it found in a day, and when a post is promoted to the
// agents' queue by itself; adding one, pausing one.
import { useEffect, useState, type FormEvent } from 'react';
import { api } from '../lib/api';
import { t } from '../lib/text';

interface Topic { id: string; inboxId: string; name: string; kind: string; query: string; enabled: boolean; promoteMinFollowers: number | null; postsLastDay: number }
interface Inbox { id: string; name: string; kind: string }

export function ListeningTopics({ onChange }: { onChange: () => void }) {
  const [topics, setTopics] = useState<Topic[]>([]);
  const [inboxes, setInboxes] = useState<Inbox[]>([]);
  const [error, setError] = useState<string | null>(null);
  const load = () => void api<{ data: Topic[] }>('/community/topics').then((r) => setTopics(r.data), () => {});
  useEffect(() => {
    load();
    void api<{ data: Inbox[] }>('/inboxes').then((r) => setInboxes(r.data.filter((i) => i.kind === 'twitter')), () => {});
  }, []);
  const done = () => (setError(null), load(), onChange());
  const add = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const min = String(f.get('promoteMinFollowers') ?? '').trim();
    const target = e.currentTarget;
    api('/community/topics', {
      body: { inboxId: String(f.get('inboxId')), name: String(f.get('name')).trim(), query: String(f.get('query')).trim(), kind: String(f.get('kind')), promoteMinFollowers: min ? Number(min) : null },
    }).then(() => (target.reset(), done()), (err: Error) => setError(err.message));
  };
  const toggle = (x: Topic) => api(`/community/topics/${x.id}`, { method: 'PATCH', body: { enabled: !x.enabled } }).then(done, (err: Error) => setError(err.message));
  return (
    <details className="listening-topics">
      <summary>{t.topics.title(topics.length)}</summary>
      <table aria-label={t.topics.list}>
        <thead><tr><th>{t.topics.name}</th><th>{t.topics.query}</th><th>{t.topics.kind}</th><th>{t.topics.lastDay}</th><th>{t.topics.promotes}</th><th /></tr></thead>
        <tbody>
          {topics.map((x) => (
            <tr key={x.id}>
              <td>{x.name}</td>
              <td><code>{x.query}</code></td>
              <td>{x.kind === 'competitor' ? t.topics.competitor : t.topics.brand}</td>
              <td>{x.postsLastDay}</td>
              <td>{x.promoteMinFollowers === null ? t.topics.never : t.topics.from(x.promoteMinFollowers)}</td>
              <td><button type="button" onClick={() => void toggle(x)}>{x.enabled ? t.topics.pause : t.topics.resume}</button></td>
            </tr>
          ))}
        </tbody>
      </table>
      {inboxes.length > 0 ? (
        <form onSubmit={add} aria-label={t.topics.add} className="topic-form">
          <select name="inboxId" aria-label={t.topics.inbox}>{inboxes.map((i) => <option key={i.id} value={i.id}>{i.name}</option>)}</select>
          <input name="name" required maxLength={80} aria-label={t.topics.name} placeholder={t.topics.name} />
          <input name="query" required maxLength={512} aria-label={t.topics.query} placeholder={t.topics.queryPlaceholder} size={40} />
          <select name="kind" aria-label={t.topics.kind} defaultValue="brand">
            <option value="brand">{t.topics.brand}</option>
            <option value="competitor">{t.topics.competitor}</option>
          </select>
          <input name="promoteMinFollowers" type="number" min={0} aria-label={t.topics.promoteAt} placeholder={t.topics.promoteAt} />
          <button type="submit">{t.topics.add}</button>
        </form>
      ) : <p className="muted">{t.topics.noInbox}</p>}
      {error && <p role="alert" className="error">{error}</p>}
    </details>
  );
}
