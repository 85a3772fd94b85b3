/**
 * How old a passed check may be (`maxCheckAgeSeconds`). `decideOutcome` (report.ts) reads the
 * API's verdict; this is the one rule beside it that every lookup applies after it, for the CLI,
 * the gate and synthesis alike. It can only take a pass away, never give one.
 *
 * The age is measured by the service's clock (`ageSeconds`, see server-time.ts). A check whose
 * finish time is unknown (the 2018-03-30 action reports no times; a 2021-12-06 answer without
 * `FinishTime`s) cannot be shown to be young enough, so it does not count, unless it is a check
 * this lookup started itself (`startCheck`): that one finished after the lookup began.
 */
import { formatSeconds } from './deadline';
import type { SyncCheckReport } from './types';

/** How the rule names its limit in reasons: the prop, and the CLI flag. */
export const MAX_AGE_NAME = '`maxCheckAgeSeconds` / --max-age';

/** The report with the age limit applied: a passed check too old (or of unknown age) has not passed. */
export function judgeAge(report: SyncCheckReport, maxCheckAgeSeconds: number | undefined): SyncCheckReport {
  if (maxCheckAgeSeconds === undefined || !report.passed) return report;
  const limit = `the maximum check age of ${formatSeconds(maxCheckAgeSeconds * 1000)} (${MAX_AGE_NAME})`;
  const started = report.startedCheck?.seen === true;
  if (report.ageSeconds === undefined) {
    if (started) return report;
    const why = report.apiVersion === '2018-03-30'
      ? 'the 2018-03-30 answer carries no times'
      : 'the answer gave no FinishTime for its steps';
    return {
      ...report,
      passed: false,
      stale: true,
      reason: `${report.reason}, but when it finished is unknown (${why}), so it cannot be shown to be within ${limit}; `
        + 'start a new check with `startCheck` (--start-check) to judge a fresh one',
    };
  }
  if (report.ageSeconds <= maxCheckAgeSeconds) return report;
  return {
    ...report,
    passed: false,
    stale: true,
    reason: `${report.reason}, but it finished at ${report.finishedAt}, ${describeAge(report.ageSeconds)} ago (${report.ageSeconds} s by the service's clock), `
      + `longer ago than ${limit} allows; run the check again (\`startCheck\` / --start-check, CreateCheckSyncJob or the DTS console)`,
  };
}

/** An age for people: `40 s`, `12 min`, `5 h`, `3 days` (rounded down: never younger than said). */
export function describeAge(seconds: number): string {
  if (seconds < 120) return `${seconds} s`;
  if (seconds < 2 * 3600) return `${Math.floor(seconds / 60)} min`;
  if (seconds < 2 * 86_400) return `${Math.floor(seconds / 3600)} h`;
  return `${Math.floor(seconds / 86_400)} days`;
}
