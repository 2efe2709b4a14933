// How an SMS body travels: GSM-7 when every character is in the GSM 03.38 alphabet (160
// characters in one message, 153 per part when concatenated; characters of the extension
// table count twice), otherwise UCS-2 (70, or 67 per part; characters outside the Basic
// Multilingual Plane, e.g. emoji, count twice). Parts never split an escape or a surrogate pair.
const GSM_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\u001bÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const GSM_EXTENDED = '^{}\\[~]|€\f';
const basic = new Set(GSM_BASIC);
const extended = new Set(GSM_EXTENDED);

export type SmsEncoding = 'GSM-7' | 'UCS-2';

export interface Segmented {
  encoding: SmsEncoding;
  /** The message's parts as the handset receives them. */
  segments: number;
  /** Units used (septets for GSM-7, UTF-16 code units for UCS-2). */
  units: number;
}

export function encodingOf(text: string): SmsEncoding {
  for (const ch of text) if (!basic.has(ch) && !extended.has(ch)) return 'UCS-2';
  return 'GSM-7';
}

/** Cost of each character in units of its encoding. */
function unitsOf(text: string, encoding: SmsEncoding): number[] {
  return [...text].map((ch) => (encoding === 'GSM-7' ? (extended.has(ch) ? 2 : 1) : ch.length));
}

export function segmentsOf(text: string): Segmented {
  const encoding = encodingOf(text);
  const units = unitsOf(text, encoding).reduce((a, b) => a + b, 0);
  const [single, part] = encoding === 'GSM-7' ? [160, 153] : [70, 67];
  if (units <= single) return { encoding, segments: units === 0 ? 0 : 1, units };
  return { encoding, segments: splitUnits(text, encoding, part).length, units };
}

function splitUnits(text: string, encoding: SmsEncoding, max: number): string[] {
  const chars = [...text];
  const costs = unitsOf(text, encoding);
  const parts: string[] = [];
  let cur = '';
  let used = 0;
  chars.forEach((ch, i) => {
    if (used + costs[i]! > max) {
      parts.push(cur);
      cur = '';
      used = 0;
    }
    cur += ch;
    used += costs[i]!;
  });
  if (cur) parts.push(cur);
  return parts;
}

/**
 * Splits a body longer than one provider request allows (Twilio: 1,600 characters) into
 * requests of whole segments, preferring to break at a space.
 */
export function splitForSending(text: string, maxSegmentsPerRequest = 10): string[] {
  const encoding = encodingOf(text);
  const part = encoding === 'GSM-7' ? 153 : 67;
  if (segmentsOf(text).segments <= maxSegmentsPerRequest) return [text];
  const parts = splitUnits(text, encoding, part);
  const out: string[] = [];
  for (let i = 0; i < parts.length; i += maxSegmentsPerRequest) out.push(parts.slice(i, i + maxSegmentsPerRequest).join(''));
  // Move a word cut at a request boundary to the next request.
  for (let i = 0; i < out.length - 1; i++) {
    const cut = out[i]!.lastIndexOf(' ');
    if (cut > out[i]!.length * 0.8) {
      out[i + 1] = out[i]!.slice(cut + 1) + out[i + 1]!;
      out[i] = out[i]!.slice(0, cut + 1);
    }
  }
  return out;
}
