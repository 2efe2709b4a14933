import { useState } from 'react';
import { api } from '../lib/api';
import { t } from '../lib/text';
import type { Message } from '../lib/types';

export interface ReplyRules {
  channel: string;
  window?: { hours: number; closesAt: string | null; closedAt: string | null };
  templates?: Array<{ name: string; language: string; parameters: number; text?: string }>;
  maxLength?: number;
  notice?: string;
  templateRequired?: boolean;
}

/** The inbox's approved templates (WhatsApp): pick one, fill its parameters, see the text the customer gets, send it. */
export function TemplatePicker(p: { conversationId: string; templates: NonNullable<ReplyRules['templates']>; customerName: string | null; onSent: (m: Message) => void }) {
  const [name, setName] = useState('');
  const [params, setParams] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const chosen = p.templates.find((x) => x.name === name);
  const choose = (n: string) => {
    setName(n);
    const tpl = p.templates.find((x) => x.name === n);
    // The customer's first name is the usual first parameter: offered, editable.
    setParams(Array.from({ length: tpl?.parameters ?? 0 }, (_, i) => (i === 0 ? (p.customerName?.split(' ')[0] ?? '') : '')));
  };
  const preview = chosen?.text?.replace(/\{\{(\d+)\}\}/g, (whole, n: string) => params[Number(n) - 1] || whole);
  // Inside the composer's form: its own button, not a nested form.
  const send = async () => {
    if (!chosen) return;
    setBusy(true);
    setError(null);
    try {
      p.onSent(await api<Message>(`/conversations/${p.conversationId}/messages`, { body: { template: { name: chosen.name, parameters: params.map((x) => x.trim()) } } }));
      setName('');
      setParams([]);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="template-picker" role="group" aria-label={t.templates.title}>
      <label>
        {t.templates.choose}{' '}
        <select value={name} onChange={(e) => choose(e.target.value)}>
          <option value="">{t.templates.none}</option>
          {p.templates.map((x) => (
            <option key={x.name} value={x.name}>
              {x.name} ({x.language})
            </option>
          ))}
        </select>
      </label>
      {chosen && (
        <>
          {params.map((v, i) => (
            <label key={i}>
              {t.templates.parameter(i + 1)}{' '}
              <input value={v} required onChange={(e) => setParams((old) => old.map((x, j) => (j === i ? e.target.value : x)))} />
            </label>
          ))}
          {preview && <p className="template-preview">{preview}</p>}
          <button type="button" onClick={() => void send()} disabled={busy || params.some((x) => !x.trim())}>
            {busy ? t.conversation.sending : t.templates.send}
          </button>
        </>
      )}
      {error && <p role="alert" className="error">{error}</p>}
    </div>
  );
}
