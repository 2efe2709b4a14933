import { t } from '../lib/text';
import { formatScore } from '../lib/format';

export function SentimentBadge({ sentiment }: { sentiment: { label: string; score: number } | null }) {
  if (!sentiment) return null;
  return (
    <span className={`sentiment sentiment-${sentiment.label}`} title={`${t.sentiment[sentiment.label] ?? sentiment.label} (${formatScore(sentiment.score)})`}>
      {t.sentiment[sentiment.label] ?? sentiment.label}
    </span>
  );
}
