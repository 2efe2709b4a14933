// Supervisors' view of open complaint cases: how many at each recovery stage and how old, the
// oldest of each stage to open, and the remedies waiting for someone's approval.
import { useEffect, useState } from 'react';
import { api } from '../lib/api';
import { t } from '../lib/text';
import { formatMoney } from '../lib/format';

interface OpenCases {
  ages: string[];
  stages: Array<{ stage: string; total: number; byAge: Record<string, number>; oldest: Array<{ id: string; reference: number; subject: string | null }> }>;
  pendingApproval: Array<{ id: string; conversationId: string; reference: number; type: string; amount: number | null; currency: string | null }>;
}

export function OpenComplaints() {
  const [data, setData] = useState<OpenCases | null>(null);
  useEffect(() => void api<OpenCases>('/complaints').then(setData, () => setData(null)), []);
  if (!data) return null;
  return (
    <section className="open-complaints" aria-label={t.complaint.open}>
      <h3>{t.complaint.open}</h3>
      <table aria-label={t.complaint.byStage}>
        <thead>
          <tr>
            <th>{t.complaint.stage}</th>
            {data.ages.map((a) => <th key={a}>{a}</th>)}
            <th>{t.complaint.total}</th>
            <th>{t.complaint.oldest}</th>
          </tr>
        </thead>
        <tbody>
          {data.stages.map((s) => (
            <tr key={s.stage}>
              <td>{t.complaint.stages[s.stage as keyof typeof t.complaint.stages] ?? s.stage}</td>
              {data.ages.map((a) => <td key={a}>{s.byAge[a] ?? 0}</td>)}
              <td>{s.total}</td>
              <td>{s.oldest.slice(0, 3).map((c) => <span key={c.id}>#{c.reference} </span>)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {data.pendingApproval.length > 0 && (
        <p>
          {t.complaint.awaiting}:{' '}
          {data.pendingApproval.map((r) => (
            <span key={r.id}>
              #{r.reference} {t.complaint.types[r.type as keyof typeof t.complaint.types] ?? r.type}
              {r.amount != null ? ` ${formatMoney(r.amount, r.currency)}` : ''}{' '}
            </span>
          ))}
        </p>
      )}
    </section>
  );
}
