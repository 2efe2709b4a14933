// Canonical forms of contact addresses, so that the same person is one contact whatever
// channel or capitalisation they write with.
import type { IdentityKind } from '../../platform/db/client';

export function normaliseAddress(kind: IdentityKind, address: string): string {
  const a = address.trim();
  switch (kind) {
    case 'email':
      return a.toLowerCase();
    case 'phone':
      // Full E.164 parsing lives in the SMS connector; here only formatting is dropped.
      return a.replace(/[\s().-]/g, '');
    case 'twitter':
      return a.replace(/^@/, '').toLowerCase();
    default:
      return a;
  }
}
