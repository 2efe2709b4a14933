// IANA time zone names, checked the one way: by whether Intl knows them.

/**
 * The zone's IANA name as written ("europe/berlin" → "Europe/Berlin"), or null when it is not
 * one. A name ICU files under another (Asia/Kolkata, ICU's Asia/Calcutta) is kept as given.
 */
export function canonicalTimeZone(name: string): string | null {
  try {
    const resolved = new Intl.DateTimeFormat('en', { timeZone: name }).resolvedOptions().timeZone;
    return resolved.toLowerCase() === name.toLowerCase() ? resolved : name;
  } catch {
    return null;
  }
}

export const isTimeZone = (name: string): boolean => canonicalTimeZone(name) !== null;
