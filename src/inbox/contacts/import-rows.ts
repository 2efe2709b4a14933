// One CSV row of a contact import, read through the column mapping: the identities that say who
// the person is, the fields to write, or every reason the row cannot be imported. Pure: the
// import (import.ts) decides against the database what the row creates or updates.
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';
import type { IdentityKind } from '../../platform/db/client';
import { ValidationError } from '../../platform/errors';
import { checkAttributes, type AttributeDefinition, type AttributeValue } from './attributes';
import { normaliseAddress } from './identity';
import { isTimeZone } from '../../platform/time-zones';

/** What a column can be mapped to. `attribute:<key>` names a custom attribute. */
export const IMPORT_FIELDS = ['name', 'email', 'phone', 'twitter', 'slack', 'tier', 'customerValue', 'language', 'timeZone', 'company', 'ignore'] as const;
export type ImportField = (typeof IMPORT_FIELDS)[number] | `attribute:${string}`;
export type ColumnMapping = Record<string, ImportField>;

const IDENTITY_FIELDS = { email: 'email', phone: 'phone', twitter: 'twitter', slack: 'slack' } as const satisfies Partial<Record<ImportField, IdentityKind>>;
export const isIdentityField = (f: string): f is keyof typeof IDENTITY_FIELDS => f in IDENTITY_FIELDS;

export interface ContactFields {
  name?: string;
  email?: string;
  phone?: string;
  tier?: string;
  customerValue?: number;
  language?: string;
  timeZone?: string;
}

export interface RowPlan {
  identities: Array<{ kind: IdentityKind; address: string }>;
  fields: ContactFields;
  attributes: Record<string, AttributeValue>;
  company?: string;
}

