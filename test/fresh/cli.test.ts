/**
 * `dts-sync-check check --max-age` and `--start-check` as a pipeline runs them: the bundled CLI in
 * a child process, against the emulator on 127.0.0.1, with nothing from the developer's
 * environment but PATH.
 */
import { DtsClient } from '../../src/dts/client';
import { closeConnections } from '../../src/dts/http';
import { RunningEmulator, startEmulator } from '../../src/emulator';
import { ProcessResult, runProcess } from '../support/run-process';
import { cliScriptPath } from '../support/scripts';
import { tempDir } from '../support/temp';

const CREDS = { secretId: 'AKIDFRESHCLITEST0001', secretKey: 'fresh-cli-test-secret-key-01' };
const DAY_S = 24 * 3600;
let emulator: RunningEmulator;
let home: string;

beforeAll(async () => {
  home = tempDir('dts-fresh-cli-home-');
  // Each test has its own job: a started check restarts the job's clock.
  emulator = await startEmulator({
    credentials: [CREDS],
    jobs: [
      { jobId: 'sync-old00001', region: 'ap-guangzhou', checkSeconds: 30, lastCheckedSecondsAgo: 3 * DAY_S },
      { jobId: 'sync-old00002', region: 'ap-guangzhou', checkSeconds: 30, lastCheckedSecondsAgo: 3 * DAY_S },
      { jobId: 'sync-rcnt0001', region: 'ap-guangzhou', checkSeconds: 30, lastCheckedSecondsAgo: 60 },
      { jobId: 'sync-p2018001', region: 'ap-guangzhou', family: '2018' },
      { jobId: 'sync-strt0001', region: 'ap-guangzhou', checkSeconds: 2, lastCheckedSecondsAgo: 3 * DAY_S },
      { jobId: 'sync-strt0002', region: 'ap-guangzhou', checkSeconds: DAY_S, lastCheckedSecondsAgo: 3600 },
      { jobId: 'sync-strt1801', region: 'ap-guangzhou', family: '2018', checkSeconds: 2, lastCheckedSecondsAgo: 60 },
      { jobId: 'sync-nock0001', region: 'ap-guangzhou', refuseCheck: true, lastCheckedSecondsAgo: 60 },
      { jobId: 'sync-clnt0001', region: 'ap-guangzhou', checkSeconds: 2, lastCheckedSecondsAgo: 3 * DAY_S },
    ],
  });
});

afterAll(async () => {
  await emulator.close();
});

function check(jobId: string, ...more: string[]): Promise<ProcessResult> {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: home,
    TENCENTCLOUD_SECRET_ID: CREDS.secretId,
    TENCENTCLOUD_SECRET_KEY: CREDS.secretKey,
    DTS_SYNC_CHECK_ENDPOINT: emulator.url,
  };
  return runProcess(process.execPath, [cliScriptPath(), 'check', '--job-id', jobId, '--region', 'ap-guangzhou', ...more], { env });
}

const sentFor = (jobId: string) => emulator.requests.filter((r) => r.jobId === jobId);
const createsFor = (jobId: string) => sentFor(jobId).filter((r) => r.action?.startsWith('Create'));

describe('--max-age', () => {
  test('a check that passed 3 days ago exits 1 under --max-age 86400, saying when it finished and how old it is', async () => {
    const r = await check('sync-old00001', '--max-age', '86400');
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/has not passed: check finished and passed \(Status success\), but it finished at \S+Z, 3 days ago \(2592\d\d s by the service's clock\), longer ago than the maximum check age of 86400 s/);
    expect(createsFor('sync-old00001')).toEqual([]);
  });

  test('--output json exposes finishedAt, ageSeconds and stale', async () => {
    const r = await check('sync-old00002', '--max-age', '86400', '--output', 'json');
    expect(r.status).toBe(1);
    const report = JSON.parse(r.stdout);
    expect(report).toMatchObject({ passed: false, stale: true, phase: 'finished', status: 'success' });
    expect(report.ageSeconds).toBeGreaterThanOrEqual(3 * DAY_S);
    expect(report.ageSeconds).toBeLessThan(3 * DAY_S + 60);
    expect(Date.now() - Date.parse(report.finishedAt)).toBeGreaterThanOrEqual(3 * DAY_S * 1000 - 2000);
  });

  test('a check that passed a minute ago passes --max-age 3600', async () => {
    const r = await check('sync-rcnt0001', '--max-age', '3600', '--output', 'json');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.passed).toBe(true);
    expect(report.ageSeconds).toBeGreaterThanOrEqual(59);
    expect(report.ageSeconds).toBeLessThan(60 + 60);
  });

  test('a 2018-03-30 verdict, whose age is unknown, exits 1 under --max-age', async () => {
    const r = await check('sync-p2018001', '--max-age', '31622400');
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/when it finished is unknown \(the 2018-03-30 answer carries no times\)/);
    expect(r.stdout).not.toMatch(/ passed \(request id/);
  });

  test.each([
    ['0', /--max-age must be a number of seconds greater than 0 and at most 31622400 \(got 0\)/],
    ['-5', /--max-age must be a number of seconds greater than 0 and at most 31622400 \(got "-5"\)/],
    ['a day', /--max-age must be a number of seconds/],
    ['31622401', /at most 31622400 \(got 31622401\)/],
  ])('--max-age %j is refused with exit 2 before anything is sent', async (value, why) => {
    const before = emulator.requests.length;
    const r = await check('sync-rcnt0001', '--max-age', value);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(why);
    expect(emulator.requests.length).toBe(before);
  });
});

