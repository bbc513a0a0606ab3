// An ISO 8601 / RFC 3339 instant: a date, a time (seconds optional only
// where `secondsOptional`), and a zone; the date and time apart by `T` or
// a space. Anchored fields, so that the calendar check below sees exactly
// what was written.
/** The shape of an instant, before the calendar check. */
export const ISO_INSTANT_SHAPE =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?([Zz]|[+-]\d{2}:\d{2})$/;

/**
 * The instant `text` names, or null when it is not one: outside the
 * format, without a zone, or a date or time that does not exist
 * (2025-02-30, 24:00, second 60, a zone past ±23:59, year 0). `new Date`
 * alone rolls 2025-02-30 over to March 2 and reads zone-less times as
 * local time.
 */
export function parseIsoInstant(
  text: string,
  options: { secondsOptional?: boolean } = {},
): Date | null {
  const match = ISO_INSTANT_SHAPE.exec(text);
  if (!match) return null;
  const [, y, mo, d, h, mi, s, , zone] = match;
  if (s === undefined && !options.secondsOptional) return null;
  const [year, month, day] = [Number(y), Number(mo), Number(d)];
  const [hour, minute, second] = [Number(h), Number(mi), Number(s ?? 0)];
  if (year < 1 || hour > 23 || minute > 59 || second > 59) return null;
  const calendar = new Date(0);
  calendar.setUTCFullYear(year, month - 1, day);
  if (
    calendar.getUTCFullYear() !== year ||
    calendar.getUTCMonth() !== month - 1 ||
    calendar.getUTCDate() !== day
  ) {
    return null;
  }
  if (zone !== 'Z' && zone !== 'z') {
    const [zh, zm] = [Number(zone!.slice(1, 3)), Number(zone!.slice(4, 6))];
    if (zh > 23 || zm > 59) return null;
  }
  const time = new Date(text.replace(' ', 'T'));
  return Number.isNaN(time.getTime()) ? null : time;
}
