import { useEffect, useState } from 'react';
import { t } from '../lib/text';
import { formatDateTime } from '../lib/format';

/** Minutes to the response due time; amber in the last 15 minutes, red once missed. */
export function SlaCountdown({ due }: { due: string | null }) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!due) return;
    const timer = setInterval(() => setNow(Date.now()), 30_000);
    return () => clearInterval(timer);
  }, [due]);
  if (!due) return null;
  const minutes = Math.round((Date.parse(due) - now) / 60_000);
  const state = minutes < 0 ? 'breached' : minutes <= 15 ? 'soon' : 'ok';
  return (
    <span className={`sla sla-${state}`} title={formatDateTime(due)}>
      {t.list.sla(minutes)}
    </span>
  );
}
