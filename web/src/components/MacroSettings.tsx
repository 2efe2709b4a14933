import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { api } from '../lib/api';
import { t } from '../lib/text';

export interface Macro { id: string; name: string; description: string | null; actions: Array<{ type: string; [k: string]: unknown }> }
interface Team { id: string; name: string }

/** Macros: named sets of actions (reply, note, labels, status, team, a contact attribute) agents apply in one click. */
export function MacroSettings({ mayEdit }: { mayEdit: boolean }) {
  const [macros, setMacros] = useState<Macro[]>([]);
  const [teams, setTeams] = useState<Team[]>([]);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(() => void api<{ data: Macro[] }>('/macros').then((r) => setMacros(r.data), (e: Error) => setError(e.message)), []);
  useEffect(() => {
    load();
    api<{ data: Team[] }>('/teams').then((r) => setTeams(r.data), () => {});
  }, [load]);
  const create = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = e.currentTarget;
    const f = new FormData(form);
    const v = (k: string) => String(f.get(k) ?? '').trim();
    const actions = [
      ...(v('reply') ? [{ type: 'reply', text: v('reply') }] : []),
      ...(v('note') ? [{ type: 'note', text: v('note') }] : []),
      ...(v('labels') ? [{ type: 'addLabels', labels: v('labels').split(',').map((x) => x.trim()).filter(Boolean) }] : []),
      ...(v('teamId') ? [{ type: 'assignTeam', teamId: v('teamId') }] : []),
      ...(v('attributeKey') ? [{ type: 'setContactAttribute', key: v('attributeKey'), value: v('attributeValue') || null }] : []),
      ...(v('status') ? [{ type: 'setStatus', status: v('status') }] : []),
    ];
    try {
      await api('/macros', { body: { name: v('name'), actions } });
      form.reset();
      setError(null);
      load();
    } catch (err) {
      setError((err as Error).message);
    }
  };
  return (
    <section className="macros" aria-label={t.macros.title}>
      <h2>{t.macros.title}</h2>
      <ul>
        {macros.map((m) => (
          <li key={m.id}>
            <strong>{m.name}</strong> <span className="muted">{m.actions.map((a) => t.macros.action(a)).join(' · ')}</span>{' '}
            {mayEdit && <button type="button" className="link" onClick={() => void api(`/macros/${m.id}`, { method: 'DELETE' }).then(load, (e: Error) => setError(e.message))}>{t.macros.remove}</button>}
          </li>
        ))}
        {!macros.length && <li className="muted">{t.macros.none}</li>}
      </ul>
      {mayEdit && (
        <form onSubmit={(e) => void create(e)} aria-label={t.macros.create}>
          <label>{t.macros.name} <input name="name" required maxLength={100} /></label>
          <label>{t.macros.reply} <textarea name="reply" rows={2} placeholder={t.macros.replyExample} /></label>
          <label>{t.macros.note} <input name="note" /></label>
          <label>{t.macros.labels} <input name="labels" placeholder="refund, vip" /></label>
          <label>{t.macros.team} <select name="teamId"><option value="">—</option>{teams.map((x) => <option key={x.id} value={x.id}>{x.name}</option>)}</select></label>
          <label>{t.macros.attribute} <input name="attributeKey" placeholder="plan" size={10} /> = <input name="attributeValue" size={10} /></label>
          <label>{t.macros.status} <select name="status"><option value="">—</option><option value="pending">{t.macroStatus.pending}</option><option value="resolved">{t.macroStatus.resolved}</option><option value="snoozed">{t.macroStatus.snoozed}</option></select></label>
          <button type="submit">{t.macros.create}</button>
        </form>
      )}
      {error && <p role="alert" className="error">{error}</p>}
    </section>
  );
}
