/**
 * `startCheck` in the client (src/dts/start-check.ts), against the emulator on 127.0.0.1. The
 * emulator's checks run on a virtual clock, the client's waits on the same one: a check of two
 * minutes runs in milliseconds, and what is asserted is the schedule, the verdict and which
 * requests were sent.
 */
import { settingsFor } from './support';
import { lookupMany } from '../../src/dts/batch';
import { forgetLearnedVersions } from '../../src/dts/endpoints';
import { DtsApiError } from '../../src/dts/errors';
import { closeConnections } from '../../src/dts/http';
import { startAndWaitForSyncCheck } from '../../src/dts/start-check';
import { CheckPhase, SyncCheckReport } from '../../src/dts/types';
import { EmulatorRequestLogEntry, RunningEmulator, startEmulator } from '../../src/emulator';
import { exitCodeFor, EXIT } from '../../src/lookup/protocol';
import { TEST_SECRET_ID, TEST_SECRET_KEY } from '../support/fake-dts';
import { VirtualClock } from '../support/time';

const DAY_S = 24 * 3600;
const clock = new VirtualClock();
let emu: RunningEmulator;

beforeAll(async () => {
  emu = await startEmulator({
    credentials: [{ secretId: TEST_SECRET_ID, secretKey: TEST_SECRET_KEY }],
    // Virtual time sends dozens of looks per real millisecond: the emulator's own limit would refuse them.
    rateLimitPerSecond: 0,
    jobs: [
      { jobId: 'sync-stale001', region: 'ap-guangzhou', checkSeconds: 20, lastCheckedSecondsAgo: 30 * DAY_S },
      { jobId: 'sync-stale002', region: 'ap-guangzhou', checkSeconds: 120, lastCheckedSecondsAgo: 3600 },
      { jobId: 'sync-fail0001', region: 'ap-guangzhou', outcome: 'failed', failStep: 4, checkSeconds: 10, lastCheckedSecondsAgo: 3600 },
      { jobId: 'sync-old18001', region: 'ap-guangzhou', family: '2018', checkSeconds: 10, lastCheckedSecondsAgo: 3600 },
      { jobId: 'sync-inst1801', region: 'ap-guangzhou', family: '2018' },
      { jobId: 'sync-runs1801', region: 'ap-guangzhou', family: '2018', checkSeconds: 10 },
      { jobId: 'sync-inst2021', region: 'ap-guangzhou' },
      { jobId: 'sync-never001', region: 'ap-guangzhou', neverChecked: true, checkSeconds: 5 },
      { jobId: 'sync-nochk001', region: 'ap-guangzhou', refuseCheck: true, lastCheckedSecondsAgo: 3600 },
      { jobId: 'sync-nochk018', region: 'ap-guangzhou', family: '2018', refuseCheck: true },
      { jobId: 'sync-busy0001', region: 'ap-guangzhou', refuseCheckCode: 'FailedOperation.StatusInConflict' },
      { jobId: 'sync-thrt0001', region: 'ap-guangzhou', checkSeconds: 5, lastCheckedSecondsAgo: 3600, faults: [{ kind: 'requestLimit', action: 'CreateCheckSyncJob', times: 2 }] },
      { jobId: 'sync-stal0001', region: 'ap-guangzhou', checkSeconds: 5, lastCheckedSecondsAgo: 3600, faults: [{ kind: 'stall', action: 'CreateCheckSyncJob', times: 1 }] },
      { jobId: 'sync-trnc0001', region: 'ap-guangzhou', checkSeconds: 5, lastCheckedSecondsAgo: 3600, faults: [{ kind: 'truncatedJson', action: 'CreateCheckSyncJob', times: 1 }] },
      { jobId: 'sync-e5020001', region: 'ap-guangzhou', checkSeconds: 5, lastCheckedSecondsAgo: 3600, faults: [{ kind: 'http502', action: 'CreateCheckSyncJob', times: 1 }] },
      { jobId: 'sync-intl0001', region: 'ap-guangzhou', checkSeconds: 5, lastCheckedSecondsAgo: 3600, faults: [{ kind: 'internalDatabaseError', action: 'CreateCheckSyncJob', times: 1 }] },
    ],
  }, { clock });
});

