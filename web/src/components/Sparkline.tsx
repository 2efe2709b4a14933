import { t } from '../lib/text';

/** The customer's mood over the thread: one point per customer message, -1 (bottom) to 1 (top). */
export function Sparkline({ series, slope }: { series: number[]; slope: number | null }) {
  if (series.length < 2) return null;
  const w = 48;
  const h = 14;
  const points = series.map((y, i) => `${((i / (series.length - 1)) * w).toFixed(1)},${(((1 - y) / 2) * h).toFixed(1)}`).join(' ');
  const trend = (slope ?? 0) <= -0.1 ? 'down' : (slope ?? 0) >= 0.1 ? 'up' : 'flat';
  return (
    <svg className={`sparkline sparkline-${trend}`} width={w} height={h} viewBox={`0 0 ${w} ${h}`} role="img" aria-label={t.list.trend(trend, series.length)}>
      <polyline points={points} fill="none" strokeWidth="1.5" />
    </svg>
  );
}