const EMAIL = /^[^\s@<>(),;:"]+@[^\s@<>(),;:"]+\.[^\s@<>(),;:"]+$/;
const HANDLE = /^@?\w{1,15}$/;
const SLACK_ID = /^[UW][A-Z0-9]{2,20}$/;
const LANGUAGE = /^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/;

/** The mapping the headers suggest, e.g. "E-mail address" → email, "Plan" (an attribute labelled Plan) → attribute:plan. */
export function suggestMapping(headers: string[], defs: AttributeDefinition[]): ColumnMapping {
  const simple = (h: string) => h.toLowerCase().replace(/[^a-z0-9]/g, '');
  const known: Record<string, ImportField> = {
    name: 'name', fullname: 'name', contact: 'name', contactname: 'name', customer: 'name', customername: 'name',
    email: 'email', emailaddress: 'email', mail: 'email',
    phone: 'phone', phonenumber: 'phone', mobile: 'phone', mobilephone: 'phone', tel: 'phone', telephone: 'phone', sms: 'phone',
    twitter: 'twitter', x: 'twitter', xhandle: 'twitter', twitterhandle: 'twitter', handle: 'twitter',
    slack: 'slack', slackid: 'slack', slackuserid: 'slack',
    tier: 'tier', plan: 'tier', segment: 'tier',
    value: 'customerValue', customervalue: 'customerValue', revenue: 'customerValue', ltv: 'customerValue',
    language: 'language', lang: 'language', locale: 'language',
    timezone: 'timeZone', tz: 'timeZone',
    company: 'company', organisation: 'company', organization: 'company', account: 'company',
  };
  const attributes = new Map(defs.flatMap((d) => [[simple(d.key), d.key], [simple(d.label), d.key]]));
  const used = new Set<ImportField>();
  return Object.fromEntries(
    headers.map((h) => {
      const attribute = attributes.get(simple(h));
      let field: ImportField = attribute ? `attribute:${attribute}` : (known[simple(h)] ?? 'ignore');
      // One column per field: a second "Email" column is not guessed.
      if (field !== 'ignore' && used.has(field)) field = 'ignore';
      used.add(field);
      return [h, field];
    }),
  );
}

/** Problems with the mapping itself (400 before anything runs). */
export function mappingProblems(mapping: ColumnMapping, headers: string[], defs: AttributeDefinition[]): Array<{ path: string; message: string }> {
  const problems: Array<{ path: string; message: string }> = [];
  const keys = new Set(defs.map((d) => d.key));
  const seen = new Map<string, string>();
  for (const [column, field] of Object.entries(mapping)) {
    if (!headers.includes(column)) problems.push({ path: `mapping.${column}`, message: `the file has no column "${column}" (columns: ${headers.join(', ')})` });
    if (field.startsWith('attribute:')) {
      if (!keys.has(field.slice('attribute:'.length))) problems.push({ path: `mapping.${column}`, message: `no attribute ${field.slice('attribute:'.length)} is defined` });
    } else if (!(IMPORT_FIELDS as readonly string[]).includes(field)) {
      problems.push({ path: `mapping.${column}`, message: `must be one of ${IMPORT_FIELDS.join(', ')} or attribute:<key>` });
    }
    if (field !== 'ignore' && seen.has(field)) problems.push({ path: `mapping.${column}`, message: `${field} is already mapped from "${seen.get(field)}"` });
    seen.set(field, column);
  }
  if (![...seen.keys()].some(isIdentityField)) problems.push({ path: 'mapping', message: 'map at least one column to email, phone, twitter or slack: a contact is known by one of them' });
  return problems;
}

/** A row, read: its plan, or why it cannot be imported. Empty cells are left alone (never clear a value). */
export function readRow(cells: Record<string, string>, mapping: ColumnMapping, defs: AttributeDefinition[], defaultCountry?: string): { plan: RowPlan } | { reasons: string[] } {
  const reasons: string[] = [];
  const plan: RowPlan = { identities: [], fields: {}, attributes: {} };
  const rawAttributes: Record<string, string> = {};
  for (const [column, field] of Object.entries(mapping)) {
    const value = (cells[column] ?? '').trim();
    if (!value || field === 'ignore') continue;
    switch (field) {
      case 'name':
        if (value.length > 200) reasons.push(`${column}: a name of at most 200 characters`);
        else plan.fields.name = value;
        break;
      case 'email':
        if (!EMAIL.test(value) || value.length > 320) reasons.push(`${column}: "${value}" is not an email address`);
        else {
          plan.identities.push({ kind: 'email', address: normaliseAddress('email', value) });
          plan.fields.email = value.toLowerCase();
        }
        break;
      case 'phone': {
        const parsed = parsePhoneNumberFromString(value, defaultCountry ? { defaultCountry: defaultCountry as CountryCode } : undefined);
        if (!parsed?.isValid()) reasons.push(`${column}: "${value}" is not a valid phone number${defaultCountry ? '' : ' (write it with +country code, or give the import a default country)'}`);
        else {
          plan.identities.push({ kind: 'phone', address: parsed.number });
          plan.fields.phone = parsed.number;
        }
        break;
      }
      case 'twitter':
        if (!HANDLE.test(value)) reasons.push(`${column}: "${value}" is not an X handle`);
        else plan.identities.push({ kind: 'twitter', address: normaliseAddress('twitter', value) });
        break;
      case 'slack':
        if (!SLACK_ID.test(value)) reasons.push(`${column}: "${value}" is not a Slack user id (U…)`);
        else plan.identities.push({ kind: 'slack', address: value });
        break;
      case 'tier':
        if (value.length > 50) reasons.push(`${column}: a tier of at most 50 characters`);
        else plan.fields.tier = value;
        break;
      case 'customerValue': {
        const n = Number(value.replace(/[\s,]/g, ''));
        if (!Number.isFinite(n) || n < 0 || n > 1e12) reasons.push(`${column}: "${value}" is not an amount`);
        else plan.fields.customerValue = n;
        break;
      }
      case 'language':
        if (!LANGUAGE.test(value)) reasons.push(`${column}: "${value}" is not a language tag (e.g. es, pt-BR)`);
        else plan.fields.language = value;
        break;
      case 'timeZone':
        if (value.length > 64 || !isTimeZone(value)) reasons.push(`${column}: "${value}" is not a time zone (e.g. Europe/Madrid)`);
        else plan.fields.timeZone = value;
        break;
      case 'company':
        if (value.length > 200) reasons.push(`${column}: a company name of at most 200 characters`);
        else plan.company = value;
        break;
      default:
        rawAttributes[field.slice('attribute:'.length)] = value;
    }
  }
  if (Object.keys(rawAttributes).length) {
    try {
      plan.attributes = checkAttributes(defs, rawAttributes);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      const labelOf = new Map(Object.entries(mapping).map(([c, f]) => [f, c]));
      for (const p of err.details as Array<{ path: string; message: string }>) reasons.push(`${labelOf.get(`attribute:${p.path.slice('attributes.'.length)}`) ?? p.path}: ${p.message}`);
    }
  }
  if (!reasons.length && !plan.identities.length) reasons.push('no email, phone, X handle or Slack id to know them by');
  return reasons.length ? { reasons } : { plan };
}
