import { useCallback, useEffect, useState, type FormEvent, type ReactNode } from 'react';
import { api } from '../lib/api';
import { t } from '../lib/text';
import { RuleBuilder } from '../components/RuleBuilder';
import { WebhookSettings } from '../components/WebhookSettings';
import { AuditLog } from '../components/AuditLog';
import { AgentRoleSelect, RoleSettings, useRoles } from '../components/RoleSettings';
import { WhatsappTemplates } from '../components/WhatsappTemplates';
import { formatDateTime } from '../lib/format';

interface Inbox { id: string; name: string; kind: string; config: Record<string, unknown> }
interface Team { id: string; name: string; memberIds: string[] }
interface AgentRow { id: string; name: string; email: string; role: string; customRole: { id: string; name: string } | null; availability: string; capacity: number; skills: string[]; active: boolean }
interface Canned { id: string; shortcut: string; title: string; text: string }
interface Rule { id: string; name: string; event: string; position: number; enabled: boolean; conditions: unknown[]; actions: unknown[]; inboxId: string | null }
interface Policy { id: string; name: string; firstResponseMinutes: number; nextResponseMinutes: number; warnBeforeMinutes: number; priorityAtLeast: number | null; tier: string | null }

/** A section that loads its rows and offers a small form; every failure shows its reason. */
function Section<T>(p: { title: string; path: string; render: (rows: T[], reload: () => void, fail: (e: Error) => void) => ReactNode }) {
  const [rows, setRows] = useState<T[]>([]);
  const [error, setError] = useState<string | null>(null);
  const reload = useCallback(() => {
    api<{ data: T[] }>(p.path).then((r) => setRows(r.data), (e: Error) => setError(e.message));
  }, [p.path]);
  useEffect(reload, [reload]);
  const fail = (e: Error) => setError(e.message);
  return (
    <section aria-label={p.title}>
      <h3>{p.title}</h3>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {p.render(rows, () => {
        setError(null);
        reload();
      }, fail)}
    </section>
  );
}

const submit = (run: () => Promise<unknown>, done: () => void, fail: (e: Error) => void) => (e: FormEvent<HTMLFormElement>) => {
  e.preventDefault();
  const form = e.currentTarget;
  run().then(() => {
    form.reset();
    done();
  }, fail);
};
const value = (e: FormEvent<HTMLFormElement>, name: string) => String(new FormData(e.currentTarget).get(name) ?? '');

/** One labelled, required input of a form. */
function Field(p: { label: string; name: string; type?: string; defaultValue?: number; maxLength?: number }) {
  return (
    <label>
      {p.label} <input name={p.name} type={p.type ?? 'text'} required defaultValue={p.defaultValue} maxLength={p.maxLength} {...(p.type === 'number' ? { min: 1, max: 65535 } : {})} />
    </label>
  );
}

function emailInboxBody(e: FormEvent<HTMLFormElement>) {
  const security = value(e, 'security');
  const sec = (standard: string) => (security === 'standard' ? standard : security);
  return {
    kind: 'email',
    name: value(e, 'name'),
    config: {
      address: value(e, 'address'),
      imap: { host: value(e, 'imapHost'), port: Number(value(e, 'imapPort')), security: sec('tls') },
      smtp: { host: value(e, 'smtpHost'), port: Number(value(e, 'smtpPort')), security: sec('starttls') },
    },
    secretRefs: { password: `env:${value(e, 'passwordVar')}` },
  };
}

/** A secret is stored as a reference to an environment variable, never its value. */
function SecretField(p: { label: string; name: string }) {
  return (
    <label>
      {t.settings.secretVariable(p.label)} <input name={p.name} required pattern="[A-Za-z_][A-Za-z0-9_]*" placeholder={p.name.replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase()} />
    </label>
  );
}

const secretRefs = (e: FormEvent<HTMLFormElement>, names: string[]) => Object.fromEntries(names.map((n) => [n, `env:${value(e, n)}`]));

