// Satisfaction and recovery for the report's range: the average against the bands (out of 10:
// above 8 a market leader, under 7 needs attention), the response rate and share of 4–5 by agent,
// team, channel and complaint type, complaint conversations against the others, complaint cases
// by stage, time to remedy and remedy cost; CSV.
import { useEffect, useState } from 'react';
import { api } from '../lib/api';
import { t } from '../lib/text';
import type { SatisfactionGroup, SatisfactionReport as Report } from '../../../src/inbox/reports/satisfaction';
import { formatMoney } from '../lib/format';

const pct = (v: number | null) => (v === null ? '—' : `${Math.round(v * 100)}%`);

function band(r: Report, outOf10: number | null): string {
  if (outOf10 === null) return '';
  return outOf10 > r.bands.leader ? t.satisfaction.leader : outOf10 < r.bands.attention ? t.satisfaction.attention : t.satisfaction.between;
}

function Groups({ title, rows }: { title: string; rows: SatisfactionGroup[] }) {
  if (!rows.length) return null;
  return (
    <table aria-label={title}>
      <thead>
        <tr><th>{title}</th><th>{t.satisfaction.sent}</th><th>{t.satisfaction.responseRate}</th><th>{t.satisfaction.average}</th><th>{t.satisfaction.happy}</th></tr>
      </thead>
      <tbody>
        {rows.map((g) => (
          <tr key={g.key ?? 'none'}>
            <td>{g.name ?? g.key ?? t.satisfaction.nobody}</td>
            <td>{g.sent}</td>
            <td>{pct(g.responseRate)}</td>
            <td>{g.average ?? '—'}</td>
            <td>{pct(g.happyShare)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function SatisfactionReport({ query }: { query: string }) {
  const [r, setR] = useState<Report | null>(null);
  useEffect(() => void api<Report>(`/reports/satisfaction?${query}`).then(setR, () => setR(null)), [query]);
  if (!r) return null;
  return (
    <section className="satisfaction" aria-label={t.satisfaction.title}>
      <h3>{t.satisfaction.title}</h3>
      <p>
        {r.overall.outOf10 === null ? t.satisfaction.noAnswers : t.satisfaction.overall(r.overall.outOf10, r.overall.answered, pct(r.overall.responseRate))} <strong>{band(r, r.overall.outOf10)}</strong>{' '}
        <a href={`/api/v1/reports/satisfaction.csv?${query}`} download>{t.satisfaction.csv}</a>
      </p>
      <p>{t.satisfaction.recoveryEffect(r.recovery.complaints.average, r.recovery.others.average)}</p>
      <Groups title={t.satisfaction.byAgent} rows={r.byAgent} />
      <Groups title={t.satisfaction.byTeam} rows={r.byTeam} />
      <Groups title={t.satisfaction.byChannel} rows={r.byChannel} />
      <Groups title={t.satisfaction.byComplaint} rows={r.byComplaintType} />
      <h3>{t.satisfaction.recovery}</h3>
      <p>{r.recovery.byStage.map((s) => `${s.stage.replace('_', ' ')}: ${s.count}`).join(' · ') || t.satisfaction.noCases}</p>
      <p>{t.satisfaction.timeToRemedy(r.recovery.hoursToRemedy.median, r.recovery.hoursToRemedy.count)}</p>
      {r.recovery.remedyCost.length > 0 && (
        <p>{r.recovery.remedyCost.map((c) => `${c.type}: ${c.count}${c.currency ? `, ${formatMoney(c.total, c.currency)}` : ''}`).join(' · ')}</p>
      )}
    </section>
  );
}