afterAll(async () => {
  await closeConnections();
  await emu?.close();
});

beforeEach(() => forgetLearnedVersions());

const settings = (extra: Record<string, unknown> = {}) => settingsFor(emu.url, clock, extra);

/** Start a check of `jobId` and wait; returns the report, the virtual time it took and the requests sent for the job. */
type Wait = { timeoutSeconds?: number; pollIntervalSeconds?: number; maxCheckAgeSeconds?: number };
async function start(jobId: string, wait: Wait = {}, extra: Record<string, unknown> = {}) {
  const before = emu.requests.length;
  const t0 = clock.now();
  const report = await startAndWaitForSyncCheck(settings(extra), jobId, { timeoutSeconds: 300, pollIntervalSeconds: 1, ...wait });
  return { report, tookMs: clock.now() - t0, requests: emu.requests.slice(before).filter((r) => r.jobId === jobId) };
}

const creates = (requests: EmulatorRequestLogEntry[]) => requests.filter((r) => r.action?.startsWith('Create'));
const actions = (requests: EmulatorRequestLogEntry[]) => requests.map((r) => `${r.action} ${r.outcome}`);

describe('GIVEN a check that passed a month ago', () => {
  test('it starts exactly one new check and passes on that check\'s verdict, which took its 20 s', async () => {
    const { report, tookMs, requests } = await start('sync-stale001');
    expect(report).toMatchObject({ phase: CheckPhase.FINISHED, passed: true, startedCheck: { action: 'CreateCheckSyncJob', accepted: true, seen: true } });
    const [create] = creates(requests);
    expect(creates(requests)).toHaveLength(1);
    // The order: AUTO asks 2018 first, then 2021 (the family), then the create, then the looks.
    expect(actions(requests).slice(0, 3)).toEqual([
      'DescribeSyncCheckJob ResourceNotFound.JobNotExist', 'DescribeCheckSyncJobResult Success', 'CreateCheckSyncJob Success',
    ]);
    expect(create.action).toBe('CreateCheckSyncJob');
    expect(create.version).toBe('2021-12-06');
    // The verdict is the new check's: it finished after the create was sent, and the wait lasted the check.
    expect(Date.parse(report.finishedAt!)).toBeGreaterThanOrEqual(Date.parse(report.startedCheck!.sentAt));
    expect(tookMs).toBeGreaterThanOrEqual(20_000);
    expect(tookMs).toBeLessThanOrEqual(20_000 + 1_000 + 2_000);
    expect(report.ageSeconds).toBeLessThanOrEqual(2);
  });

  test('a new check that does not finish within the wait ends not finished (exit 3), although the stored check passed', async () => {
    const { report, tookMs, requests } = await start('sync-stale002', { timeoutSeconds: 30, pollIntervalSeconds: 5 });
    expect(report).toMatchObject({ phase: CheckPhase.RUNNING, passed: false, startedCheck: { seen: true } });
    expect(report.reason).toMatch(/check is still running .*, and the wait of 30 s ran out$/);
    expect(exitCodeFor({ report })).toBe(EXIT.NOT_FINISHED);
    expect(creates(requests)).toHaveLength(1);
    // The one deadline holds: the describe, the create and every look within the wait plus one interval.
    expect(tookMs).toBeLessThanOrEqual(30_000 + 5_000);
  });

  test('the new check\'s failure is the verdict, with its failed step', async () => {
    const { report } = await start('sync-fail0001');
    expect(report).toMatchObject({ phase: CheckPhase.FINISHED, passed: false, startedCheck: { seen: true } });
    expect(report.failedSteps.map((s) => s.stepNo)).toEqual([4]);
  });
});

