import { useState } from 'react';
import { api } from '../lib/api';
import { t } from '../lib/text';
import type { Message } from '../lib/types';
import type { ReplyRules as ChannelReplyRules } from '../../../src/inbox/channels/contract';
import { languageName } from '../lib/format';

export type ReplyRules = ChannelReplyRules & { channel: string };
type Template = NonNullable<ReplyRules['templates']>[number];
const keyOf = (x: Template) => `${x.name}\u0000${x.language}`;

/**
 * The inbox's approved templates (WhatsApp): pick one, fill its parameters, see the text the
 * customer gets, send it. Those in the customer's language come first.
 */
export function TemplatePicker(p: { conversationId: string; templates: Template[]; customerName: string | null; customerLanguage?: string | null; onSent: (m: Message) => void }) {
  const [name, setName] = useState('');
  const [params, setParams] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // WhatsApp writes languages as es or es_MX.
  const norm = (l: string) => l.replace('_', '-').toLowerCase();
  const want = norm(p.customerLanguage ?? '');
  const rank = (x: Template) => (!want ? 2 : norm(x.language) === want ? 0 : norm(x.language).split('-')[0] === want.split('-')[0] ? 1 : 2);
  const templates = [...p.templates].sort((a, b) => rank(a) - rank(b));
  const chosen = templates.find((x) => keyOf(x) === name);
  const choose = (n: string) => {
    setName(n);
    const tpl = templates.find((x) => keyOf(x) === n);
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
      p.onSent(await api<Message>(`/conversations/${p.conversationId}/messages`, { body: { template: { name: chosen.name, language: chosen.language, parameters: params.map((x) => x.trim()) } } }));
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
          {templates.map((x) => (
            <option key={keyOf(x)} value={keyOf(x)}>
              {x.name} ({languageName(x.language)}){rank(x) < 2 ? ' ★' : ''}
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
