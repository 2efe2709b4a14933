// Import contacts from a CSV: choose the file, check how its columns map (guessed from the
// headers), see a dry run's report (created / updated / unchanged / rejected with reasons,
// line by line), then import it for real, watching its progress.
import { useEffect, useState } from 'react';
import { api } from '../lib/api';
import { t } from '../lib/text';

interface ImportView {
  id: string;
  dryRun: boolean;
  status: 'queued' | 'running' | 'done' | 'failed';
  mapping: Record<string, string>;
  totalRows: number;
  processedRows: number;
  created: number;
  updated: number;
  unchanged: number;
  rejected: number;
  rejections: Array<{ line: number; reasons: string[] }>;
  error: string | null;
  headers?: string[];
}

const FIELDS = ['ignore', 'name', 'email', 'phone', 'twitter', 'slack', 'tier', 'customerValue', 'language', 'timeZone', 'company'];

export function ContactImport({ attributes, onDone }: { attributes: Array<{ key: string; label: string }>; onDone: () => void }) {
  const [file, setFile] = useState<{ name: string; csv: string } | null>(null);
  const [headers, setHeaders] = useState<string[]>([]);
  const [mapping, setMapping] = useState<Record<string, string> | null>(null);
  const [country, setCountry] = useState('');
  const [run, setRun] = useState<ImportView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const running = run && (run.status === 'queued' || run.status === 'running');

  useEffect(() => {
    if (!run || !running) return;
    const timer = setTimeout(() => void api<ImportView>(`/contacts/imports/${run.id}`).then((r) => {
      setRun(r);
      if (r.status === 'done' && !r.dryRun) onDone();
    }, (e: Error) => setError(e.message)), 400);
    return () => clearTimeout(timer);
  }, [run, running, onDone]);

  const start = (dryRun: boolean, csv = file?.csv, map = mapping) => {
    if (!csv) return;
    setError(null);
    const body = { csv, fileName: file?.name, dryRun, ...(map ? { mapping: map } : {}), ...(country ? { defaultCountry: country.toUpperCase() } : {}) };
    api<ImportView>('/contacts/imports', { method: 'POST', body }).then(
      (r) => (setRun(r), setMapping(r.mapping), r.headers && setHeaders(r.headers)),
      (e: Error) => setError(e.message),
    );
  };
  const commit = () => run && api<ImportView>(`/contacts/imports/${run.id}/commit`, { method: 'POST' }).then(setRun, (e: Error) => setError(e.message));

  return (
    <section className="contact-import" aria-label={t.contactImport.title}>
      <h3>{t.contactImport.title}</h3>
      <label>
        {t.contactImport.file}{' '}
        <input
          type="file"
          accept=".csv,text/csv"
          onChange={(e) => {
            const chosen = e.target.files?.[0];
            if (!chosen) return;
            void chosen.text().then((csv) => {
              setFile({ name: chosen.name, csv });
              setMapping(null);
              setRun(null);
              start(true, csv, null);
            });
          }}
        />
      </label>
      <label>
        {t.contactImport.country} <input value={country} onChange={(e) => setCountry(e.target.value)} maxLength={2} size={3} placeholder="ES" />
      </label>
      {error && <p role="alert" className="error">{error}</p>}
      {mapping && (
        <table aria-label={t.contactImport.mapping}>
          <tbody>
            {headers.map((h) => (
              <tr key={h}>
                <th scope="row">{h}</th>
                <td>
                  <select aria-label={t.contactImport.columnAs(h)} value={mapping[h] ?? 'ignore'} onChange={(e) => setMapping({ ...mapping, [h]: e.target.value })}>
                    {FIELDS.map((f) => (
                      <option key={f} value={f}>{t.contactImport.fields[f as keyof typeof t.contactImport.fields] ?? f}</option>
                    ))}
                    {attributes.map((a) => (
                      <option key={a.key} value={`attribute:${a.key}`}>{a.label}</option>
                    ))}
                  </select>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {run && (
        <div role="status" aria-live="polite">
          <p>
            {run.dryRun ? t.contactImport.dryRun : t.contactImport.real} · {t.contactImport.progress(run.processedRows, run.totalRows)}
            {run.totalRows > 0 && <progress max={run.totalRows} value={run.processedRows} />}
          </p>
          <p>{t.contactImport.counts(run)}</p>
          {run.error && <p className="error">{run.error}</p>}
          {run.rejections.length > 0 && (
            <ul className="rejections">
              {run.rejections.slice(0, 100).map((r) => (
                <li key={r.line}>{t.contactImport.line(r.line)}: {r.reasons.join('; ')}</li>
              ))}
            </ul>
          )}
        </div>
      )}
      {file && !running && (
        <p>
          <button type="button" onClick={() => start(true)}>{t.contactImport.check}</button>{' '}
          {run?.dryRun && run.status === 'done' && (
            <button type="button" onClick={() => void commit()}>{t.contactImport.importRows(run.created + run.updated)}</button>
          )}
        </p>
      )}
    </section>
  );
}
