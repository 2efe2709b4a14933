// Canonical forms of contact addresses, so that the same person is one contact whatever
// channel or capitalisation they write with.
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import type { IdentityKind } from '../../platform/db/client';

/**
 * A phone number in E.164 (+14155550123) when it is written internationally (+… or 00…) and
 * valid; otherwise its digits, as given (a national number's country cannot be guessed).
 */
export function e164(phone: string): string {
  const compact = phone.trim().replace(/[\s().-]/g, '');
  const international = compact.startsWith('00') ? `+${compact.slice(2)}` : compact;
  if (!international.startsWith('+')) return compact;
  const parsed = parsePhoneNumberFromString(international);
  return parsed?.isValid() ? parsed.number : international;
}

export function normaliseAddress(kind: IdentityKind, address: string): string {
  const a = address.trim();
  switch (kind) {
    case 'email':
      return a.toLowerCase();
    case 'phone':
      return e164(a);
    case 'twitter':
      return a.replace(/^@/, '').toLowerCase();
    default:
      return a;
  }
}
