import { useEffect, useState } from 'react';
import { api } from '../lib/api';
import { t } from '../lib/text';

interface Hit { id: string; title: string; language: string }

/** Find a help article and put it in the reply, as its text or as a link to the help page. */
export function ArticlePicker({ onInsert }: { onInsert: (text: string) => void }) {
  const [open, setOpen] = useState(false);
  const [q, setQ] = useState('');
  const [hits, setHits] = useState<Hit[]>([]);
  useEffect(() => {
    if (!open) return;
    const timer = setTimeout(() => void api<{ data: Hit[] }>(`/knowledge/articles?status=published&limit=5${q ? `&q=${encodeURIComponent(q)}` : ''}`).then((r) => setHits(r.data), () => setHits([])), 200);
    return () => clearTimeout(timer);
  }, [open, q]);
  const insert = async (id: string, as: 'text' | 'link') => {
    const a = await api<{ title: string; text: string; url: string | null }>(`/knowledge/articles/${id}`);
    onInsert(as === 'link' && a.url ? `${a.title}: ${a.url}` : a.text);
    setOpen(false);
  };
  if (!open) return <button type="button" onClick={() => setOpen(true)}>{t.articlePicker.open}</button>;
  return (
    <div className="article-picker" role="group" aria-label={t.articlePicker.title}>
      <input type="search" autoFocus aria-label={t.articlePicker.search} placeholder={t.articlePicker.search} value={q} onChange={(e) => setQ(e.target.value)} />
      <ul>
        {hits.map((h) => (
          <li key={h.id}>
            {h.title} <span className="tag">{h.language}</span>{' '}
            <button type="button" onClick={() => void insert(h.id, 'text')}>{t.articlePicker.asText}</button>{' '}
            <button type="button" onClick={() => void insert(h.id, 'link')}>{t.articlePicker.asLink}</button>
          </li>
        ))}
      </ul>
      <button type="button" className="link" onClick={() => setOpen(false)}>{t.articlePicker.close}</button>
    </div>
  );
}
