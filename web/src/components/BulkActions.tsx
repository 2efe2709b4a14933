// The bar shown while conversations are ticked in the list: resolve, assign to me, snooze,
// label or apply a macro to all of them (up to 500), with the progress as it runs.
import { useEffect, useState } from 'react';
import { api } from '../lib/api';
import { t } from '../lib/text';
import type { Macro } from './MacroSettings';

interface Operation { id: string; total: number; done: number; failed: number; status: string; errors: Array<{ conversationId: string; error: string }> }

export function BulkActions({ ids, onDone }: { ids: string[]; onDone: () => void }) {
  const [macros, setMacros] = useState<Macro[]>([]);
  const [op, setOp] = useState<Operation | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => void api<{ data: Macro[] }>('/macros').then((r) => setMacros(r.data), () => {}), []);
  const run = async (action: Record<string, unknown>) => {
    setError(null);
    try {
      const started = await api<{ id: string; total: number }>('/conversations/bulk', { body: { conversationIds: ids, action } });
      setOp({ id: started.id, total: started.total, done: 0, failed: 0, status: 'running', errors: [] });
      // Its progress, until it is done.
      for (;;) {
        await new Promise((r) => setTimeout(r, 500));
        const now = await api<Operation>(`/bulk-operations/${started.id}`);
        setOp(now);
        if (now.status !== 'running') break;
      }
      onDone();
    } catch (err) {
      setError((err as Error).message);
    }
  };
  const busy = op?.status === 'running';
  return (
    <div className="bulk-bar" role="region" aria-label={`${ids.length} selected`}>
      <button type="button" disabled={busy} onClick={() => void run({ type: 'resolve' })}>{t.bulk.resolve}</button>{' '}
      <button type="button" disabled={busy} onClick={() => void run({ type: 'assign', assigneeId: 'me' })}>{t.bulk.assignToMe}</button>{' '}
      <button type="button" disabled={busy} onClick={() => void run({ type: 'snooze', until: new Date(Date.now() + 86_400_000).toISOString() })}>{t.bulk.snooze}</button>{' '}
      <button type="button" disabled={busy} onClick={() => { const label = prompt(t.bulk.label); if (label?.trim()) void run({ type: 'label', labels: [label.trim()] }); }}>{t.bulk.label}</button>{' '}
      {macros.length > 0 && (
        <select aria-label={t.bulk.macro} value="" disabled={busy} onChange={(e) => e.target.value && void run({ type: 'macro', macroId: e.target.value })}>
          <option value="">{t.bulk.macro}</option>
          {macros.map((m) => <option key={m.id} value={m.id}>{m.name}</option>)}
        </select>
      )}
      {op && (
        <p role="status">
          <progress max={op.total} value={op.done + op.failed} /> {t.bulk.progress(op.done, op.failed, op.total)}
          {op.errors.slice(0, 3).map((e) => <span key={e.conversationId} className="error"> {e.error}</span>)}
        </p>
      )}
      {error && <p role="alert" className="error">{error}</p>}
    </div>
  );
}