describe('--start-check', () => {
  test('starts exactly one check, waits for it and passes on its verdict, naming the create', async () => {
    const r = await check('sync-strt0001', '--start-check', '--timeout', '30', '--interval', '0.5');
    expect(r.stderr).toMatch(/waiting for the check started at|sync-strt0001: running/);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/passed \(request id \S+\), answered by DescribeCheckSyncJobResult \(API 2021-12-06\), on the check this run started \(CreateCheckSyncJob, request id [0-9a-f-]{36}, at \S+Z\)/);
    expect(createsFor('sync-strt0001')).toHaveLength(1);
    const sent = sentFor('sync-strt0001').map((e) => e.action);
    expect(sent.indexOf('CreateCheckSyncJob')).toBeGreaterThan(sent.indexOf('DescribeCheckSyncJobResult'));
  });

  test('a 2018-03-30 job gets CreateSyncCheckJob', async () => {
    const r = await check('sync-strt1801', '--start-check', '--timeout', '30', '--interval', '0.5', '--output', 'json', '--quiet');
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ apiVersion: '2018-03-30', passed: true, startedCheck: { action: 'CreateSyncCheckJob', accepted: true, seen: true } });
    expect(createsFor('sync-strt1801').map((e) => e.action)).toEqual(['CreateSyncCheckJob']);
  });

  test('a started check that does not finish within --timeout exits 3, though the stored check passed', async () => {
    const r = await check('sync-strt0002', '--start-check', '--timeout', '2', '--interval', '0.5');
    expect(r.status).toBe(3);
    expect(r.stdout).toMatch(/has not passed: check is still running .*, and the wait of 2 s ran out/);
    expect(createsFor('sync-strt0002')).toHaveLength(1);
  });

  test('a refused create exits 4 with the service\'s code, saying no check could be started', async () => {
    const r = await check('sync-nock0001', '--start-check', '--output', 'json');
    expect(r.status).toBe(4);
    expect(JSON.parse(r.stdout).error).toMatchObject({ kind: 'api', code: 'UnsupportedOperation.UnsupportedOperationError' });
    expect(r.stderr).toMatch(/^A new DTS sync check of job sync-nock0001 in ap-guangzhou could not be started, so the check is treated as not passed: CreateCheckSyncJob failed: UnsupportedOperation\.UnsupportedOperationError/);
    expect(r.stderr).toMatch(/The service refused to start a check/);
    expect(createsFor('sync-nock0001')).toHaveLength(1);
  });

  test('--help lists --start-check and --max-age with what each needs', async () => {
    const r = await runProcess(process.execPath, [cliScriptPath(), 'check', '--help'], { env: { PATH: process.env.PATH } });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/--start-check +start a new check \(CreateCheckSyncJob, or CreateSyncCheckJob/);
    expect(r.stdout).toMatch(/dts:CreateCheckSyncJob/);
    expect(r.stdout).toMatch(/--max-age S +a passed check that finished more than S seconds ago/);
  });
});

describe('the library\'s DtsClient', () => {
  afterAll(() => closeConnections());

  test('waitForSyncCheck with maxCheckAgeSeconds reports a stale pass; startSyncCheck starts one check and passes on it', async () => {
    const client = new DtsClient({ region: 'ap-guangzhou', endpoint: emulator.url, credentials: CREDS });
    const stored = await client.waitForSyncCheck('sync-clnt0001', { maxCheckAgeSeconds: 3600 });
    expect(stored).toMatchObject({ passed: false, stale: true });
    expect(createsFor('sync-clnt0001')).toEqual([]);
    const started = await client.startSyncCheck('sync-clnt0001', { maxCheckAgeSeconds: 3600, timeoutSeconds: 30, pollIntervalSeconds: 0.5 });
    expect(started).toMatchObject({ passed: true, startedCheck: { action: 'CreateCheckSyncJob', accepted: true, seen: true } });
    expect(started.ageSeconds).toBeLessThanOrEqual(5);
    expect(createsFor('sync-clnt0001')).toHaveLength(1);
  });
});
