/**
 * How old a check is (`ageSeconds`, by the service's clock) and the rule that a passed check older
 * than `maxCheckAgeSeconds` does not count (src/dts/freshness.ts), through the real client against
 * a scripted server on 127.0.0.1.
 */
import { settingsFor, timed2021 } from './support';
import { describeSyncCheck, waitForSyncCheck } from '../../src/dts/check';
import { forgetLearnedVersions } from '../../src/dts/endpoints';
import { DtsInputError } from '../../src/dts/errors';
import { describeAge, judgeAge } from '../../src/dts/freshness';
import { closeConnections } from '../../src/dts/http';
import { forgetServerTimes, SIGNATURE_WINDOW_MS } from '../../src/dts/server-time';
import { ApiVersion, CheckPhase, SyncCheckReport } from '../../src/dts/types';
import { exitCodeFor, EXIT } from '../../src/lookup/protocol';
import { answer2018, FakeDts } from '../support/fake-dts';

const JOB = 'sync-age00001';
const HOUR = 3600_000;
const DAY = 24 * HOUR;
let fake: FakeDts;

beforeAll(async () => {
  fake = await FakeDts.start();
});

afterAll(async () => {
  await closeConnections();
  await fake.close();
});

beforeEach(() => {
  fake.requests.length = 0;
  forgetLearnedVersions();
  forgetServerTimes();
});

const pinned2021 = () => settingsFor(fake.endpoint, undefined, { apiVersion: ApiVersion.V2021_12_06 });

/** A passed 2021 check that finished `ageMs` before the server's "now", the server's clock `skewMs` off ours. */
function passedAgo(ageMs: number, skewMs = 0, sendDate = true) {
  fake.handler = () => {
    const serverNow = Date.now() + skewMs;
    const reply = timed2021({ status: 'success', startMs: serverNow - ageMs - 30_000, finishMs: serverNow - ageMs }, sendDate ? { date: new Date(serverNow).toUTCString() } : {});
    return { ...reply, sendDate };
  };
}

describe('ageSeconds', () => {
  test('is measured by the service\'s clock (its Date header), not this machine\'s: a server 3 h ahead', async () => {
    passedAgo(2 * HOUR, 3 * HOUR);
    const report = await describeSyncCheck(pinned2021(), JOB);
    // By this machine's clock the check would have finished an hour in the future (age 0).
    expect(report.ageSeconds).toBeGreaterThanOrEqual(7200 - 2);
    expect(report.ageSeconds).toBeLessThanOrEqual(7200 + 2);
    expect(Date.parse(report.finishedAt!)).toBeGreaterThan(Date.now());
  });

  test('and by a server 3 h behind', async () => {
    passedAgo(2 * HOUR, -3 * HOUR);
    const report = await describeSyncCheck(pinned2021(), JOB);
    // By this machine's clock it would be 5 h old.
    expect(Math.abs(report.ageSeconds! - 7200)).toBeLessThanOrEqual(2);
  });

  test('without a Date header, this machine\'s clock is used and the 5 minutes a signature may be off count against the check', async () => {
    passedAgo(2 * HOUR, 0, false);
    const report = await describeSyncCheck(pinned2021(), JOB);
    expect(fake.requests).toHaveLength(1);
    expect(Math.abs(report.ageSeconds! - (7200 + SIGNATURE_WINDOW_MS / 1000))).toBeLessThanOrEqual(2);
  });

  test('an answer without a Date header is judged by the skew the service\'s last Date header showed', async () => {
    passedAgo(2 * HOUR, 3 * HOUR);
    await describeSyncCheck(pinned2021(), JOB);
    passedAgo(2 * HOUR, 3 * HOUR, false);
    const report = await describeSyncCheck(pinned2021(), JOB);
    expect(Math.abs(report.ageSeconds! - 7200)).toBeLessThanOrEqual(2);
  });

  test('is unknown (absent) for a 2018-03-30 answer, which carries no times, and for a check not finished', async () => {
    fake.handler = () => answer2018();
    const report2018 = await describeSyncCheck(settingsFor(fake.endpoint), JOB);
    expect(report2018).toMatchObject({ apiVersion: '2018-03-30', passed: true });
    expect(report2018.ageSeconds).toBeUndefined();
    fake.handler = () => timed2021({ status: 'running', startMs: Date.now() - 5_000 });
    expect((await describeSyncCheck(pinned2021(), JOB)).ageSeconds).toBeUndefined();
  });
});

