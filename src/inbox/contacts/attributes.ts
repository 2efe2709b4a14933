// Custom contact attributes: admins define them (key, label, type text / number / date / list);
// a contact's values are checked against the definitions wherever they are written (the agent
// app, the API, a CRM's sync, an import), so routing conditions and filters can trust them.
import type { AttributeType } from '../../platform/db/client';
import { ValidationError } from '../../platform/errors';

export interface AttributeDefinition {
  key: string;
  label: string;
  type: AttributeType;
  options: string[];
}

export type AttributeValue = string | number | null;

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The value as stored, or the reason it cannot be. */
function checked(def: AttributeDefinition, value: unknown): { value: AttributeValue } | { problem: string } {
  if (value === null || value === '') return { value: null };
  switch (def.type) {
    case 'text':
      return typeof value === 'string' && value.length <= 1_000 ? { value: value.trim() } : { problem: 'must be text of at most 1,000 characters' };
    case 'number': {
      const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
      return typeof n === 'number' && Number.isFinite(n) ? { value: n } : { problem: 'must be a number' };
    }
    case 'date':
      return typeof value === 'string' && DATE.test(value) && !Number.isNaN(Date.parse(`${value}T00:00:00Z`)) ? { value } : { problem: 'must be a date, YYYY-MM-DD' };
    case 'list':
      return typeof value === 'string' && def.options.includes(value) ? { value } : { problem: `must be one of ${def.options.join(', ')}` };
  }
}

/**
 * Values to write, checked: unknown keys and wrong types are refused together (400, each field
 * named); null or '' clears a value.
 */
export function checkAttributes(defs: AttributeDefinition[], values: Record<string, unknown>): Record<string, AttributeValue> {
  const byKey = new Map(defs.map((d) => [d.key, d]));
  const out: Record<string, AttributeValue> = {};
  const problems: Array<{ path: string; message: string }> = [];
  for (const [key, raw] of Object.entries(values)) {
    const def = byKey.get(key);
    if (!def) {
      problems.push({ path: `attributes.${key}`, message: `no such attribute (defined: ${[...byKey.keys()].join(', ') || 'none'})` });
      continue;
    }
    const r = checked(def, raw);
    if ('problem' in r) problems.push({ path: `attributes.${key}`, message: `${def.label} ${r.problem}` });
    else out[key] = r.value;
  }
  if (problems.length) throw new ValidationError(`Attribute values are not valid: ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`, problems);
  return out;
}

/** The contact's attributes after writing `changes` (a null removes the key). */
export function mergedAttributes(current: unknown, changes: Record<string, AttributeValue>): Record<string, AttributeValue> {
  const next: Record<string, AttributeValue> = { ...((current && typeof current === 'object' ? current : {}) as Record<string, AttributeValue>) };
  for (const [k, v] of Object.entries(changes)) {
    if (v === null) delete next[k];
    else next[k] = v;
  }
  return next;
}
