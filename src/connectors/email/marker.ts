// The hidden marker our outgoing mail carries: the conversation token, in a form that
// survives a client that drops In-Reply-To and the Reply-To address but quotes our text.
export const markerText = (token: string) => `ref:${token}`;

const MARKER = /\bref:(c[0-9a-z]{1,12}\.[0-9a-z_-]{10})(?![0-9a-z_-])/i;

/** The conversation token quoted in a mail body, if any. */
export function markerIn(...bodies: Array<string | null | undefined>): string | null {
  for (const b of bodies) {
    const m = b ? MARKER.exec(b) : null;
    if (m) return m[1]!.toLowerCase();
  }
  return null;
}
