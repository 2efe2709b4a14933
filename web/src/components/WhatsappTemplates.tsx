import { useState, type FormEvent } from 'react';
import { api } from '../lib/api';
import { t } from '../lib/text';

interface Template { name: string; language: string; parameters: number; text?: string }

/** A WhatsApp inbox's approved templates (as approved in WhatsApp Manager): what agents may send outside the 24-hour window, and which one automatic messages use. */
export function WhatsappTemplates({ inbox, onSaved }: { inbox: { id: string; config: Record<string, unknown> }; onSaved: () => void }) {
  const templates = (Array.isArray(inbox.config.templates) ? inbox.config.templates : []) as Template[];
  const automatic = typeof inbox.config.automaticTemplate === 'string' ? inbox.config.automaticTemplate : '';
  const [error, setError] = useState<string | null>(null);
  const save = (next: Template[], auto: string) =>
    api(`/inboxes/${inbox.id}`, { method: 'PATCH', body: { config: { ...inbox.config, templates: next, automaticTemplate: auto || undefined } } }).then(() => (setError(null), onSaved()), (e: Error) => setError(e.message));
  const add = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const text = String(f.get('text') ?? '').trim();
    // The parameters are the {{n}} the approved body has.
    const parameters = new Set([...text.matchAll(/\{\{(\d+)\}\}/g)].map((m) => m[1])).size;
    void save([...templates.filter((x) => x.name !== f.get('name')), { name: String(f.get('name')).trim(), language: String(f.get('language')).trim(), parameters, ...(text ? { text } : {}) }], automatic);
    e.currentTarget.reset();
  };
  return (
    <details className="templates">
      <summary>{t.settings.templates(templates.length)}</summary>
      <ul>
        {templates.map((x) => (
          <li key={x.name}>
            <code>{x.name}</code> ({x.language}, {x.parameters}) {x.text && <span className="muted">{x.text}</span>}{' '}
            <button type="button" onClick={() => void save(templates.filter((y) => y.name !== x.name), automatic === x.name ? '' : automatic)}>{t.settings.remove(x.name)}</button>
          </li>
        ))}
      </ul>
      <label>
        {t.settings.automaticTemplate}{' '}
        <select value={automatic} onChange={(e) => void save(templates, e.target.value)}>
          <option value="">{t.settings.noAutomaticTemplate}</option>
          {templates.filter((x) => x.parameters === 0).map((x) => <option key={x.name} value={x.name}>{x.name}</option>)}
        </select>
      </label>
      <form onSubmit={add} aria-label={t.settings.addTemplate}>
        <label>{t.settings.templateName} <input name="name" required pattern="[a-z0-9_]+" /></label>
        <label>{t.settings.templateLanguage} <input name="language" required defaultValue="en_US" pattern="[a-z]{2,3}(_[A-Z]{2})?" /></label>
        <label>{t.settings.templateText} <textarea name="text" rows={2} placeholder={t.settings.templateExample} /></label>
        <button type="submit">{t.settings.addTemplate}</button>
      </form>
      {error && <p role="alert" className="error">{error}</p>}
    </details>
  );
}