/** What each channel's "new inbox" form sends: its settings and its secrets by reference. */
const CHANNEL_FORMS: Record<'sms' | 'slack' | 'twitter' | 'telegram' | 'whatsapp' | 'messenger' | 'instagram', { legend: string; fields: Array<{ label: string; name: string; optional?: boolean }>; secrets: Array<{ label: string; name: string }>; config: (e: FormEvent<HTMLFormElement>) => Record<string, unknown> }> = {
  sms: {
    legend: t.settings.newSmsInbox,
    fields: [{ label: t.settings.smsNumber, name: 'phoneNumber' }, { label: t.settings.accountSid, name: 'accountSid' }],
    secrets: [{ label: t.settings.authToken, name: 'authToken' }],
    config: (e) => ({ provider: 'twilio', phoneNumber: value(e, 'phoneNumber'), accountSid: value(e, 'accountSid') }),
  },
  slack: {
    legend: t.settings.newSlackInbox,
    fields: [{ label: t.settings.slackChannel, name: 'channelId' }, { label: t.settings.slackAlertChannel, name: 'alertChannelId', optional: true }],
    secrets: [{ label: t.settings.botToken, name: 'botToken' }, { label: t.settings.signingSecret, name: 'signingSecret' }],
    config: (e) => ({ channelId: value(e, 'channelId'), ...(value(e, 'alertChannelId') ? { alertChannelId: value(e, 'alertChannelId') } : {}) }),
  },
  twitter: {
    legend: t.settings.newTwitterInbox,
    fields: [{ label: t.settings.xHandle, name: 'handle' }, { label: t.settings.xUserId, name: 'userId' }],
    secrets: [
      { label: t.settings.appKey, name: 'appKey' },
      { label: t.settings.appSecret, name: 'appSecret' },
      { label: t.settings.accessToken, name: 'accessToken' },
      { label: t.settings.accessSecret, name: 'accessSecret' },
    ],
    config: (e) => ({ handle: value(e, 'handle'), userId: value(e, 'userId') }),
  },
  telegram: {
    legend: t.settings.newTelegramInbox,
    fields: [{ label: t.settings.telegramBot, name: 'botUsername', optional: true }, { label: t.settings.telegramGreeting, name: 'greeting', optional: true }],
    secrets: [
      { label: t.settings.botToken, name: 'botToken' },
      { label: t.settings.telegramSecret, name: 'webhookSecret' },
    ],
    config: (e) => ({ ...(value(e, 'botUsername') ? { botUsername: value(e, 'botUsername') } : {}), ...(value(e, 'greeting') ? { greeting: value(e, 'greeting') } : {}) }),
  },
  whatsapp: {
    legend: t.settings.newWhatsappInbox,
    fields: [{ label: t.settings.whatsappNumberId, name: 'phoneNumberId' }, { label: t.settings.whatsappNumber, name: 'displayPhoneNumber', optional: true }],
    secrets: [
      { label: t.settings.accessToken, name: 'accessToken' },
      { label: t.settings.metaAppSecret, name: 'appSecret' },
      { label: t.settings.whatsappVerifyToken, name: 'verifyToken' },
    ],
    config: (e) => ({ phoneNumberId: value(e, 'phoneNumberId'), ...(value(e, 'displayPhoneNumber') ? { displayPhoneNumber: value(e, 'displayPhoneNumber') } : {}) }),
  },
  messenger: {
    legend: t.settings.newMessengerInbox,
    fields: [{ label: t.settings.facebookPageId, name: 'pageId' }, { label: t.settings.facebookPageName, name: 'pageName', optional: true }],
    secrets: [
      { label: t.settings.pageAccessToken, name: 'pageAccessToken' },
      { label: t.settings.metaAppSecret, name: 'appSecret' },
      { label: t.settings.whatsappVerifyToken, name: 'verifyToken' },
    ],
    config: (e) => ({ pageId: value(e, 'pageId'), ...(value(e, 'pageName') ? { pageName: value(e, 'pageName') } : {}) }),
  },
  instagram: {
    legend: t.settings.newInstagramInbox,
    fields: [{ label: t.settings.instagramAccountId, name: 'accountId' }, { label: t.settings.instagramPageId, name: 'pageId' }, { label: t.settings.instagramUsername, name: 'username', optional: true }],
    secrets: [
      { label: t.settings.pageAccessToken, name: 'pageAccessToken' },
      { label: t.settings.metaAppSecret, name: 'appSecret' },
      { label: t.settings.whatsappVerifyToken, name: 'verifyToken' },
    ],
    config: (e) => ({ accountId: value(e, 'accountId'), pageId: value(e, 'pageId'), ...(value(e, 'username') ? { username: value(e, 'username') } : {}) }),
  },
};

