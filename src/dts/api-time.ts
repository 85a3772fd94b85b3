/**
 * Times as the DTS API writes them, normalized to ISO-8601 UTC so a report compares and sorts
 * the same whatever the answer's format.
 *
 * The 2021-12-06 models document `yyyy-mm-dd hh:mm:ss` in Beijing time (UTC+8, no daylight
 * saving), or RFC 3339 when the request sets `DateTimeISOFormat` (shared/REFERENCE.md §8). We do
 * not send that parameter: the official models of `DescribeCheckSyncJobResult` declare `JobId`
 * only, and a parameter the service does not know is answered `UnknownParameter`. Both formats
 * are read anyway.
 */

/** Beijing time is UTC+8 all year. */
const BEIJING_OFFSET_MS = 8 * 3600_000;

const BEIJING = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/;
const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2})$/;

/** What Tencent Cloud APIs write for "no time yet": read as absent, not as a time. */
const NO_TIME = /^0000-00-00[ T]00:00:00/;

export type ApiTime = { readonly iso: string } | 'absent' | 'unreadable';

/**
 * Read an API time: `{ iso }` (UTC, milliseconds), `'absent'` for an empty string or the zero
 * date, `'unreadable'` for anything else (the caller decides how to fail).
 */
export function readApiTime(text: string): ApiTime {
  if (text === '' || NO_TIME.test(text)) return 'absent';
  const beijing = BEIJING.exec(text);
  if (beijing) {
    const [y, mo, d, h, mi, s] = beijing.slice(1).map(Number);
    if (!validClock(y, mo, d, h, mi, s)) return 'unreadable';
    return { iso: new Date(Date.UTC(y, mo - 1, d, h, mi, s) - BEIJING_OFFSET_MS).toISOString() };
  }
  const rfc = RFC3339.exec(text);
  if (rfc) {
    const [y, mo, d, h, mi, s] = rfc.slice(1, 7).map(Number);
    if (!validClock(y, mo, d, h, mi, s)) return 'unreadable';
    const offset = rfc[8];
    if (!/^[Zz]$/.test(offset) && (Number(offset.slice(1, 3)) > 23 || Number(offset.slice(4)) > 59)) return 'unreadable';
    const ms = Date.parse(text.replace(' ', 'T'));
    return Number.isNaN(ms) ? 'unreadable' : { iso: new Date(ms).toISOString() };
  }
  return 'unreadable';
}

/** A real calendar date and a clock time (a leap second is not, here). */
function validClock(y: number, mo: number, d: number, h: number, mi: number, s: number): boolean {
  if (mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || s > 59) return false;
  return d <= new Date(Date.UTC(y, mo, 0)).getUTCDate();
}