describe('maxCheckAgeSeconds', () => {
  test('a passed check that finished 3 days ago does not count with a limit of a day: finished, not passed, stale, the reason says when and how old', async () => {
    passedAgo(3 * DAY);
    const report = await waitForSyncCheck(pinned2021(), JOB, { maxCheckAgeSeconds: 86_400, pollIntervalSeconds: 1 });
    expect(report).toMatchObject({ phase: CheckPhase.FINISHED, passed: false, stale: true });
    expect(report.reason).toMatch(/^check finished and passed \(Status success\), but it finished at \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z, 3 days ago \(2592\d\d s by the service's clock\), longer ago than the maximum check age of 86400 s \(`maxCheckAgeSeconds` \/ --max-age\) allows/);
    expect(report.reason).toContain(report.finishedAt!);
    expect(exitCodeFor({ report })).toBe(EXIT.NOT_PASSED);
    expect(fake.requests).toHaveLength(1);
  });

  test('a check an hour old passes a limit of a day, and its age is reported', async () => {
    passedAgo(HOUR);
    const report = await waitForSyncCheck(pinned2021(), JOB, { maxCheckAgeSeconds: 86_400 });
    expect(report).toMatchObject({ passed: true });
    expect(report.stale).toBeUndefined();
    expect(Math.abs(report.ageSeconds! - 3600)).toBeLessThanOrEqual(2);
  });

  test('the limit is judged by the service\'s clock: a check 2 h old fails a 1 h limit even when this machine is 3 h behind the service', async () => {
    passedAgo(2 * HOUR, 3 * HOUR);
    const report = await waitForSyncCheck(pinned2021(), JOB, { maxCheckAgeSeconds: 3600 });
    expect(report).toMatchObject({ passed: false, stale: true });
  });

  test('a 2018-03-30 verdict, whose age cannot be known, fails closed under a limit', async () => {
    fake.handler = () => answer2018();
    const report = await waitForSyncCheck(settingsFor(fake.endpoint), JOB, { maxCheckAgeSeconds: 31_622_400 });
    expect(report).toMatchObject({ apiVersion: '2018-03-30', phase: CheckPhase.FINISHED, passed: false, stale: true });
    expect(report.reason).toBe(
      'check finished and passed (CheckFlag 1), but when it finished is unknown (the 2018-03-30 answer carries no times), so it cannot be shown to be within '
      + 'the maximum check age of 31622400 s (`maxCheckAgeSeconds` / --max-age); start a new check with `startCheck` (--start-check) to judge a fresh one',
    );
  });

  test('a 2021-12-06 answer without FinishTimes fails closed too', async () => {
    fake.handler = () => timed2021({ status: 'success', startMs: Date.now() - 60_000, finishMs: Date.now() - 30_000, noTimes: true });
    const report = await waitForSyncCheck(pinned2021(), JOB, { maxCheckAgeSeconds: 3600 });
    expect(report).toMatchObject({ passed: false, stale: true });
    expect(report.reason).toMatch(/when it finished is unknown \(the answer gave no FinishTime for its steps\)/);
  });

  test('a failed check stays failed for its own reason, not for its age', async () => {
    fake.handler = () => timed2021({ status: 'failed', startMs: Date.now() - 3 * DAY - 30_000, finishMs: Date.now() - 3 * DAY });
    const report = await waitForSyncCheck(pinned2021(), JOB, { maxCheckAgeSeconds: 60 });
    expect(report).toMatchObject({ passed: false });
    expect(report.stale).toBeUndefined();
    expect(report.reason).toMatch(/^check failed at step 3/);
  });

  test.each([0, -1, 31_622_401, Number.NaN])('%s is refused, naming the option, before anything is sent', async (value) => {
    await expect(waitForSyncCheck(pinned2021(), JOB, { maxCheckAgeSeconds: value })).rejects.toThrow(DtsInputError);
    await expect(waitForSyncCheck(pinned2021(), JOB, { maxCheckAgeSeconds: value })).rejects.toThrow(/`maxCheckAgeSeconds` must be a number of seconds greater than 0 and at most 31622400/);
    expect(fake.requests).toHaveLength(0);
  });
});

describe('judgeAge (the rule itself)', () => {
  const base: SyncCheckReport = {
    jobId: JOB,
    region: 'ap-guangzhou',
    apiVersion: '2021-12-06',
    action: 'DescribeCheckSyncJobResult',
    status: 'success',
    phase: CheckPhase.FINISHED,
    passed: true,
    reason: 'check finished and passed (Status success)',
    steps: [],
    failedSteps: [],
    requestId: 'r-1',
    checkedAt: '2026-11-28T12:00:00.000Z',
    finishedAt: '2026-11-28T11:00:00.000Z',
    ageSeconds: 3600,
  };

  test('never turns a report that has not passed into one that has', () => {
    const failed = { ...base, passed: false, reason: 'check failed' };
    expect(judgeAge(failed, 1)).toBe(failed);
    expect(judgeAge({ ...failed, ageSeconds: 0 }, 1).passed).toBe(false);
  });

  test('the limit is inclusive: exactly as old as allowed passes, a second more does not', () => {
    expect(judgeAge(base, 3600).passed).toBe(true);
    expect(judgeAge(base, 3599).passed).toBe(false);
    expect(judgeAge(base, undefined)).toBe(base);
  });

  test('a check the lookup started itself counts when its age is unknown; a stored one does not', () => {
    const unknown = { ...base, finishedAt: undefined, ageSeconds: undefined };
    const startedCheck = { action: 'CreateCheckSyncJob', accepted: true, requestId: 'c-1', sentAt: '2026-11-28T11:59:00.000Z', seen: true };
    expect(judgeAge({ ...unknown, startedCheck }, 60).passed).toBe(true);
    expect(judgeAge({ ...unknown, startedCheck: { ...startedCheck, seen: false } }, 60).passed).toBe(false);
    expect(judgeAge(unknown, 60).passed).toBe(false);
  });

  test('ages read as people say them, rounded down', () => {
    expect([59, 119, 120, 7199, 7200, 172_799, 172_800, 259_200 + 86_399].map(describeAge)).toEqual(['59 s', '119 s', '2 min', '119 min', '2 h', '47 h', '2 days', '3 days']);
  });
});
