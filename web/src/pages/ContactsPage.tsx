// Contacts: find anyone by name, email, phone or handle; their profile — identities on every
// channel with consent, details and custom attributes (editable with the permission), and
// every conversation you can see.
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { api } from '../lib/api';
import { t } from '../lib/text';
import { can, type Agent, type Conversation } from '../lib/types';
import { ContactImport } from '../components/ContactImport';
import { MergeSuggestions } from '../components/MergeSuggestions';
import { Sparkline } from '../components/Sparkline';
import type { ContactView } from '../../../src/inbox/contacts/directory';
import { formatDateTime } from '../lib/format';

type Contact = ContactView;
interface ProfileData {
  contact: Contact;
  conversations: Conversation[];
  merges: Array<{ id: string; mergedId: string; mergedName: string | null; createdAt: string }>;
}
interface Attribute { id: string; key: string; label: string; type: 'text' | 'number' | 'date' | 'list'; options: string[] }

interface ConsentChange { kind: string | null; address: string | null; purpose: string; granted: boolean; source: string; createdAt: string }

/** When and how the contact's consent changed. */
function ConsentHistory({ id, version }: { id: string; version: unknown }) {
  const [rows, setRows] = useState<ConsentChange[]>([]);
  useEffect(() => void api<{ data: ConsentChange[] }>(`/contacts/${id}/consent`).then((r) => setRows(r.data), () => {}), [id, version]);
  if (!rows.length) return null;
  return (
    <>
      <h3>{t.consent.history}</h3>
      <ul className="consent-history">
        {rows.map((c, i) => (
          <li key={i}>
            {formatDateTime(c.createdAt)} · {c.address ?? t.consent.everywhere} · {t.consent.line(c.purpose, c.granted, c.source)}
          </li>
        ))}
      </ul>
    </>
  );
}

function Profile({ id, me, attributes, onErased }: { id: string; me: Agent; attributes: Attribute[]; onErased: (notice: string) => void }) {
  const [data, setData] = useState<ProfileData | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const load = useCallback(() => void api<ProfileData>(`/contacts/${id}`).then(setData, (e: Error) => setError(e.message)), [id]);
  useEffect(load, [load]);
  if (!data) return error ? <p role="alert" className="error">{error}</p> : null;
  const c = data.contact;
  const editable = can(me, 'contacts.edit');
  const save = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const text = (k: string) => String(form.get(k) ?? '').trim() || null;
    const body = {
      name: text('name'),
      tier: text('tier'),
      company: text('company'),
      customerValue: text('customerValue') === null ? null : Number(text('customerValue')),
      language: text('language'),
      timeZone: text('timeZone'),
      doNotContact: form.get('doNotContact') === 'on',
      attributes: Object.fromEntries(attributes.map((a) => [a.key, text(`attr:${a.key}`)])),
    };
    setSaved(false);
    api(`/contacts/${id}`, { method: 'PATCH', body }).then(() => (setError(null), setSaved(true), load()), (err: Error) => setError(err.message));
  };
  return (
    <section className="contact-profile" aria-label={t.contacts.profile}>
      <h3>
        {c.name ?? c.email ?? c.phone ?? t.contacts.unnamed} {c.doNotContact && <span className="tag">{t.contacts.doNotContact}</span>}
      </h3>
      <p className="muted">
        {[c.company?.name, c.preferredChannel && t.contacts.prefers(c.preferredChannel), c.customerValue != null && t.contacts.value(c.customerValue)].filter(Boolean).join(' · ')}
      </p>
      <ul className="identities">
        {c.identities.map((i) => (
          <li key={`${i.kind}:${i.address}`}>
            <span className="channel">{i.kind}</span> {i.address} {i.optedOut && <span className="tag">{t.contact.optedOut}</span>}
            {i.unsubscribed.map((p) => (
              <span key={p} className="tag">{t.consent.no[p as keyof typeof t.consent.no] ?? p}</span>
            ))}
          </li>
        ))}
      </ul>
      {error && <p role="alert" className="error">{error}</p>}
      {saved && <p role="status">{t.contacts.saved}</p>}
      <form key={`${c.id}-${JSON.stringify(c.attributes)}-${c.doNotContact}-${c.company?.id}-${c.customerValue}`} aria-label={t.contacts.details} onSubmit={save} className="contact-details">
        <fieldset disabled={!editable}>
          <label>
            {t.contacts.name} <input name="name" defaultValue={c.name ?? ''} maxLength={200} />
          </label>
          <label>
            {t.contacts.tier} <input name="tier" defaultValue={c.tier ?? ''} maxLength={50} />
          </label>
          <label>
            {t.contacts.customerValue} <input name="customerValue" inputMode="decimal" defaultValue={c.customerValue ?? ''} pattern="[0-9]+([.][0-9]+)?" />
          </label>
          <label>
            {t.contacts.company} <input name="company" defaultValue={c.company?.name ?? ''} maxLength={200} />
          </label>
          <label>
            {t.contacts.language} <input name="language" defaultValue={c.language ?? ''} placeholder="es" maxLength={35} />
          </label>
          <label>
            {t.contacts.timeZone} <input name="timeZone" defaultValue={c.timeZone ?? ''} placeholder="Europe/Madrid" maxLength={64} />
          </label>
          {attributes.map((a) => (
            <label key={a.key}>
              {a.label}{' '}
              {a.type === 'list' ? (
                <select name={`attr:${a.key}`} defaultValue={String(c.attributes[a.key] ?? '')}>
                  <option value="">—</option>
                  {a.options.map((o) => (
                    <option key={o}>{o}</option>
                  ))}
                </select>
              ) : (
                <input name={`attr:${a.key}`} type={a.type === 'number' ? 'text' : a.type === 'date' ? 'date' : 'text'} inputMode={a.type === 'number' ? 'decimal' : undefined} defaultValue={String(c.attributes[a.key] ?? '')} />
              )}
            </label>
          ))}
          <label>
            {t.contacts.doNotContact} <input type="checkbox" name="doNotContact" defaultChecked={c.doNotContact} />
          </label>
          {editable && <button type="submit">{t.contacts.save}</button>}
        </fieldset>
      </form>
      {data.merges.length > 0 && (
        <>
          <h3>{t.merge.mergedHere}</h3>
          <ul className="merges">
            {data.merges.map((m) => (
              <li key={m.id}>
                {m.mergedName ?? t.contacts.unnamed} · {formatDateTime(m.createdAt)}{' '}
                {can(me, 'contacts.merge') && (
                  <button type="button" onClick={() => void api(`/contacts/merges/${m.id}/undo`, { method: 'POST' }).then(load, (e: Error) => setError(e.message))}>
                    {t.merge.undo}
                  </button>
                )}
              </li>
            ))}
          </ul>
        </>
      )}
      {can(me, 'contacts.privacy') && (
        <p className="privacy-actions">
          <a href={`/api/v1/contacts/${c.id}/export`} download>{t.privacy.export}</a>{' '}
          <button
            type="button"
            className="danger"
            onClick={() => {
              if (!window.confirm(t.privacy.confirm(c.name ?? c.email ?? c.phone ?? t.contacts.unnamed))) return;
              api<{ conversations: number; messages: number; attachments: number }>(`/contacts/${c.id}/erase`, { method: 'POST', body: { confirm: true } }).then(
                (n) => onErased(t.privacy.erased(n)),
                (e: Error) => setError(e.message),
              );
            }}
          >
            {t.privacy.erase}
          </button>
        </p>
      )}
      <ConsentHistory id={id} version={data} />
      <h3>{t.contact.conversations(data.conversations.length)}</h3>
      <ul className="history">
        {data.conversations.map((x) => (
          <li key={x.id}>
            #{x.reference} <span className="channel">{x.inbox.kind}</span> {x.sentiment && <Sparkline series={x.sentiment.series} slope={x.sentiment.slope} />}{' '}
            {[x.status, x.sentiment?.label, x.complaintCategory, x.lastMessagePreview].filter(Boolean).join(' · ')}
          </li>
        ))}
      </ul>
    </section>
  );
}

