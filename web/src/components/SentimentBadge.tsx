import { t } from '../lib/text';

export function SentimentBadge({ sentiment }: { sentiment: { label: string; score: number } | null }) {
  if (!sentiment) return null;
  return (
    <span className={`sentiment sentiment-${sentiment.label}`} title={`${t.sentiment[sentiment.label] ?? sentiment.label} (${sentiment.score.toFixed(2)})`}>
      {t.sentiment[sentiment.label] ?? sentiment.label}
    </span>
  );
}