/** The form that creates an inbox of one of the channels above; the server's validation message shows as it is. */
function ChannelInboxForm({ kind, reload, fail }: { kind: keyof typeof CHANNEL_FORMS; reload: () => void; fail: (e: Error) => void }) {
  const f = CHANNEL_FORMS[kind];
  return (
    <form aria-label={f.legend} onSubmit={(e) => submit(() => api('/inboxes', { body: { kind, name: value(e, 'name'), config: f.config(e), secretRefs: secretRefs(e, f.secrets.map((s) => s.name)) } }), reload, fail)(e)}>
      <fieldset>
        <legend>{f.legend}</legend>
        <Field label={t.settings.agentName} name="name" maxLength={100} />
        {f.fields.map((x) =>
          x.optional ? (
            <label key={x.name}>
              {x.label} <input name={x.name} />
            </label>
          ) : (
            <Field key={x.name} label={x.label} name={x.name} />
          ),
        )}
        {f.secrets.map((s) => (
          <SecretField key={s.name} label={s.label} name={s.name} />
        ))}
        <button type="submit">{t.settings.add}</button>
      </fieldset>
    </form>
  );
}

/** The tag a site pastes to embed the chat widget, ready to copy. */
function WidgetSnippet({ inboxId }: { inboxId: string }) {
  const snippet = `<script src="${location.origin}/widget.js" data-inbox="${inboxId}" async></script>`;
  const [copied, setCopied] = useState(false);
  return (
    <div className="inbox-tools">
      <code aria-label={t.settings.embed}>{snippet}</code>{' '}
      <button type="button" onClick={() => void navigator.clipboard?.writeText(snippet).then(() => setCopied(true))}>
        {copied ? t.settings.copied : t.settings.copy}
      </button>
    </div>
  );
}

interface Check { name: string; ok: boolean; message: string }
interface DeadLetter { id: string; key: string; error: string; createdAt: string }

