// A survey's link token: its id, signed. Links open the survey's page; they expire with the
// survey's answer window (7 days after it was sent), checked against the row.
import crypto from 'node:crypto';

const sign = (id: string, secret: string) => crypto.createHmac('sha256', secret).update(`survey:${id}`).digest('base64url').slice(0, 22);

export const surveyToken = (id: string, secret: string) => `${id}.${sign(id, secret)}`;

export function parseSurveyToken(token: string, secret: string): string | null {
  const [id, mac] = token.split('.');
  if (!id || !mac || !/^[0-9a-f-]{36}$/.test(id)) return null;
  const expected = sign(id, secret);
  return mac.length === expected.length && crypto.timingSafeEqual(Buffer.from(mac), Buffer.from(expected)) ? id : null;
}
