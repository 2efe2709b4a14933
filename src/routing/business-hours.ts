// Business hours: when a support team works, in its own time zone, without its holidays.
// Service levels count only these minutes ("first response within 4 business hours"), and
// acknowledgements tell the customer when someone will be back. Time-zone and daylight-saving
// arithmetic is luxon's.
import { DateTime } from 'luxon';
import { z } from 'zod';

const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof DAYS)[number];

const clock = z.string().regex(/^([01]\d|2[0-4]):[0-5]\d$/, 'a time like 09:00');

export const businessHoursSchema = z
  .object({
    timeZone: z.string().refine((tz) => DateTime.now().setZone(tz).isValid, 'an IANA time zone such as Europe/Berlin'),
    /** Opening intervals per weekday, e.g. { mon: [["09:00", "17:00"]] }; a missing day is closed. */
    week: z.partialRecord(z.enum(DAYS), z.array(z.tuple([clock, clock]).refine(([a, b]) => a < b, 'opening before closing')).max(6)),
    /** Closed dates (YYYY-MM-DD, in the time zone). */
    holidays: z.array(z.iso.date()).max(400).default([]),
  })
  .refine((b) => Object.values(b.week).some((d) => d && d.length > 0), 'open on at least one day');

export type BusinessHours = z.output<typeof businessHoursSchema>;

/** Monday to Friday, 09:00–17:00 in the zone given. */
export const weekdaysNineToFive = (timeZone: string): BusinessHours => ({
  timeZone,
  week: { mon: [['09:00', '17:00']], tue: [['09:00', '17:00']], wed: [['09:00', '17:00']], thu: [['09:00', '17:00']], fri: [['09:00', '17:00']] },
  holidays: [],
});

/** The opening intervals of one local date, as instants; none on a holiday. */
function intervalsOn(bh: BusinessHours, day: DateTime): Array<[DateTime, DateTime]> {
  if (bh.holidays.includes(day.toISODate()!)) return [];
  const spans = bh.week[DAYS[day.weekday - 1]!] ?? [];
  return spans.map(([from, to]) => [at(day, from), at(day, to)]);
}

function at(day: DateTime, time: string): DateTime {
  const [h, m] = time.split(':').map(Number) as [number, number];
  // 24:00 is the end of the day.
  return h === 24 ? day.plus({ days: 1 }).startOf('day') : day.set({ hour: h, minute: m, second: 0, millisecond: 0 });
}

/** Days looked at before giving up (a year and a bit: enough for any holiday list). */
const HORIZON_DAYS = 400;

export function isOpen(bh: BusinessHours | null, when: Date): boolean {
  if (!bh) return true;
  const t = DateTime.fromJSDate(when, { zone: bh.timeZone });
  return intervalsOn(bh, t.startOf('day')).some(([a, b]) => t >= a && t < b);
}

/** The next moment the team is open (now when open). */
export function nextOpening(bh: BusinessHours | null, from: Date): Date {
  if (!bh) return from;
  const start = DateTime.fromJSDate(from, { zone: bh.timeZone });
  for (let d = 0; d < HORIZON_DAYS; d++) {
    const day = start.startOf('day').plus({ days: d });
    for (const [a, b] of intervalsOn(bh, day)) {
      if (b <= start) continue;
      return (a > start ? a : start).toJSDate();
    }
  }
  throw new Error('business hours never open');
}

/** `from` plus `minutes` of business time (plain minutes without business hours). */
export function addBusinessMinutes(bh: BusinessHours | null, from: Date, minutes: number): Date {
  if (!bh) return new Date(from.getTime() + minutes * 60_000);
  let left = minutes * 60_000;
  const start = DateTime.fromJSDate(from, { zone: bh.timeZone });
  for (let d = 0; d < HORIZON_DAYS; d++) {
    const day = start.startOf('day').plus({ days: d });
    for (const [a, b] of intervalsOn(bh, day)) {
      if (b <= start) continue;
      const s = a > start ? a : start;
      const span = b.toMillis() - s.toMillis();
      if (span >= left) return new Date(s.toMillis() + left);
      left -= span;
    }
  }
  throw new Error('business hours never open');
}

/** Business minutes from `a` to `b` (negative when `b` is before `a`). */
export function businessMinutesBetween(bh: BusinessHours | null, a: Date, b: Date): number {
  if (b < a) return -businessMinutesBetween(bh, b, a);
  if (!bh) return (b.getTime() - a.getTime()) / 60_000;
  const start = DateTime.fromJSDate(a, { zone: bh.timeZone });
  const end = DateTime.fromJSDate(b, { zone: bh.timeZone });
  let ms = 0;
  for (let day = start.startOf('day'); day < end && ms >= 0; day = day.plus({ days: 1 })) {
    for (const [x, y] of intervalsOn(bh, day)) {
      const s = x > start ? x : start;
      const e = y < end ? y : end;
      if (e > s) ms += e.toMillis() - s.toMillis();
    }
  }
  return ms / 60_000;
}
