import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { api } from '../lib/api';
import { t } from '../lib/text';
import { can, type Agent } from '../lib/types';
import { MacroSettings } from '../components/MacroSettings';
import { formatDateTime } from '../lib/format';

interface Hit { id: string; title: string; language: string; tags: string[]; inboxId: string | null; status: string; audience: string; snippet: string }
interface Article { id: string; title: string; body: string; language: string; tags: string[]; inboxId: string | null; audience: string; status: string; version: number; views: number; helpful: number; notHelpful: number; html: string; url: string | null }
interface Version { version: number; title: string; status: string; createdAt: string }
interface Inbox { id: string; name: string; kind: string }

/** The knowledge base: help articles (search, write, publish, versions) and the macros agents apply. */
export function KnowledgePage({ me }: { me: Agent }) {
  const mayEdit = can(me, 'knowledge.manage');
  const [q, setQ] = useState('');
  const [hits, setHits] = useState<Hit[]>([]);
  const [open, setOpen] = useState<Article | 'new' | null>(null);
  const [versions, setVersions] = useState<Version[]>([]);
  const [inboxes, setInboxes] = useState<Inbox[]>([]);
  const [notice, setNotice] = useState<{ text: string; error?: boolean } | null>(null);
  const load = useCallback(() => {
    api<{ data: Hit[] }>(`/knowledge/articles${q ? `?q=${encodeURIComponent(q)}` : ''}`).then((r) => setHits(r.data), (e: Error) => setNotice({ text: e.message, error: true }));
  }, [q]);
  useEffect(load, [load]);
  useEffect(() => {
    api<{ data: Inbox[] }>('/inboxes').then((r) => setInboxes(r.data), () => {});
  }, []);
  const show = (id: string) => {
    void api<Article>(`/knowledge/articles/${id}`).then(setOpen);
    void api<{ data: Version[] }>(`/knowledge/articles/${id}/versions`).then((r) => setVersions(r.data));
  };
  const save = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const body = {
      title: String(f.get('title')), body: String(f.get('body')), language: String(f.get('language')),
      tags: String(f.get('tags')).split(',').map((x) => x.trim()).filter(Boolean),
      inboxId: String(f.get('inboxId')) || null, audience: String(f.get('audience')), status: String(f.get('status')),
    };
    try {
      const saved = await api<Article>(open === 'new' ? '/knowledge/articles' : `/knowledge/articles/${open!.id}`, { method: open === 'new' ? 'POST' : 'PATCH', body });
      setNotice({ text: t.knowledge.saved(saved.version) });
      show(saved.id);
      load();
    } catch (err) {
      setNotice({ text: (err as Error).message, error: true });
    }
  };
  const editing = open === 'new' ? null : open;
  return (
    <main className="page knowledge">
      <h1>{t.knowledge.title}</h1>
      <form role="search" className="filters" onSubmit={(e) => e.preventDefault()}>
        <label>
          {t.knowledge.search} <input type="search" value={q} onChange={(e) => setQ(e.target.value)} placeholder={t.knowledge.searchPlaceholder} />
        </label>
        {mayEdit && <button type="button" onClick={() => { setOpen('new'); setVersions([]); }}>{t.knowledge.newArticle}</button>}
      </form>
      {notice && <p role={notice.error ? 'alert' : 'status'} className={notice.error ? 'error' : 'notice'}>{notice.text}</p>}
      <div className="knowledge-columns">
        <ul className="article-list" aria-label={t.knowledge.articles}>
          {hits.map((h) => (
            <li key={h.id}>
              <button type="button" className="link" onClick={() => show(h.id)}>{h.title}</button>{' '}
              <span className="tag">{h.language}</span> <span className={`tag status-${h.status}`}>{t.knowledge.status[h.status as 'draft' | 'published']}</span>
              {h.audience === 'agents' && <span className="tag">{t.knowledge.internal}</span>}
              {q && <div className="muted">{h.snippet.replace(/[«»]/g, '')}</div>}
            </li>
          ))}
          {!hits.length && <li className="muted">{t.knowledge.none}</li>}
        </ul>
        {open && (
          <section className="panel article-editor" aria-label={t.knowledge.editor}>
            {mayEdit ? (
              <form key={editing?.id ?? 'new'} onSubmit={(e) => void save(e)} aria-label={t.knowledge.editor}>
                <label>{t.knowledge.fields.title} <input name="title" required maxLength={200} defaultValue={editing?.title ?? ''} /></label>
                <label>{t.knowledge.fields.language} <input name="language" required defaultValue={editing?.language ?? 'en'} pattern="[a-z]{2,3}(-[A-Za-z]{2,4})?" size={6} /></label>
                <label>{t.knowledge.fields.tags} <input name="tags" defaultValue={editing?.tags.join(', ') ?? ''} /></label>
                <label>{t.knowledge.fields.inbox}{' '}
                  <select name="inboxId" defaultValue={editing?.inboxId ?? ''}>
                    <option value="">{t.knowledge.allInboxes}</option>
                    {inboxes.map((i) => <option key={i.id} value={i.id}>{i.name}</option>)}
                  </select>
                </label>
                <label>{t.knowledge.fields.audience}{' '}
                  <select name="audience" defaultValue={editing?.audience ?? 'customers'}>
                    <option value="customers">{t.knowledge.customers}</option>
                    <option value="agents">{t.knowledge.internal}</option>
                  </select>
                </label>
                <label>{t.knowledge.fields.status}{' '}
                  <select name="status" defaultValue={editing?.status ?? 'draft'}>
                    <option value="draft">{t.knowledge.status.draft}</option>
                    <option value="published">{t.knowledge.status.published}</option>
                  </select>
                </label>
                <label className="wide">{t.knowledge.fields.body} <textarea name="body" rows={12} defaultValue={editing?.body ?? ''} /></label>
                <button type="submit">{t.knowledge.save}</button>
              </form>
            ) : null}
            {editing && (
              <>
                <p className="muted">{t.knowledge.stats(editing.version, editing.views, editing.helpful, editing.notHelpful)} {editing.url && editing.status === 'published' && <a href={editing.url} target="_blank" rel="noreferrer">{t.knowledge.helpPage}</a>}</p>
                <h2>{editing.title}</h2>
                {/* Rendered by the server from Markdown and sanitised. */}
                <div className="article-preview" dangerouslySetInnerHTML={{ __html: editing.html }} />
                <details>
                  <summary>{t.knowledge.versions(versions.length)}</summary>
                  <ol>{versions.map((v) => <li key={v.version}>v{v.version} · {v.title} · {t.knowledge.status[v.status as 'draft' | 'published']} · {formatDateTime(v.createdAt)}</li>)}</ol>
                </details>
              </>
            )}
          </section>
        )}
      </div>
      <MacroSettings mayEdit={mayEdit} />
    </main>
  );
}
