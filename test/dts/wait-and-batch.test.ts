import { lookupMany } from '../../src/dts/batch';
import { DtsClient } from '../../src/dts/client';
import { DEADLINE_MARGIN_MS } from '../../src/dts/deadline';
import { forgetLearnedVersions } from '../../src/dts/endpoints';
import { DtsApiError } from '../../src/dts/errors';
import { closeConnections } from '../../src/dts/http';
import { ApiVersion, CheckPhase, SyncCheckReport } from '../../src/dts/types';
import { answer2018, answer2021, apiError, FakeDts, TEST_SECRET_ID, TEST_SECRET_KEY } from '../support/fake-dts';
import { expectWithinRule, SLACK_MS } from '../support/time';

const JOB = 'sync-blj8wnt1';
const CREDS = { secretId: TEST_SECRET_ID, secretKey: TEST_SECRET_KEY };
let fake: FakeDts;

function client(): DtsClient {
  return new DtsClient({ region: 'ap-guangzhou', endpoint: fake.endpoint, credentials: CREDS, requestsPerSecond: 1000 });
}

const running = () => answer2018({ status: 'running', doneSteps: 3 });

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
});

describe('waitForSyncCheck', () => {
  test('polls a running check until it finishes, telling the listener about every report', async () => {
    fake.handler = (_req, i) => (i < 2 ? running() : answer2018({ failAt: 7, failMessage: '目标实例不为空' }));
    const seen: SyncCheckReport[] = [];
    const report = await client().waitForSyncCheck(JOB, { pollIntervalSeconds: 0.05, progressListener: { onProgress: (r) => seen.push(r) } });
    expect(report).toMatchObject({ phase: CheckPhase.FINISHED, passed: false });
    expect(seen.map((r) => r.phase)).toEqual([CheckPhase.RUNNING, CheckPhase.RUNNING, CheckPhase.FINISHED]);
    expect(seen[0].reason).toBe('check is still running (3 steps passed so far)');
    expect(fake.requests).toHaveLength(3);
  });

  test('at the timeout it returns the last unfinished report, not passed, saying the wait ran out', async () => {
    fake.handler = () => running();
    const started = Date.now();
    const report = await client().waitForSyncCheck(JOB, { timeoutSeconds: 1, pollIntervalSeconds: 0.2 });
    expectWithinRule(Date.now() - started, 1_000 + 200, SLACK_MS.inProcess, 'the wait');
    expect(report).toMatchObject({ phase: CheckPhase.RUNNING, passed: false });
    expect(report.reason).toBe('check is still running (3 steps passed so far), and the wait of 1 s ran out');
  });

  test('a look that stalls cannot carry the wait past its timeout plus one poll interval, and the answer is the last status seen', async () => {
    // The first look answers "running"; every later one stalls. The attempt timeout (10 s by
    // default) and the per-call deadline (60 s) must not be what ends the wait, and running out of
    // time is not an API error.
    fake.handler = (_req, i) => (i === 0 ? running() : { stall: true });
    const started = Date.now();
    const report = await client().waitForSyncCheck(JOB, { timeoutSeconds: 0.5, pollIntervalSeconds: 0.3 });
    expectWithinRule(Date.now() - started, 500 + 300 + DEADLINE_MARGIN_MS, SLACK_MS.inProcess, 'the wait');
    expect(report).toMatchObject({ phase: CheckPhase.RUNNING, passed: false, reason: 'check is still running (3 steps passed so far), and the wait of 0.5 s ran out' });
  });

  test('never sleeps past the timeout, however long the poll interval', async () => {
    fake.handler = () => running();
    const started = Date.now();
    // A timeout the first look cannot use up, however busy the machine; an interval of a minute.
    await client().waitForSyncCheck(JOB, { timeoutSeconds: 2, pollIntervalSeconds: 60 });
    expectWithinRule(Date.now() - started, 2_000, SLACK_MS.inProcess, 'the wait');
    expect(fake.requests).toHaveLength(2); // once at the start, once at the timeout
  });

  test('a lookup error while waiting still throws', async () => {
    fake.handler = (_req, i) => (i === 0 ? running() : apiError('ResourceNotFound.JobNotExist'));
    await expect(client().waitForSyncCheck(JOB, { pollIntervalSeconds: 0.01 })).rejects.toBeInstanceOf(DtsApiError);
  });

  test.each([
    [{ timeoutSeconds: -1 }, /`timeoutSeconds`/],
    [{ pollIntervalSeconds: 0 }, /`pollIntervalSeconds` must be a number of seconds greater than 0 and at most 3600/],
  ])('refuses wait options %j before sending', async (options, message) => {
    await expect(client().waitForSyncCheck(JOB, options)).rejects.toThrow(message);
    expect(fake.requests).toHaveLength(0);
  });
});

