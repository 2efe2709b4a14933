// The conversation's complaint case: its recovery stage (open, move, or "not a complaint"), the
// remedies given with amount and who approved them, and a form to log one — above the agent's
// limit it waits for approval, which someone with a higher limit gives here.
import { useEffect, useState, type FormEvent } from 'react';
import { api } from '../lib/api';
import { t } from '../lib/text';
import type { Conversation } from '../lib/types';
import { formatMoney } from '../lib/format';

interface Remedy { id: string; type: string; amount: number | null; currency: string | null; note: string | null; status: 'approved' | 'pending_approval' | 'rejected'; createdAt: string }

const STAGES = ['acknowledged', 'investigating', 'resolved', 'remedied', 'followed_up'] as const;
const TYPES = ['apology', 'refund', 'credit', 'replacement', 'other'] as const;

export function ComplaintPanel({ conversation, editable, onChange }: { conversation: Conversation; editable: boolean; onChange: (c: Conversation) => void }) {
  const [remedies, setRemedies] = useState<Remedy[]>([]);
  const [error, setError] = useState<string | null>(null);
  const load = () => void api<{ data: Remedy[] }>(`/conversations/${conversation.id}/remedies`).then((r) => setRemedies(r.data), () => {});
  useEffect(load, [conversation.id, conversation.complaintStage]);
  const fail = (e: Error) => setError(e.message);
  const setStage = (stage: string) => api<Conversation>(`/conversations/${conversation.id}/complaint`, { method: 'PUT', body: { stage: stage || null } }).then((c) => (setError(null), onChange(c)), fail);
  const log = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const amount = String(form.get('amount') ?? '').trim();
    const body = { type: String(form.get('type')), ...(amount ? { amount: Number(amount), currency: String(form.get('currency') ?? '').trim().toUpperCase() } : {}), ...(String(form.get('note') ?? '').trim() ? { note: String(form.get('note')).trim() } : {}) };
    const target = e.currentTarget;
    api<{ conversation: Conversation }>(`/conversations/${conversation.id}/remedies`, { method: 'POST', body }).then((r) => (setError(null), target.reset(), onChange(r.conversation), load()), fail);
  };
  const decide = (id: string, approve: boolean) => api<Conversation>(`/remedies/${id}/decision`, { method: 'POST', body: { approve } }).then((c) => (setError(null), onChange(c), load()), fail);
  if (!conversation.complaintStage && !editable) return null;
  return (
    <section className="complaint" aria-label={t.complaint.title}>
      <h3>{t.complaint.title}</h3>
      {error && <p role="alert" className="error">{error}</p>}
      <label>
        {t.complaint.stage}{' '}
        <select value={conversation.complaintStage ?? ''} disabled={!editable} onChange={(e) => void setStage(e.target.value)}>
          <option value="">{t.complaint.none}</option>
          {STAGES.map((s) => <option key={s} value={s}>{t.complaint.stages[s]}</option>)}
        </select>
      </label>
      {remedies.length > 0 && (
        <ul className="remedies" aria-label={t.complaint.remedies}>
          {remedies.map((r) => (
            <li key={r.id}>
              {t.complaint.types[r.type as keyof typeof t.complaint.types] ?? r.type}
              {r.amount != null && ` ${formatMoney(r.amount, r.currency)}`} · {t.complaint.status[r.status]}
              {r.status === 'pending_approval' && editable && (
                <>
                  {' '}<button type="button" onClick={() => void decide(r.id, true)}>{t.complaint.approve}</button>{' '}
                  <button type="button" onClick={() => void decide(r.id, false)}>{t.complaint.reject}</button>
                </>
              )}
            </li>
          ))}
        </ul>
      )}
      {editable && conversation.complaintStage && (
        <form onSubmit={log} aria-label={t.complaint.logRemedy} className="remedy-form">
          <select name="type" aria-label={t.complaint.type} defaultValue="refund">
            {TYPES.map((x) => <option key={x} value={x}>{t.complaint.types[x]}</option>)}
          </select>
          <input name="amount" aria-label={t.complaint.amount} inputMode="decimal" pattern="[0-9]+([.][0-9]{1,2})?" placeholder="0.00" size={7} />
          <input name="currency" aria-label={t.complaint.currency} placeholder="EUR" maxLength={3} size={4} />
          <input name="note" aria-label={t.complaint.note} placeholder={t.complaint.note} maxLength={1000} />
          <button type="submit">{t.complaint.logRemedy}</button>
        </form>
      )}
    </section>
  );
}
