// Password hashing with scrypt (memory-hard, in Node's standard library).
import crypto from 'node:crypto';
import { promisify } from 'node:util';
import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import * as common from '@zxcvbn-ts/language-common';

const scrypt = promisify(crypto.scrypt) as (pw: string, salt: Buffer, len: number, opts: crypto.ScryptOptions) => Promise<Buffer>;
const PARAMS = { N: 16384, r: 8, p: 1 };
const KEY_LENGTH = 32;

export async function hashPassword(password: string): Promise<string> {
  const salt = crypto.randomBytes(16);
  const key = await scrypt(password, salt, KEY_LENGTH, PARAMS);
  return `scrypt$${PARAMS.N}$${PARAMS.r}$${PARAMS.p}$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64url');
  const key = await scrypt(password, Buffer.from(salt, 'base64url'), expected.length, { N: Number(n), r: Number(r), p: Number(p) });
  return crypto.timingSafeEqual(key, expected);
}

// The password policy: long enough, not the person's own name or address, and not guessable
// from the 49,000 most common leaked passwords and their variants (zxcvbn's shipped list, scored
// offline: nothing leaves the server).
const MIN_LENGTH = 10;
const WARNINGS: Record<string, string> = {
  topTen: 'it is one of the ten most used passwords',
  topHundred: 'it is one of the hundred most used passwords',
  common: 'it is on the list of commonly leaked passwords',
  similarToCommon: 'it is a small change of a commonly leaked password',
  wordByItself: 'a single word is easy to guess',
  namesByThemselves: 'names are easy to guess',
  userInputs: 'it contains your name or email address',
  keyPattern: 'keyboard patterns are easy to guess',
  straightRow: 'a row of keys is easy to guess',
  simpleRepeat: 'repeated characters are easy to guess',
  sequences: 'sequences like abc or 123 are easy to guess',
  recentYears: 'recent years are easy to guess',
  dates: 'dates are easy to guess',
};
let strength: ZxcvbnFactory | null = null;

/** Why this password may not be used, in words; null when it may. */
export function passwordProblem(password: string, person: { email?: string; name?: string } = {}): string | null {
  if (password.length < MIN_LENGTH) return `use at least ${MIN_LENGTH} characters`;
  if (password.length > 200) return 'use at most 200 characters';
  strength ??= new ZxcvbnFactory({ dictionary: { ...common.dictionary }, graphs: common.adjacencyGraphs });
  const inputs = [person.email, person.email?.split('@')[0], ...(person.name?.split(/\s+/) ?? [])].filter((x): x is string => !!x && x.length > 2);
  const lower = password.toLowerCase();
  if (inputs.some((x) => lower.includes(x.toLowerCase()))) return `choose another password: ${WARNINGS.userInputs}`;
  const r = strength.check(password, inputs);
  if (r.score >= 3) return null;
  const why = (r.feedback.warning && WARNINGS[r.feedback.warning]) ?? 'it is too easy to guess';
  return `choose another password: ${why}`;
}