describe('the create each family takes', () => {
  test('a 2018-03-30 job gets CreateSyncCheckJob, and nothing of 2021-12-06 is asked', async () => {
    const { report, requests } = await start('sync-old18001');
    expect(report).toMatchObject({ apiVersion: '2018-03-30', passed: true, startedCheck: { action: 'CreateSyncCheckJob', seen: true } });
    expect(creates(requests).map((r) => `${r.action} ${r.version}`)).toEqual(['CreateSyncCheckJob 2018-03-30']);
    expect(requests.every((r) => r.version === '2018-03-30')).toBe(true);
  });

  test('a 2018-03-30 check that finishes before it is ever seen running cannot be told from the stored one: not passed (exit 3), saying why', async () => {
    const { report, requests } = await start('sync-inst1801', { timeoutSeconds: 5, pollIntervalSeconds: 1 });
    expect(creates(requests)).toHaveLength(1);
    expect(report).toMatchObject({ phase: CheckPhase.PENDING, passed: false, startedCheck: { seen: false, accepted: true } });
    expect([report.steps, report.failedSteps]).toEqual([[], []]);
    expect(report.reason).toMatch(/the check started by CreateSyncCheckJob \(request id \S+\) at \S+ has not shown up yet: the service still reports a check it cannot tell from an earlier one \(finished; the answer carries no times/);
    expect(exitCodeFor({ report })).toBe(EXIT.NOT_FINISHED);
  });

  test('a 2018-03-30 check already running when the create is sent: whichever check then finishes cannot be shown to be the new one, so it ends not passed', async () => {
    // The first look starts the emulator's check, so it is running when the create comes.
    const { report, requests } = await start('sync-runs1801', { timeoutSeconds: 30, pollIntervalSeconds: 1 });
    expect(creates(requests)).toHaveLength(1);
    expect(requests[0].outcome).toBe('Success');
    expect(report).toMatchObject({ passed: false, startedCheck: { seen: false } });
    expect(exitCodeFor({ report })).toBe(EXIT.NOT_FINISHED);
  });

  test('a 2021-12-06 check that starts in the second the stored one did: the create waits for the next second, so the two are told apart', async () => {
    const { report, requests, tookMs } = await start('sync-inst2021');
    expect(report).toMatchObject({ passed: true, startedCheck: { seen: true } });
    expect(creates(requests)).toHaveLength(1);
    expect(tookMs).toBeLessThanOrEqual(2_000 + 1_000);
  });

  test('a job never checked: the started check is the only one', async () => {
    const { report } = await start('sync-never001');
    expect(report).toMatchObject({ passed: true, startedCheck: { seen: true } });
  });
});

describe('GIVEN the service refuses to start a check', () => {
  test.each([
    ['sync-nochk001', 'CreateCheckSyncJob', 'UnsupportedOperation.UnsupportedOperationError'],
    ['sync-nochk018', 'CreateSyncCheckJob', 'FailedOperation.NotAllowOperation'],
    ['sync-busy0001', 'CreateCheckSyncJob', 'FailedOperation.StatusInConflict'],
  ])('%s: it fails closed with %s\'s code %s and looks no further', async (jobId, action, code) => {
    const before = emu.requests.length;
    const error = await startAndWaitForSyncCheck(settings(), jobId, { pollIntervalSeconds: 1 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DtsApiError);
    expect(error).toMatchObject({ code, action, retryable: false });
    expect((error as DtsApiError).requestId).toMatch(/^[0-9a-f-]{36}$/);
    const sent = emu.requests.slice(before).filter((r) => r.jobId === jobId);
    expect(sent[sent.length - 1]).toMatchObject({ action, outcome: code });
    expect(creates(sent)).toHaveLength(1);
  });
});

describe('a create whose answer proves it did nothing is sent again; one whose outcome is unknown never is', () => {
  test('throttled twice (RequestLimitExceeded), it is sent a third time and the check passes', async () => {
    const { report, requests } = await start('sync-thrt0001');
    expect(creates(requests).map((r) => r.outcome)).toEqual(['RequestLimitExceeded', 'RequestLimitExceeded', 'Success']);
    expect(report).toMatchObject({ passed: true, startedCheck: { accepted: true, seen: true } });
  });

  test('a create that got no answer (stalled) is not sent again; no new check shows, so it ends not passed, saying the outcome is unknown', async () => {
    const { report, requests } = await start('sync-stal0001', { timeoutSeconds: 20, pollIntervalSeconds: 2 }, { attemptTimeoutSeconds: 0.5 });
    expect(creates(requests)).toHaveLength(1);
    expect(report).toMatchObject({ phase: CheckPhase.PENDING, passed: false, startedCheck: { accepted: false, seen: false } });
    expect(report.startedCheck!.requestId).toBeUndefined();
    expect(report.reason).toMatch(/^CreateCheckSyncJob got no usable answer \(AttemptTimeout: .*\), so whether it started a check is unknown; it was not sent again \(a second create would restart the check or be refused\), and no check started since \S+ has shown up: the service still reports an earlier check \(started \S+, success\), and the wait of 20 s ran out$/);
    expect(exitCodeFor({ report })).toBe(EXIT.NOT_FINISHED);
  });

  test('a create the service acted on but whose answer broke (truncated JSON) is not sent again, and the check it started is waited for', async () => {
    const { report, requests } = await start('sync-trnc0001');
    expect(creates(requests)).toHaveLength(1);
    expect(report).toMatchObject({ passed: true, startedCheck: { accepted: false, seen: true } });
  });

  test.each([
    ['HTTP 502', 'sync-e5020001', 'http502'],
    ['InternalError', 'sync-intl0001', 'InternalError.DatabaseError'],
  ])('a create answered %s is not sent again; the stored verdict never counts', async (_label, jobId, outcome) => {
    const { report, requests } = await start(jobId, { timeoutSeconds: 10, pollIntervalSeconds: 1 });
    expect(creates(requests).map((r) => r.outcome)).toEqual([outcome]);
    expect(report).toMatchObject({ passed: false, startedCheck: { accepted: false, seen: false } });
  });
});

describe('through lookupMany, as the CLI and the gate call it', () => {
  test('startCheck with maxCheckAgeSeconds: the started 2018-03-30 check counts though its age is unknown', async () => {
    const seen: SyncCheckReport[] = [];
    const [outcome] = await lookupMany(
      [{ jobId: 'sync-old18001', region: 'ap-guangzhou', endpoint: emu.url, startCheck: true, maxCheckAgeSeconds: 60, wait: { timeoutSeconds: 120, pollIntervalSeconds: 1 } }],
      { clock, credentials: { secretId: TEST_SECRET_ID, secretKey: TEST_SECRET_KEY }, requestsPerSecond: 1000, onProgress: (_i, r) => seen.push(r) },
    );
    expect(outcome.report).toMatchObject({ apiVersion: '2018-03-30', passed: true, startedCheck: { seen: true } });
    expect(outcome.report!.ageSeconds).toBeUndefined();
    // Progress is told of the started check's reports only, never of the stored verdict.
    expect(seen.length).toBeGreaterThan(1);
    expect(seen.every((r) => r.startedCheck !== undefined)).toBe(true);
    expect(seen.slice(0, -1).every((r) => r.phase !== CheckPhase.FINISHED)).toBe(true);
  });

  test('without startCheck nothing is ever created', async () => {
    const before = emu.requests.length;
    const [outcome] = await lookupMany(
      [{ jobId: 'sync-stale001', region: 'ap-guangzhou', endpoint: emu.url, maxCheckAgeSeconds: 60, wait: { timeoutSeconds: 60, pollIntervalSeconds: 1 } }],
      { clock, credentials: { secretId: TEST_SECRET_ID, secretKey: TEST_SECRET_KEY }, requestsPerSecond: 1000 },
    );
    expect(creates(emu.requests.slice(before))).toEqual([]);
    expect(outcome.report).toMatchObject({ passed: false, stale: true });
  });
});
