// Settings → Roles: the built-in roles (read only) and custom ones built from the permission
// table, with which conversations each sees; and the role select of an agent's row.
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { api } from '../lib/api';
import { t } from '../lib/text';

export interface Role { id: string; name: string; description: string | null; visibility: string; permissions: string[]; builtIn: boolean; agents?: number }
interface Catalogue { data: Role[]; permissions: Record<string, string>; visibilities: Record<string, string> }

export function useRoles(): [Catalogue | null, () => void] {
  const [roles, setRoles] = useState<Catalogue | null>(null);
  const reload = useCallback(() => void api<Catalogue>('/roles').then(setRoles, () => setRoles(null)), []);
  useEffect(reload, [reload]);
  return [roles, reload];
}

/** An agent's role: a built-in one, or a custom one over it. */
export function AgentRoleSelect(p: { agent: { id: string; name: string; role: string; customRole?: { id: string } | null }; roles: Role[]; onChanged: () => void; fail: (e: Error) => void }) {
  const current = p.agent.customRole ? `custom:${p.agent.customRole.id}` : `built-in:${p.agent.role}`;
  return (
    <select
      aria-label={t.settings.roleOf(p.agent.name)}
      value={current}
      onChange={(e) => {
        const [kind, id] = e.target.value.split(':') as [string, string];
        const body = kind === 'custom' ? { customRoleId: id } : { role: id, customRoleId: null };
        api(`/agents/${p.agent.id}`, { method: 'PATCH', body }).then(p.onChanged, p.fail);
      }}
    >
      {p.roles.map((r) => (
        <option key={r.id} value={r.builtIn ? `built-in:${r.id}` : `custom:${r.id}`}>
          {r.name}
        </option>
      ))}
    </select>
  );
}

export function RoleSettings({ catalogue, reload }: { catalogue: Catalogue | null; reload: () => void }) {
  const [error, setError] = useState<string | null>(null);
  const [editing, setEditing] = useState<Role | null>(null);
  if (!catalogue) return null;
  const save = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const body = { name: String(form.get('name') ?? ''), visibility: String(form.get('visibility') ?? 'inbox'), permissions: form.getAll('permissions').map(String) };
    const target = e.currentTarget;
    api(editing ? `/roles/${editing.id}` : '/roles', { method: editing ? 'PUT' : 'POST', body }).then(() => {
      target.reset();
      setEditing(null);
      setError(null);
      reload();
    }, (err: Error) => setError(err.message));
  };
  return (
    <section aria-label={t.settings.roles}>
      <h3>{t.settings.roles}</h3>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      <table>
        <tbody>
          {catalogue.data.map((r) => (
            <tr key={r.id}>
              <td>{r.name}</td>
              <td>{catalogue.visibilities[r.visibility]}</td>
              <td className="permissions" title={r.permissions.map((p) => catalogue.permissions[p] ?? p).join('; ')}>
                {r.permissions.length === Object.keys(catalogue.permissions).length ? t.settings.allPermissions : r.permissions.join(', ') || t.settings.noPermissions}
              </td>
              <td>
                {!r.builtIn && (
                  <>
                    <button type="button" onClick={() => setEditing(r)}>
                      {t.settings.edit}
                    </button>{' '}
                    <button type="button" onClick={() => api(`/roles/${r.id}`, { method: 'DELETE' }).then(reload, (err: Error) => setError(err.message))}>
                      {t.settings.deleteRole}
                    </button>
                  </>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <form key={editing?.id ?? 'new'} aria-label={editing ? t.settings.editRole(editing.name) : t.settings.newRole} onSubmit={save}>
        <label>
          {t.settings.roleName} <input name="name" required maxLength={60} defaultValue={editing?.name} />
        </label>
        <label>
          {t.settings.sees}{' '}
          <select name="visibility" defaultValue={editing?.visibility ?? 'team'}>
            {Object.entries(catalogue.visibilities).map(([k, label]) => (
              <option key={k} value={k}>
                {label}
              </option>
            ))}
          </select>
        </label>
        <fieldset className="permission-list">
          <legend>{t.settings.mayDo}</legend>
          {Object.entries(catalogue.permissions).map(([k, label]) => (
            <label key={k}>
              <input type="checkbox" name="permissions" value={k} defaultChecked={editing?.permissions.includes(k)} /> {label}
            </label>
          ))}
        </fieldset>
        <button type="submit">{editing ? t.settings.saveRole : t.settings.add}</button>
        {editing && (
          <button type="button" onClick={() => setEditing(null)}>
            {t.settings.cancel}
          </button>
        )}
      </form>
    </section>
  );
}
