/**
 * Shared by the fresh-verdict tests: DTS answers with step times, written independently of the
 * emulator, and client settings on a clock of the test's choosing.
 */
import { Clock, SYSTEM_CLOCK } from '../../src/dts/clock';
import { buildSettings, ClientSettings } from '../../src/dts/options';
import { ok, Reply, TEST_SECRET_ID, TEST_SECRET_KEY } from '../support/fake-dts';

/** `yyyy-mm-dd hh:mm:ss` in Beijing time (UTC+8), as the 2021-12-06 API writes times. */
export function beijing(ms: number): string {
  const d = new Date(ms + 8 * 3600_000);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}`;
}

export interface TimedCheck {
  /** `success`, `failed`, `running` or `notStarted`. */
  readonly status: string;
  /** When the check's first step started (ms); absent for `notStarted`. */
  readonly startMs?: number;
  /** When its last step finished (ms), for `success` and `failed`. */
  readonly finishMs?: number;
  /** Leave the times out of the steps. */
  readonly noTimes?: boolean;
}

/** A `DescribeCheckSyncJobResult` answer of three steps with times: the first starts at `startMs`, the last finishes at `finishMs`. */
export function timed2021(check: TimedCheck, headers: Record<string, string> = {}): Reply {
  const ids = ['ConnectDBCheck', 'VersionCheck', 'TargetEmptyCheck'];
  const { status, startMs, finishMs } = check;
  const stepStatus = (i: number) => {
    if (status === 'notStarted') return 'notStarted';
    if (status === 'running') return i === 0 ? 'running' : 'notStarted';
    if (status === 'failed' && i === ids.length - 1) return 'failed';
    return 'finished';
  };
  const time = (ms: number | undefined) => (check.noTimes || ms === undefined ? '' : beijing(ms));
  const reply = ok({
    Status: status,
    StepCount: ids.length,
    StepCur: status === 'notStarted' ? 0 : status === 'running' ? 1 : ids.length,
    Progress: status === 'success' || status === 'failed' ? 100 : status === 'running' ? 10 : 0,
    StepInfos: status === 'notStarted' ? null : ids.map((id, i) => {
      const done = stepStatus(i) === 'finished' || stepStatus(i) === 'failed';
      const started = stepStatus(i) !== 'notStarted';
      return {
        StepNo: i + 1,
        StepName: `step ${id}`,
        StepId: id,
        Status: stepStatus(i),
        StartTime: started ? time(i === 0 ? startMs : startMs! + i * 1000) : '',
        FinishTime: done ? time(i === ids.length - 1 ? finishMs : startMs! + (i + 1) * 1000) : '',
        Errors: stepStatus(i) === 'failed' ? [{ Code: 'TargetEmpty', Message: 'target is not empty', Solution: 'empty it' }] : null,
        Warnings: null,
        Progress: done ? 100 : -1,
      };
    }),
  });
  return { ...reply, headers };
}

/** Settings of a client of `endpoint` with the fake's key pair, on `clock`. */
export function settingsFor(endpoint: string, clock: Clock = SYSTEM_CLOCK, extra: Record<string, unknown> = {}): ClientSettings {
  return buildSettings(
    { region: 'ap-guangzhou', endpoint, credentials: { secretId: TEST_SECRET_ID, secretKey: TEST_SECRET_KEY }, requestsPerSecond: 1000, ...extra },
    {},
    { clock },
  );
}
