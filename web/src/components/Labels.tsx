import { useState, type FormEvent } from 'react';
import { api } from '../lib/api';
import { t } from '../lib/text';
import type { Conversation } from '../lib/types';

export function Labels({ conversation, onChange }: { conversation: Conversation; onChange: (c: Conversation) => void }) {
  const [name, setName] = useState('');
  const add = async (e: FormEvent) => {
    e.preventDefault();
    if (!name.trim()) return;
    onChange(await api<Conversation>(`/conversations/${conversation.id}/labels`, { body: { labels: [name.trim()] } }));
    setName('');
  };
  const remove = async (label: string) => onChange(await api<Conversation>(`/conversations/${conversation.id}/labels/${encodeURIComponent(label)}`, { method: 'DELETE' }));
  return (
    <form className="labels" onSubmit={add} aria-label={t.conversation.labels}>
      {conversation.labels.map((l) => (
        <span key={l.name} className="tag" style={{ borderColor: l.color }}>
          {l.name}{' '}
          <button type="button" aria-label={t.conversation.removeLabel(l.name)} onClick={() => void remove(l.name)}>
            ×
          </button>
        </span>
      ))}
      <label>
        <span className="sr-only">{t.conversation.addLabel}</span>
        <input value={name} onChange={(e) => setName(e.target.value)} placeholder={t.conversation.addLabel} size={10} />
      </label>
    </form>
  );
}
