// Share of voice for the report's range: each listening topic (ours and competitors') with its
// share of all the posts, sentiment and reach, and its posts per day; CSV.
import { useEffect, useState } from 'react';
import { api } from '../lib/api';
import { t } from '../lib/text';
import type { TopicVoice } from '../../../src/inbox/reports/share-of-voice';
import { BarChart, LineChart } from './Charts';
import { formatDay, formatNumber, formatScore } from '../lib/format';

export function ShareOfVoice({ query }: { query: string }) {
  const [r, setR] = useState<{ topics: TopicVoice[]; total: number } | null>(null);
  useEffect(() => void api<{ topics: TopicVoice[]; total: number }>(`/reports/share-of-voice?${query}`).then(setR, () => setR(null)), [query]);
  if (!r || !r.topics.length) return null;
  return (
    <section className="share-of-voice" aria-label={t.voice.title}>
      <h3>{t.voice.title}</h3>
      <BarChart horizontal items={r.topics.map((x) => ({ label: `${x.name}${x.kind === 'competitor' ? ` (${t.voice.competitor})` : ''}`, value: Math.round(x.share * 100) }))} />
      <table aria-label={t.voice.byTopic}>
        <thead>
          <tr><th>{t.voice.topic}</th><th>{t.voice.posts}</th><th>{t.voice.share}</th><th>{t.voice.negative}</th><th>{t.voice.sentiment}</th><th>{t.voice.reach}</th></tr>
        </thead>
        <tbody>
          {r.topics.map((x) => (
            <tr key={x.topicId}>
              <td>{x.name}{x.kind === 'competitor' ? ` (${t.voice.competitor})` : ''}</td>
              <td>{x.posts}</td>
              <td>{Math.round(x.share * 100)}%</td>
              <td>{x.posts ? Math.round((x.negative / x.posts) * 100) : 0}%</td>
              <td>{x.sentiment === null ? '—' : formatScore(x.sentiment)}</td>
              <td>{formatNumber(x.reach)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {r.topics.map((x) => (
        <figure key={x.topicId} className="voice-trend">
          <figcaption>{t.voice.trend(x.name)}</figcaption>
          <LineChart points={x.days.map((d) => ({ label: formatDay(d.day), value: d.posts }))} min={0} max={Math.max(1, ...x.days.map((d) => d.posts))} format={(v) => formatNumber(Math.round(v))} />
        </figure>
      ))}
      <a className="button" href={`/api/v1/reports/share-of-voice.csv?${query}`} download>{t.voice.csv}</a>
    </section>
  );
}
