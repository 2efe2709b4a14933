// Small SVG charts: enough for a support team's reports, no charting library in the bundle.

export function BarChart({ items, horizontal = false }: { items: Array<{ label: string; value: number }>; horizontal?: boolean }) {
  if (!items.length) return <p className="legend">—</p>;
  const max = Math.max(1, ...items.map((i) => i.value));
  if (horizontal) {
    return (
      <ul className="hbars">
        {items.map((i) => (
          <li key={i.label}>
            <span className="hbar-label">{i.label}</span>
            <span className="hbar" style={{ width: `${(i.value / max) * 100}%` }} />
            <span className="hbar-value">{i.value}</span>
          </li>
        ))}
      </ul>
    );
  }
  const w = 600;
  const h = 160;
  const bw = w / items.length;
  return (
    <svg className="chart" viewBox={`0 0 ${w} ${h + 16}`} role="img" aria-label={items.map((i) => `${i.label}: ${i.value}`).join(', ')}>
      {items.map((i, n) => {
        const bh = (i.value / max) * h;
        return (
          <g key={i.label}>
            <rect x={n * bw + 2} y={h - bh} width={Math.max(1, bw - 4)} height={bh} className="bar" />
            {(items.length <= 31 || n % Math.ceil(items.length / 15) === 0) && (
              <text x={n * bw + bw / 2} y={h + 12} textAnchor="middle" className="tick">
                {i.label}
              </text>
            )}
          </g>
        );
      })}
    </svg>
  );
}

export function LineChart({ points, min, max }: { points: Array<{ label: string; value: number }>; min: number; max: number }) {
  if (points.length < 1) return <p className="legend">—</p>;
  const w = 600;
  const h = 160;
  const x = (n: number) => (points.length === 1 ? w / 2 : (n / (points.length - 1)) * w);
  const y = (v: number) => h - ((v - min) / (max - min)) * h;
  return (
    <svg className="chart" viewBox={`0 0 ${w} ${h}`} role="img" aria-label={points.map((p) => `${p.label}: ${p.value.toFixed(2)}`).join(', ')}>
      <line x1={0} x2={w} y1={y(0)} y2={y(0)} className="axis" />
      <polyline points={points.map((p, n) => `${x(n)},${y(p.value)}`).join(' ')} className="line" fill="none" />
      {points.map((p, n) => (
        <circle key={p.label} cx={x(n)} cy={y(p.value)} r={3} className="dot" />
      ))}
    </svg>
  );
}
