// Self-service and suggestions for the report's range: the deflection rate, articles read and
// found helpful, and each agent's use of suggested replies.
import { useEffect, useState } from 'react';
import { api } from '../lib/api';
import { t } from '../lib/text';
import type { KnowledgeReport as Report } from '../../../src/inbox/reports/knowledge';

const pct = (x: number | null) => (x === null ? '—' : `${Math.round(x * 100)}%`);

export function KnowledgeReport({ query }: { query: string }) {
  const [r, setR] = useState<Report | null>(null);
  useEffect(() => void api<Report>(`/reports/knowledge?${query}`).then(setR, () => setR(null)), [query]);
  if (!r || (!r.articles.length && !r.suggestions.length && !r.deflection.deflected && !r.deflection.handedOver)) return null;
  return (
    <section className="knowledge-report" aria-label={t.knowledgeReport.title}>
      <h3>{t.knowledgeReport.title}</h3>
      <p>{t.knowledgeReport.deflection(r.deflection.deflected, r.deflection.handedOver, pct(r.deflection.rate))}</p>
      {r.articles.length > 0 && (
        <table aria-label={t.knowledgeReport.articles}>
          <thead><tr><th>{t.knowledgeReport.article}</th><th>{t.knowledgeReport.views}</th><th>{t.knowledgeReport.helpful}</th><th>{t.knowledgeReport.notHelpful}</th><th>{t.knowledgeReport.helpfulShare}</th></tr></thead>
          <tbody>{r.articles.map((a) => <tr key={a.id}><td>{a.title}</td><td>{a.views}</td><td>{a.helpful}</td><td>{a.notHelpful}</td><td>{pct(a.helpfulShare)}</td></tr>)}</tbody>
        </table>
      )}
      {r.suggestions.length > 0 && (
        <table aria-label={t.knowledgeReport.suggestions}>
          <thead><tr><th>{t.knowledgeReport.agent}</th><th>{t.knowledgeReport.shown}</th><th>{t.knowledgeReport.used}</th><th>{t.knowledgeReport.edited}</th><th>{t.knowledgeReport.ignored}</th><th>{t.knowledgeReport.useRate}</th></tr></thead>
          <tbody>{r.suggestions.map((x) => <tr key={x.agentId}><td>{x.name}</td><td>{x.shown}</td><td>{x.used}</td><td>{x.edited}</td><td>{x.ignored}</td><td>{pct(x.useRate)}</td></tr>)}</tbody>
        </table>
      )}
    </section>
  );
}