export function ContactsPage({ me }: { me: Agent }) {
  const [q, setQ] = useState('');
  const [rows, setRows] = useState<Contact[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const [attributes, setAttributes] = useState<Attribute[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [importing, setImporting] = useState(false);
  const [tab, setTab] = useState<'all' | 'duplicates'>('all');
  const [notice, setNotice] = useState<string | null>(null);
  useEffect(() => void api<{ data: Attribute[] }>('/contact-attributes').then((r) => setAttributes(r.data), () => {}), []);
  const load = useCallback(
    (cursor?: string) => {
      const query = q.trim().length >= 3 ? `&q=${encodeURIComponent(q.trim())}` : '';
      api<{ data: Contact[]; nextCursor: string | null }>(`/contacts?limit=50${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`).then(
        (r) => (setError(null), setRows((old) => (cursor ? [...old, ...r.data] : r.data)), setNext(r.nextCursor)),
        (e: Error) => setError(e.message),
      );
    },
    [q],
  );
  useEffect(() => {
    const timer = setTimeout(() => load(), 250);
    return () => clearTimeout(timer);
  }, [load]);
  return (
    <main className="reports contacts" aria-label={t.contacts.title}>
      <h2>{t.contacts.title}</h2>
      {can(me, 'settings.manage') && (
        <button type="button" aria-expanded={importing} onClick={() => setImporting(!importing)}>
          {t.contacts.import}
        </button>
      )}
      {importing && <ContactImport attributes={attributes} onDone={load} />}
      {can(me, 'contacts.merge') && (
        <div role="tablist" className="tabs">
          <button type="button" role="tab" aria-selected={tab === 'all'} onClick={() => setTab('all')}>{t.merge.all}</button>
          <button type="button" role="tab" aria-selected={tab === 'duplicates'} onClick={() => setTab('duplicates')}>{t.merge.tab}</button>
        </div>
      )}
      {tab === 'duplicates' && <MergeSuggestions onMerged={() => load()} />}
      {tab === 'all' && (
        <>
      <label>
        <span className="sr-only">{t.contacts.search}</span>
        <input type="search" value={q} onChange={(e) => setQ(e.target.value)} placeholder={t.contacts.searchPlaceholder} aria-label={t.contacts.search} />
      </label>
      {error && <p role="alert" className="error">{error}</p>}
      {notice && <p role="status">{notice}</p>}
      <div className="report-grid">
        <section aria-label={t.contacts.list}>
          <table>
            <tbody>
              {rows.map((c) => (
                <tr key={c.id} aria-selected={c.id === selected}>
                  <td>
                    <button type="button" className="link" onClick={() => setSelected(c.id)}>
                      {c.name ?? c.email ?? c.phone ?? t.contacts.unnamed}
                    </button>
                  </td>
                  <td>{c.identities.map((i) => i.kind).join(', ')}</td>
                  <td>{t.contacts.conversationCount(c.conversations)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {!rows.length && <p className="muted">{t.contacts.none}</p>}
          {next && (
            <button type="button" onClick={() => load(next)}>
              {t.list.more}
            </button>
          )}
        </section>
        {selected && <Profile id={selected} me={me} attributes={attributes} onErased={(text) => (setSelected(null), setNotice(text), load())} />}
      </div>
        </>
      )}
    </main>
  );
}
