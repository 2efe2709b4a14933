// The duplicates queue: pairs of contacts that are probably one person, each with the evidence
// found and a score. Merge (undoable at once, or later from the kept contact's profile) or
// "Not the same person" (remembered).
import { useCallback, useEffect, useState } from 'react';
import { api } from '../lib/api';
import { t } from '../lib/text';
import type { ContactView } from '../../../src/inbox/contacts/directory';

interface Suggestion {
  id: string;
  score: number;
  evidence: Array<{ kind: string; detail: string; weight: number }>;
  contacts: [ContactView, ContactView];
}

function Person({ c }: { c: ContactView }) {
  return (
    <div className="suggested-contact">
      <strong>{c.name ?? c.email ?? c.phone ?? t.contacts.unnamed}</strong>
      <ul className="identities">
        {c.identities.map((i) => (
          <li key={`${i.kind}:${i.address}`}>
            <span className="channel">{i.kind}</span> {i.address}
          </li>
        ))}
        {c.email && !c.identities.some((i) => i.address === c.email) && <li>{t.merge.gaveEmail(c.email)}</li>}
        {c.phone && !c.identities.some((i) => i.address === c.phone) && <li>{t.merge.gavePhone(c.phone)}</li>}
      </ul>
      <span className="muted">{t.contacts.conversationCount(c.conversations)}</span>
    </div>
  );
}

export function MergeSuggestions({ onMerged }: { onMerged: () => void }) {
  const [rows, setRows] = useState<Suggestion[]>([]);
  const [done, setDone] = useState<{ mergeId: string; name: string } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(() => void api<{ data: Suggestion[] }>('/contacts/suggestions').then((r) => setRows(r.data), (e: Error) => setError(e.message)), []);
  useEffect(load, [load]);
  const act = (path: string, then: (r: { mergeId?: string }) => void) =>
    api<{ mergeId?: string }>(path, { method: 'POST', body: {} }).then((r) => (setError(null), then(r ?? {}), load(), onMerged()), (e: Error) => setError(e.message));

  return (
    <section className="merge-suggestions" aria-label={t.merge.title}>
      {error && <p role="alert" className="error">{error}</p>}
      {done && (
        <p role="status">
          {t.merge.merged(done.name)}{' '}
          <button type="button" onClick={() => act(`/contacts/merges/${done.mergeId}/undo`, () => setDone(null))}>{t.merge.undo}</button>
        </p>
      )}
      {!rows.length && <p className="muted">{t.merge.none}</p>}
      {rows.map((s) => (
        <article key={s.id} className="suggestion" aria-label={t.merge.pair(s.contacts.map((c) => c.name ?? c.email ?? c.phone ?? '?').join(' / '))}>
          <div className="pair">
            <Person c={s.contacts[0]} />
            <Person c={s.contacts[1]} />
          </div>
          <p>{t.merge.score(Math.round(s.score * 100))}</p>
          <ul className="evidence" aria-label={t.merge.evidence}>
            {s.evidence.map((e) => (
              <li key={e.kind} className={e.kind === 'names_differ' ? 'against' : undefined}>
                {t.merge.kinds[e.kind as keyof typeof t.merge.kinds] ?? e.kind}: {e.detail}
              </li>
            ))}
          </ul>
          <button type="button" onClick={() => act(`/contacts/suggestions/${s.id}/accept`, (r) => r.mergeId && setDone({ mergeId: r.mergeId, name: s.contacts[0].name ?? s.contacts[1].name ?? '' }))}>
            {t.merge.accept}
          </button>{' '}
          <button type="button" onClick={() => act(`/contacts/suggestions/${s.id}/reject`, () => {})}>{t.merge.reject}</button>
        </article>
      ))}
    </section>
  );
}