/** Test an inbox's connections to its provider; for email, also the mail it could not read. */
function InboxTools({ inboxId, kind }: { inboxId: string; kind: string }) {
  const [checks, setChecks] = useState<Check[] | 'testing' | null>(null);
  const [letters, setLetters] = useState<DeadLetter[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const test = () => {
    setChecks('testing');
    api<{ checks: Check[] }>(`/inboxes/${inboxId}/test-connection`, { method: 'POST' }).then((r) => setChecks(r.checks), (e: Error) => (setChecks(null), setError(e.message)));
  };
  const showLetters = () => api<{ data: DeadLetter[] }>(`/inboxes/${inboxId}/dead-letters`).then((r) => setLetters(r.data), (e: Error) => setError(e.message));
  return (
    <div className="inbox-tools">
      <button type="button" onClick={test} disabled={checks === 'testing'}>
        {checks === 'testing' ? t.settings.testing : t.settings.testConnection}
      </button>{' '}
      {kind === 'email' && (
        <button type="button" onClick={showLetters}>
          {t.settings.deadLetters}
        </button>
      )}
      {error && <p role="alert" className="error">{error}</p>}
      {Array.isArray(checks) && (
        <ul aria-label={t.settings.testConnection}>
          {checks.map((c) => (
            <li key={c.name} className={c.ok ? 'ok' : 'error'}>
              {c.ok ? '✓' : '✗'} {c.name.toUpperCase()}: {c.message}
            </li>
          ))}
        </ul>
      )}
      {letters && (
        <ul aria-label={t.settings.deadLetters}>
          {letters.length === 0 && <li>{t.settings.noDeadLetters}</li>}
          {letters.map((l) => (
            <li key={l.id}>
              <code>{l.key}</code> {formatDateTime(l.createdAt)}: {l.error}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** Admins' settings: inboxes, teams, agents, saved answers, routing rules and service levels. */
/** Name and email of a person being added or invited. */
function PersonFields() {
  return (
    <>
      <input name="name" aria-label={t.settings.agentName} placeholder={t.settings.agentName} required />
      <input name="email" type="email" aria-label={t.settings.agentEmail} placeholder={t.settings.agentEmail} required />
    </>
  );
}

/** Built-in roles, and (for invitations) the custom ones: "custom:<id>". */
function RoleSelect({ custom = [] }: { custom?: Array<{ id: string; name: string }> }) {
  return (
    <select name="role" aria-label={t.settings.role} defaultValue="agent">
      <option value="agent">{t.roleNames.agent}</option>
      <option value="supervisor">{t.roleNames.supervisor}</option>
      <option value="admin">{t.roleNames.admin}</option>
      {custom.map((r) => (
        <option key={r.id} value={`custom:${r.id}`}>
          {r.name}
        </option>
      ))}
    </select>
  );
}

const roleFields = (chosen: string) => (chosen.startsWith('custom:') ? { role: 'agent', customRoleId: chosen.slice('custom:'.length) } : { role: chosen });

export function SettingsPage() {
  const [newToken, setNewToken] = useState<string | null>(null);
  // An invitation or reset link to hand over, shown once.
  const [link, setLink] = useState<string | null>(null);
  const [roles, reloadRoles] = useRoles();
  return (
    <main className="settings reports" aria-label={t.settings.title}>
      <h2>{t.settings.title}</h2>
      <div className="report-grid">
        <Section<Inbox>
          title={t.settings.inboxes}
          path="/inboxes"
          render={(rows, reload, fail) => (
            <>
              <ul>
                {rows.map((i) => (
                  <li key={i.id}>
                    <span className="channel">{i.kind}</span> {i.name} <code>{i.id}</code>
                    {['email', 'sms', 'slack', 'twitter', 'telegram', 'whatsapp', 'messenger', 'instagram'].includes(i.kind) && <InboxTools inboxId={i.id} kind={i.kind} />}
                    {i.kind === 'whatsapp' && <WhatsappTemplates inbox={i} onSaved={reload} />}
                    {i.kind === 'widget' && <WidgetSnippet inboxId={i.id} />}
                  </li>
                ))}
              </ul>
              {newToken && (
                <p role="status">
                  {t.settings.tokenOnce} <code>{newToken}</code>
                </p>
              )}
              <form onSubmit={(e) => submit(() => api<{ token: string }>('/inboxes', { body: { kind: 'api', name: value(e, 'name') } }).then((r) => setNewToken(r.token)), reload, fail)(e)}>
                <label>
                  {t.settings.newApiInbox} <input name="name" required maxLength={100} />
                </label>
                <button type="submit">{t.settings.add}</button>
              </form>
              <form aria-label={t.settings.newWidget} onSubmit={(e) => submit(() => api('/inboxes', { body: { kind: 'widget', name: value(e, 'name'), config: { allowedOrigins: value(e, 'origins').split(/[\s,]+/).filter(Boolean) } } }), reload, fail)(e)}>
                <fieldset>
                  <legend>{t.settings.newWidget}</legend>
                  <Field label={t.settings.agentName} name="name" maxLength={100} />
                  <Field label={t.settings.widgetOrigins} name="origins" />
                  <button type="submit">{t.settings.add}</button>
                </fieldset>
              </form>
              <form aria-label={t.settings.newEmailInbox} onSubmit={(e) => submit(() => api('/inboxes', { body: emailInboxBody(e) }), reload, fail)(e)}>
                <fieldset>
                  <legend>{t.settings.newEmailInbox}</legend>
                  <Field label={t.settings.agentName} name="name" maxLength={100} />
                  <Field label={t.settings.emailAddress} name="address" type="email" />
                  <Field label={t.settings.imapHost} name="imapHost" />
                  <Field label={t.settings.imapPort} name="imapPort" type="number" defaultValue={993} />
                  <Field label={t.settings.smtpHost} name="smtpHost" />
                  <Field label={t.settings.smtpPort} name="smtpPort" type="number" defaultValue={587} />
                  <label>
                    {t.settings.security}{' '}
                    <select name="security" defaultValue="standard">
                      <option value="standard">{t.mailSecurity.standard}</option>
                      <option value="tls">{t.mailSecurity.tls}</option>
                      <option value="starttls">{t.mailSecurity.starttls}</option>
                      <option value="none">{t.mailSecurity.none}</option>
                    </select>
                  </label>
                  <label>
                    {t.settings.passwordVariable} <input name="passwordVar" required pattern="[A-Za-z_][A-Za-z0-9_]*" placeholder="SUPPORT_MAIL_PASSWORD" />
                  </label>
                  <button type="submit">{t.settings.add}</button>
                </fieldset>
              </form>
              {(['sms', 'slack', 'twitter', 'telegram', 'whatsapp', 'messenger', 'instagram'] as const).map((kind) => (
                <ChannelInboxForm key={kind} kind={kind} reload={reload} fail={fail} />
              ))}
            </>
          )}
        />
        <Section<Team>
          title={t.settings.teams}
          path="/teams"
          render={(rows, reload, fail) => (
            <>
              <ul>
                {rows.map((x) => (
                  <li key={x.id}>
                    {x.name} <small>({x.memberIds.length})</small>
                  </li>
                ))}
              </ul>
              <form onSubmit={(e) => submit(() => api('/teams', { body: { name: value(e, 'name') } }), reload, fail)(e)}>
                <label>
                  {t.settings.newTeam} <input name="name" required maxLength={100} />
                </label>
                <button type="submit">{t.settings.add}</button>
              </form>
            </>
          )}
        />
        <RoleSettings catalogue={roles} reload={reloadRoles} />
        <Section<AgentRow>
          title={t.settings.agents}
          path="/agents"
          render={(rows, reload, fail) => (
            <>
              <table>
                <tbody>
                  {rows.map((a) => (
                    <tr key={a.id}>
                      <td>{a.name}</td>
                      <td>{a.email}</td>
                      <td>{roles ? <AgentRoleSelect agent={a} roles={roles.data} onChanged={reload} fail={fail} /> : (a.customRole?.name ?? a.role)}</td>
                      <td>{a.active ? a.availability : t.settings.deactivated}</td>
                      <td>{a.skills.join(', ')}</td>
                      <td>
                        <button type="button" onClick={() => api<{ link: string }>(`/agents/${a.id}/password-reset`, { body: {} }).then((r) => setLink(`${t.settings.resetLinkFor(a.name)} ${r.link}`), fail)}>
                          {t.settings.resetLink}
                        </button>{' '}
                        <button type="button" onClick={() => api(`/agents/${a.id}/${a.active ? 'deactivate' : 'reactivate'}`, { body: {} }).then(reload, fail)}>
                          {a.active ? t.settings.deactivate : t.settings.reactivate}
                        </button>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
              {link && <p role="status">{link}</p>}
              <form
                aria-label={t.settings.invite}
                onSubmit={(e) => {
                  const body = { name: value(e, 'name'), email: value(e, 'email'), ...roleFields(value(e, 'role')) };
                  submit(() => api<{ link: string }>('/agents/invitations', { body }).then((r) => setLink(`${t.settings.inviteLink(body.email)} ${r.link}`)), reload, fail)(e);
                }}
              >
                <PersonFields />
                <RoleSelect custom={roles?.data.filter((r) => !r.builtIn)} />
                <button type="submit">{t.settings.invite}</button>
              </form>
              <form
                onSubmit={(e) =>
                  submit(() => api('/agents', { body: { name: value(e, 'name'), email: value(e, 'email'), password: value(e, 'password'), role: value(e, 'role') } }), reload, fail)(e)
                }
              >
                <PersonFields />
                <input name="password" type="password" aria-label={t.settings.agentPassword} placeholder={t.settings.agentPassword} minLength={10} required />
                <RoleSelect />
                <button type="submit">{t.settings.add}</button>
              </form>
            </>
          )}
        />
        <Section<Canned>
          title={t.settings.canned}
          path="/canned-responses"
          render={(rows, reload, fail) => (
            <>
              <ul>
                {rows.map((c) => (
                  <li key={c.id}>
                    /{c.shortcut} — {c.title}{' '}
                    <button aria-label={t.settings.remove(c.shortcut)} onClick={() => api(`/canned-responses/${c.id}`, { method: 'DELETE' }).then(reload, fail)}>
                      ×
                    </button>
                  </li>
                ))}
              </ul>
              <form onSubmit={(e) => submit(() => api('/canned-responses', { body: { shortcut: value(e, 'shortcut'), title: value(e, 'title'), text: value(e, 'text') } }), reload, fail)(e)}>
                <input name="shortcut" aria-label={t.settings.shortcut} placeholder="refund-sent" required />
                <input name="title" aria-label={t.settings.cannedTitle} placeholder={t.settings.cannedTitle} required />
                <textarea name="text" aria-label={t.settings.cannedText} placeholder={t.settings.cannedText} required rows={2} />
                <button type="submit">{t.settings.add}</button>
              </form>
            </>
          )}
        />
        <Section<Rule>
          title={t.settings.rules}
          path="/routing/rules"
          render={(rows, reload, fail) => (
            <>
              <table>
                <tbody>
                  {rows.map((r) => (
                    <tr key={r.id}>
                      <td>{r.position}</td>
                      <td title={JSON.stringify({ conditions: r.conditions, actions: r.actions })}>{r.name}</td>
                      <td>
                        <code>{r.event}</code>
                      </td>
                      <td>
                        <label>
                          <input
                            type="checkbox"
                            checked={r.enabled}
                            onChange={() =>
                              api(`/routing/rules/${r.id}`, { method: 'PUT', body: { name: r.name, event: r.event, conditions: r.conditions, actions: r.actions, position: r.position, enabled: !r.enabled, inboxId: r.inboxId } }).then(reload, fail)
                            }
                          />{' '}
                          {t.settings.enabled}
                        </label>
                      </td>
                      <td>
                        <button aria-label={t.settings.remove(r.name)} onClick={() => api(`/routing/rules/${r.id}`, { method: 'DELETE' }).then(reload, fail)}>
                          ×
                        </button>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
              <RuleBuilder onSave={(rule) => api('/routing/rules', { body: rule }).then(reload, (e: Error) => (fail(e), Promise.reject(e)))} />
            </>
          )}
        />
        <Section<Policy>
          title={t.settings.sla}
          path="/sla-policies"
          render={(rows, reload, fail) => (
            <>
              <ul>
                {rows.map((p) => (
                  <li key={p.id}>
                    {p.name}: {t.settings.slaLine(p.firstResponseMinutes, p.nextResponseMinutes)}
                    {p.priorityAtLeast != null && ` · priority ≥ ${p.priorityAtLeast}`}
                    {p.tier && ` · ${p.tier}`}{' '}
                    <button aria-label={t.settings.remove(p.name)} onClick={() => api(`/sla-policies/${p.id}`, { method: 'DELETE' }).then(reload, fail)}>
                      ×
                    </button>
                  </li>
                ))}
              </ul>
              <form
                onSubmit={(e) =>
                  submit(
                    () =>
                      api('/sla-policies', {
                        body: { name: value(e, 'name'), firstResponseMinutes: Number(value(e, 'first')), nextResponseMinutes: Number(value(e, 'next')), ...(value(e, 'priority') ? { priorityAtLeast: Number(value(e, 'priority')) } : {}) },
                      }),
                    reload,
                    fail,
                  )(e)
                }
              >
                <input name="name" aria-label={t.settings.policyName} placeholder={t.settings.policyName} required />
                <input name="first" type="number" min={1} aria-label={t.settings.firstMinutes} placeholder={t.settings.firstMinutes} required />
                <input name="next" type="number" min={1} aria-label={t.settings.nextMinutes} placeholder={t.settings.nextMinutes} required />
                <input name="priority" type="number" min={0} max={100} aria-label={t.settings.minPriority} placeholder={t.settings.minPriority} />
                <button type="submit">{t.settings.add}</button>
              </form>
            </>
          )}
        />
        <WebhookSettings />
        <AuditLog />
      </div>
    </main>
  );
}
