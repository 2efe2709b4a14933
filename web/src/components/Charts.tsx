// Small SVG charts: enough for a support team's reports, no charting library in the bundle.
// Axis labels are thinned to what fits (about seven across, the last always shown), every bar
// and point has a tooltip (SVG <title>: hover, or long-press on touch), and a range without
// data says so instead of drawing an empty frame.
import { formatScore } from '../lib/format';

const W = 600;
const H = 160;
const MAX_TICKS = 7;

/** Which of n labels to draw: evenly spaced, at most MAX_TICKS, always the first and the last. */
export function tickIndexes(n: number, max = MAX_TICKS): number[] {
  if (n <= max) return Array.from({ length: n }, (_, i) => i);
  const step = Math.ceil((n - 1) / (max - 1));
  const picked: number[] = [];
  for (let i = 0; i < n - 1; i += step) picked.push(i);
  // The last label, unless it would sit on the one before it.
  if (n - 1 - picked[picked.length - 1]! < step / 2) picked.pop();
  picked.push(n - 1);
  return picked;
}

export function BarChart({ items, horizontal = false, empty = '—' }: { items: Array<{ label: string; value: number }>; horizontal?: boolean; empty?: string }) {
  if (!items.length || items.every((i) => i.value === 0)) return <p className="chart-empty">{empty}</p>;
  const max = Math.max(1, ...items.map((i) => i.value));
  if (horizontal) {
    return (
      <ul className="hbars">
        {items.map((i) => (
          <li key={i.label} title={`${i.label}: ${i.value}`}>
            <span className="hbar-label">{i.label}</span>
            <span className="hbar" style={{ width: `${(i.value / max) * 100}%` }} />
            <span className="hbar-value">{i.value}</span>
          </li>
        ))}
      </ul>
    );
  }
  const bw = W / items.length;
  const ticks = new Set(tickIndexes(items.length));
  return (
    <svg className="chart" viewBox={`0 -14 ${W} ${H + 34}`} role="img" aria-label={items.map((i) => `${i.label}: ${i.value}`).join(', ')}>
      <text x={0} y={-4} className="value-label">
        {max}
      </text>
      <line x1={0} x2={W} y1={H} y2={H} className="axis" />
      {items.map((i, n) => {
        const bh = (i.value / max) * H;
        return (
          <g key={i.label}>
            <rect x={n * bw + 1} y={h0(bh)} width={Math.max(1, bw - 2)} height={bh} className="bar">
              <title>{`${i.label}: ${i.value}`}</title>
            </rect>
            {ticks.has(n) && (
              <text x={n * bw + bw / 2} y={H + 16} textAnchor="middle" className="tick">
                {i.label}
              </text>
            )}
          </g>
        );
      })}
    </svg>
  );
}

const h0 = (bh: number) => H - bh;

export function LineChart({ points, min, max, empty = '—', format = (v: number) => formatScore(v) }: { points: Array<{ label: string; value: number }>; min: number; max: number; empty?: string; format?: (v: number) => string }) {
  if (points.length < 1) return <p className="chart-empty">{empty}</p>;
  // One day is a figure, not a lone dot in an empty frame.
  if (points.length === 1) {
    return (
      <p className="single-figure" aria-label={`${points[0]!.label}: ${format(points[0]!.value)}`}>
        {format(points[0]!.value)} <span className="legend">({points[0]!.label})</span>
      </p>
    );
  }
  const x = (n: number) => (n / (points.length - 1)) * (W - 20) + 10;
  const y = (v: number) => H - ((v - min) / (max - min)) * H;
  const ticks = new Set(tickIndexes(points.length));
  return (
    <svg className="chart" viewBox={`0 -14 ${W} ${H + 34}`} role="img" aria-label={points.map((p) => `${p.label}: ${format(p.value)}`).join(', ')}>
      <text x={0} y={-4} className="value-label">
        {format(max)}
      </text>
      <text x={0} y={H + 30} className="value-label">
        {format(min)}
      </text>
      {min < 0 && max > 0 && <line x1={0} x2={W} y1={y(0)} y2={y(0)} className="axis" />}
      <polyline points={points.map((p, n) => `${x(n)},${y(p.value)}`).join(' ')} className="line" fill="none" />
      {points.map((p, n) => (
        <g key={p.label}>
          <circle cx={x(n)} cy={y(p.value)} r={3} className="dot">
            <title>{`${p.label}: ${format(p.value)}`}</title>
          </circle>
          {ticks.has(n) && (
            <text x={x(n)} y={H + 16} textAnchor="middle" className="tick">
              {p.label}
            </text>
          )}
        </g>
      ))}
    </svg>
  );
}