describe('lookupMany', () => {
  test('runs lookups concurrently and returns one outcome per request, errors included, in order', async () => {
    fake.handler = (req) => {
      const jobId = (req.json as { JobId: string }).JobId;
      if (jobId === 'sync-missing1') return apiError('ResourceNotFound.JobNotExist');
      return req.version === '2021-12-06' ? answer2021() : answer2018();
    };
    const progress: Array<[number, string]> = [];
    const outcomes = await lookupMany(
      [
        { jobId: 'sync-aaaaaaa1', region: 'ap-guangzhou', endpoint: fake.endpoint },
        { jobId: 'sync-missing1', region: 'ap-guangzhou', endpoint: fake.endpoint },
        { jobId: 'sync-aaaaaaa2', region: 'ap-beijing', endpoint: fake.endpoint, apiVersion: ApiVersion.V2021_12_06 },
        { jobId: 'sync-aaaaaaa3', region: 'mars-1' },
        { jobId: 'bad id', region: 'ap-guangzhou', endpoint: fake.endpoint },
      ],
      { credentials: CREDS, requestsPerSecond: 1000, onProgress: (i, r) => progress.push([i, r.phase]) },
    );
    expect(outcomes).toHaveLength(5);
    expect(outcomes[0].report).toMatchObject({ jobId: 'sync-aaaaaaa1', passed: true, region: 'ap-guangzhou' });
    expect(outcomes[1].error).toMatchObject({ kind: 'api', code: 'ResourceNotFound.JobNotExist', jobId: 'sync-missing1' });
    expect(outcomes[2].report).toMatchObject({ apiVersion: '2021-12-06', region: 'ap-beijing', passed: true });
    expect(outcomes[3].error).toMatchObject({ kind: 'invalid-input', code: 'InvalidRegion' });
    expect(outcomes[4].error).toMatchObject({ kind: 'invalid-input', code: 'InvalidJobId' });
    expect(progress.sort()).toEqual([[0, 'finished'], [2, 'finished']]);
    // AUTO asks 2021-12-06 about the job 2018-03-30 does not know before calling it unknown.
    expect(fake.requests.map((r) => `${r.version} ${(r.json as { JobId: string }).JobId}`).sort()).toEqual([
      '2018-03-30 sync-aaaaaaa1', '2018-03-30 sync-missing1', '2021-12-06 sync-aaaaaaa2', '2021-12-06 sync-missing1',
    ]);
  });

  test('waits when asked, reporting each poll with its index', async () => {
    fake.handler = (_req, i) => (i === 0 ? running() : answer2018());
    const progress: number[] = [];
    const [outcome] = await lookupMany(
      [{ jobId: JOB, region: 'ap-guangzhou', endpoint: fake.endpoint, wait: { timeoutSeconds: 5, pollIntervalSeconds: 0.05 } }],
      { credentials: CREDS, onProgress: (i) => progress.push(i) },
    );
    expect(outcome.report?.passed).toBe(true);
    expect(progress).toEqual([0, 0]);
  });
});
