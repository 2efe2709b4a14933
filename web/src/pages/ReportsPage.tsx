import { useEffect, useState } from 'react';
import { SatisfactionReport } from '../components/SatisfactionReport';
import { OpenComplaints } from '../components/OpenComplaints';
import { ShareOfVoice } from '../components/ShareOfVoice';
import { KnowledgeReport } from '../components/KnowledgeReport';
import { api } from '../lib/api';
import { t } from '../lib/text';
import { agentTimeZone, formatDay, formatScore, todayIn } from '../lib/format';
import type { AnalysisModels, Report } from '../lib/types';
import { BarChart, LineChart } from '../components/Charts';

const iso = (d: Date) => d.toISOString().slice(0, 10);

/** Reports for a date range: volume by channel, sentiment trend, complaint types, response times, SLA, per agent and team. */
export function ReportsPage() {
  // The agent's own days: "today" and each day of the charts are theirs, not UTC's.
  const zone = agentTimeZone() ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
  const [to, setTo] = useState(() => todayIn(zone));
  const [from, setFrom] = useState(() => iso(new Date(Date.parse(todayIn(zone)) - 29 * 86_400_000)));
  const [report, setReport] = useState<Report | null>(null);
  const [error, setError] = useState<string | null>(null);
  const query = `from=${from}&to=${to}&timeZone=${encodeURIComponent(zone)}`;

  const [models, setModels] = useState<AnalysisModels | null>(null);
  useEffect(() => {
    api<AnalysisModels>('/analysis/models').then(setModels, () => setModels(null));
  }, []);

  useEffect(() => {
    setError(null);
    api<Report>(`/reports/summary?${query}`).then(setReport, (err: Error) => setError(err.message));
  }, [query]);

  const byDay = new Map<string, { messages: number; sentiment: number; n: number }>();
  // Every day of the range, quiet ones included, so the chart's width means time.
  if (report) for (let d = Date.parse(report.from); d <= Date.parse(report.to); d += 86_400_000) byDay.set(iso(new Date(d)), { messages: 0, sentiment: 0, n: 0 });
  const byChannel = new Map<string, number>();
  for (const d of report?.days ?? []) {
    const x = byDay.get(d.day) ?? { messages: 0, sentiment: 0, n: 0 };
    x.messages += d.messages;
    if (d.avgSentiment != null) {
      x.sentiment += d.avgSentiment * d.messages;
      x.n += d.messages;
    }
    byDay.set(d.day, x);
    byChannel.set(d.channel, (byChannel.get(d.channel) ?? 0) + d.messages);
  }
  const days = [...byDay.entries()];
  const r = report?.responseTimes;

  return (
    <main className="reports" aria-label={t.reports.title}>
      <header className="reports-head">
        <h2>{t.reports.title}</h2>
        <label>
          {t.reports.from} <input type="date" value={from} max={to} onChange={(e) => setFrom(e.target.value)} />
        </label>
        <label>
          {t.reports.to} <input type="date" value={to} min={from} onChange={(e) => setTo(e.target.value)} />
        </label>
        <a className="button" href={`/api/v1/reports/summary.csv?${query}`} download>
          {t.reports.csv}
        </a>
      </header>
      {report && (
        <p className="report-zone" role="status">
          {report.preparing ? t.reports.preparing(report.preparing) : report.reason ? t.reports.utcOnly(zone) : t.reports.daysIn(report.timeZone)}
        </p>
      )}
      {error && <p role="alert" className="error">{error}</p>}
      {report && (
        <div className="report-grid">
          <section aria-label={t.reports.volume}>
            <h3>{t.reports.volume}</h3>
            <BarChart items={days.map(([day, x]) => ({ label: formatDay(day), value: x.messages }))} empty={t.reports.noMessages} />
            <p className="legend">{[...byChannel.entries()].map(([c, n]) => `${c}: ${n}`).join(' · ')}</p>
          </section>
          <section aria-label={t.reports.sentiment}>
            <h3>{t.reports.sentiment}</h3>
            <LineChart points={days.filter(([, x]) => x.n > 0).map(([day, x]) => ({ label: formatDay(day), value: x.sentiment / x.n }))} min={-1} max={1} empty={t.reports.noSentiment} format={(v) => formatScore(v, true)} />
          </section>
          <section aria-label={t.reports.complaints}>
            <h3>{t.reports.complaints}</h3>
            <BarChart horizontal items={report.complaintTypes.map((c) => ({ label: c.category, value: c.conversations }))} empty={t.reports.noComplaints} />
          </section>
          <section aria-label={t.reports.times}>
            <h3>{t.reports.times}</h3>
            <dl className="figures">
              <dt>{t.reports.conversations}</dt>
              <dd>{r!.conversations}</dd>
              <dt>{t.reports.firstResponse}</dt>
              <dd>{t.reports.minutes(r!.firstResponseMedianMinutes)}</dd>
              <dt>{t.reports.resolution}</dt>
              <dd>{t.reports.minutes(r!.resolutionMedianMinutes)}</dd>
              <dt>{t.reports.breaches}</dt>
              <dd>{r!.slaBreaches}</dd>
            </dl>
          </section>
          <section aria-label={t.reports.agents}>
            <h3>{t.reports.agents}</h3>
            {report.agents.length === 0 && <p className="chart-empty">{t.reports.noAgents}</p>}
            <table hidden={report.agents.length === 0}>
              <thead>
                <tr>
                  <th>{t.reports.agent}</th>
                  <th>{t.reports.assigned}</th>
                  <th>{t.reports.resolved}</th>
                  <th>{t.reports.firstResponseAverage}</th>
                </tr>
              </thead>
              <tbody>
                {report.agents.map((a) => (
                  <tr key={a.id}>
                    <td>{a.name}</td>
                    <td>{a.assigned}</td>
                    <td>{a.resolved}</td>
                    <td>{t.reports.minutes(a.firstResponseAverageMinutes)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            {report.teams.length > 0 && (
              <table>
                <thead>
                  <tr>
                    <th>{t.reports.team}</th>
                    <th>{t.reports.conversations}</th>
                    <th>{t.reports.resolved}</th>
                  </tr>
                </thead>
                <tbody>
                  {report.teams.map((x) => (
                    <tr key={x.id}>
                      <td>{x.name}</td>
                      <td>{x.conversations}</td>
                      <td>{x.resolved}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>
        </div>
      )}
      {report && <OpenComplaints />}
      {report && <SatisfactionReport query={query} />}
      {report && <ShareOfVoice query={query} />}
      {report && <KnowledgeReport query={query} />}
      {models && (
        <section className="analysis-models" aria-label={t.reports.analysis}>
          <h3>{t.reports.analysis}</h3>
          <p>{t.reports.languages(models.models.filter((m) => m.task.startsWith('sentiment')).map((m) => m.language).sort((a, b) => (a === 'eng' ? -1 : b === 'eng' ? 1 : a.localeCompare(b))))}</p>
          <p data-testid="corrections-learned">{t.reports.corrections(models.correctionsLearned, models.correctionsStored)}</p>
        </section>
      )}
    </main>
  );
}
