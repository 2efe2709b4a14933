// Two-factor login with time-based one-time passwords (RFC 6238, the otpauth library): the
// secret is kept encrypted (AES-256-GCM, key derived from APP_SECRET), codes are accepted
// one step either side of now, and ten recovery codes are given once, kept as SHA-256
// hashes, each good for one login.
import crypto from 'node:crypto';
import { Secret, TOTP } from 'otpauth';

const ISSUER = 'Engagement inbox';
const RECOVERY_CODES = 10;

const keyOf = (appSecret: string) => crypto.createHash('sha256').update(`totp-key:${appSecret}`).digest();

export function encryptSecret(appSecret: string, base32: string): string {
  const iv = crypto.randomBytes(12);
  const cipher = crypto.createCipheriv('aes-256-gcm', keyOf(appSecret), iv);
  const data = Buffer.concat([cipher.update(base32, 'utf8'), cipher.final()]);
  return ['v1', iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), data.toString('base64url')].join('.');
}

export function decryptSecret(appSecret: string, stored: string): string {
  const [version, iv, tag, data] = stored.split('.');
  if (version !== 'v1' || !iv || !tag || !data) throw new Error('unreadable two-factor secret');
  const decipher = crypto.createDecipheriv('aes-256-gcm', keyOf(appSecret), Buffer.from(iv, 'base64url'));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString('utf8');
}

const totpOf = (base32: string, label = '') => new TOTP({ issuer: ISSUER, label, algorithm: 'SHA1', digits: 6, period: 30, secret: Secret.fromBase32(base32) });

/** A new secret, and the otpauth:// URI an authenticator app reads (as a QR code or typed in). */
export function newTotpSecret(email: string): { base32: string; uri: string } {
  const secret = new Secret({ size: 20 });
  return { base32: secret.base32, uri: totpOf(secret.base32, email).toString() };
}

export function totpMatches(base32: string, code: string): boolean {
  return totpStep(base32, code) !== null;
}

/** The time step (30 s since the epoch) the code belongs to, one step either side of now allowed for clock drift; null when it matches none. */
export function totpStep(base32: string, code: string, now = Date.now()): number | null {
  const digits = code.replace(/\s/g, '');
  if (!/^\d{6}$/.test(digits)) return null;
  const delta = totpOf(base32).validate({ token: digits, window: 1, timestamp: now });
  return delta === null ? null : Math.floor(now / 30_000) + delta;
}

/** The current code (tests and the setup screen's check). */
export const totpNow = (base32: string) => totpOf(base32).generate();

export const hashRecoveryCode = (code: string) => crypto.createHash('sha256').update(code.replace(/[\s-]/g, '').toLowerCase()).digest('hex');

/** Ten codes like "k3f9-2m7q-x8ab", and their hashes to keep. */
export function newRecoveryCodes(): { codes: string[]; hashes: string[] } {
  const codes = Array.from({ length: RECOVERY_CODES }, () => crypto.randomBytes(8).toString('base64url').replace(/[-_]/g, 'x').slice(0, 12).toLowerCase().replace(/(.{4})(?=.)/g, '$1-'));
  return { codes, hashes: codes.map(hashRecoveryCode) };
}
