/**
 * Fresh checks: CreateCheckSyncJob (2021-12-06) and CreateSyncCheckJob (2018-03-30) restart a
 * job's check from that moment, each for its own family only; old checks, jobs never checked,
 * and jobs that refuse a new check. The job clock is virtual, so nothing here waits.
 */
import { call, RawAnswer, RawCall } from './raw-client';
import { REFUSE_CHECK_CODES, RunningEmulator, startEmulator } from '../../src/emulator';
import { VirtualClock } from '../support/time';

const clock = new VirtualClock();
let emu: RunningEmulator;

beforeAll(async () => {
  emu = await startEmulator({
    rateLimitPerSecond: 0,
    jobs: [
      { jobId: 'sync-fresh001', region: 'ap-guangzhou', checkSeconds: 10, startDelaySeconds: 2 },
      { jobId: 'sync-fresh018', region: 'ap-guangzhou', family: '2018', outcome: 'failed', failStep: 3, checkSeconds: 10 },
      { jobId: 'sync-stale001', region: 'ap-guangzhou', checkSeconds: 10, lastCheckedSecondsAgo: 30 * 24 * 3600 },
      { jobId: 'sync-never001', region: 'ap-guangzhou', neverChecked: true, checkSeconds: 10 },
      { jobId: 'sync-never018', region: 'ap-guangzhou', family: '2018', neverChecked: true },
      { jobId: 'sync-nochk001', region: 'ap-guangzhou', refuseCheck: true, lastCheckedSecondsAgo: 3600 },
      { jobId: 'sync-nochk018', region: 'ap-guangzhou', family: '2018', refuseCheck: true },
      { jobId: 'sync-nochk002', region: 'ap-guangzhou', refuseCheckCode: 'FailedOperation.StatusInConflict' },
      { jobId: 'sync-beijing1', region: 'ap-beijing' },
    ],
  }, { clock });
});

afterAll(async () => {
  await emu?.close();
});

const create2021 = (jobId: string, extra: Partial<RawCall> = {}) => call(emu.url, { action: 'CreateCheckSyncJob', jobId, ...extra });
const create2018 = (jobId: string) => call(emu.url, { action: 'CreateSyncCheckJob', jobId });
const describe2021 = (jobId: string) =>
  call(emu.url, { action: 'DescribeCheckSyncJobResult', body: JSON.stringify({ JobId: jobId, DateTimeISOFormat: true }) });
const describe2018 = (jobId: string) => call(emu.url, { jobId });

function expectOnlyRequestId(res: RawAnswer): void {
  expect(res.code).toBeUndefined();
  expect(Object.keys(res.response)).toEqual(['RequestId']);
  expect(res.response.RequestId).toMatch(/^[0-9a-f-]{36}$/);
}

describe('CreateCheckSyncJob (2021-12-06)', () => {
  test('answers only a RequestId and restarts the check from that moment: not started, running, then the verdict', async () => {
    await describe2021('sync-fresh001');
    clock.advance(60_000);
    expect((await describe2021('sync-fresh001')).response.Status).toBe('success');

    const createdAt = clock.now();
    expectOnlyRequestId(await create2021('sync-fresh001'));
    expect((await describe2021('sync-fresh001')).response).toMatchObject({ Status: 'notStarted', StepInfos: null, StepCur: 0 });
    clock.advance(2_000);
    const running = (await describe2021('sync-fresh001')).response;
    expect(running).toMatchObject({ Status: 'running', StepCur: 1 });
    expect(Date.parse(running.StepInfos[0].StartTime)).toBe(Math.floor((createdAt + 2_000) / 1000) * 1000);
    clock.advance(10_000);
    const done = (await describe2021('sync-fresh001')).response;
    expect(done.Status).toBe('success');
    expect(Date.parse(done.StepInfos[9].FinishTime)).toBe(Math.floor((createdAt + 12_000) / 1000) * 1000);
  });

  test('starts a fresh check of an old one: the times are the new check\'s', async () => {
    const before = (await describe2021('sync-stale001')).response;
    expect(before.Status).toBe('success');
    expect(clock.now() - Date.parse(before.StepInfos[9].FinishTime)).toBeGreaterThanOrEqual(30 * 24 * 3600_000);
    expectOnlyRequestId(await create2021('sync-stale001'));
    const after = (await describe2021('sync-stale001')).response;
    expect(after).toMatchObject({ Status: 'running', StepCur: 1 });
    expect(Math.abs(Date.parse(after.StepInfos[0].StartTime) - clock.now())).toBeLessThan(1000);
  });

  test('a job never checked stays not started until a create starts its check', async () => {
    await describe2021('sync-never001');
    clock.advance(7 * 24 * 3600_000);
    expect((await describe2021('sync-never001')).response).toMatchObject({ Status: 'notStarted', StepInfos: null });
    expect((await describe2018('sync-never018')).response).toMatchObject({ Status: 'starting', CheckFlag: 0, StepInfo: [] });
    expectOnlyRequestId(await create2021('sync-never001'));
    clock.advance(10_000);
    expect((await describe2021('sync-never001')).response.Status).toBe('success');
  });

  test('is served for 2021-12-06 jobs only: a 2018 job is unknown to it, like a job that does not exist', async () => {
    expect((await create2021('sync-fresh018')).code).toBe('ResourceNotFound.ResourceNotFoundError');
    expect((await create2021('sync-nothere1')).code).toBe('ResourceNotFound.ResourceNotFoundError');
  });

  test('checks the region, the parameters and the JobId like the describe action', async () => {
    expect((await create2021('sync-beijing1')).code).toBe('UnsupportedRegion');
    expect((await create2021('sync-fresh001', { body: JSON.stringify({ JobId: 'sync-fresh001', DateTimeISOFormat: true }) })).code).toBe('UnknownParameter');
    expect((await create2021('sync-fresh001', { body: '{}' })).code).toBe('MissingParameter');
    expect((await create2021('sync-x')).code).toBe('InvalidParameterValue.InvalidParameterValueError');
  });
});

describe('CreateSyncCheckJob (2018-03-30)', () => {
  test('restarts a 2018 job\'s check, reported by DescribeSyncCheckJob as starting over', async () => {
    await describe2018('sync-fresh018');
    clock.advance(60_000);
    expect((await describe2018('sync-fresh018')).response).toMatchObject({ Status: 'finished', CheckFlag: 0 });
    expectOnlyRequestId(await create2018('sync-fresh018'));
    const restarted = (await describe2018('sync-fresh018')).response;
    expect(restarted).toMatchObject({ Status: 'running', CheckFlag: 0, ErrorCode: 0, StepInfo: [] });
    clock.advance(3_000);
    expect((await describe2018('sync-fresh018')).response).toMatchObject({ Status: 'finished', CheckFlag: 0, ErrorCode: 1 });
  });

  test('is served for 2018-03-30 jobs only', async () => {
    expect((await create2018('sync-fresh001')).code).toBe('ResourceNotFound.JobNotExist');
  });

  test('is offline with the rest of the 2018 family when retired2018 is set', async () => {
    const retired = await startEmulator({ retired2018: true });
    try {
      const res = await call(retired.url, { action: 'CreateSyncCheckJob', jobId: 'sync-blj8wnt1' });
      expect(res.code).toBe('ActionOffline');
      expect(res.response.Error.Message).toMatch(/CreateCheckSyncJob/);
    } finally {
      await retired.close();
    }
  });
});

describe('a job that refuses a new check', () => {
  test('answers the documented default of its family, and keeps reporting its last check', async () => {
    const refused2021 = await create2021('sync-nochk001');
    expect(refused2021.code).toBe('UnsupportedOperation.UnsupportedOperationError');
    expect(refused2021.response.Error.Message).toMatch(/sync-nochk001/);
    expect((await describe2021('sync-nochk001')).response.Status).toBe('success');
    expect((await create2018('sync-nochk018')).code).toBe('FailedOperation.NotAllowOperation');
  });

  test('answers the code it is configured with', async () => {
    const res = await create2021('sync-nochk002');
    expect(res.code).toBe('FailedOperation.StatusInConflict');
    expect(REFUSE_CHECK_CODES).toContain(res.code);
  });
});

test('creates are logged like every other request, without secrets', () => {
  const creates = emu.requests.filter((r) => r.action === 'CreateCheckSyncJob' || r.action === 'CreateSyncCheckJob');
  expect(creates.length).toBeGreaterThan(5);
  expect(creates.find((r) => r.jobId === 'sync-nochk001')).toMatchObject({ action: 'CreateCheckSyncJob', version: '2021-12-06', outcome: 'UnsupportedOperation.UnsupportedOperationError', secretId: 'AKIDEXAMPLE' });
  expect(creates.find((r) => r.jobId === 'sync-fresh018' && r.outcome === 'Success')).toMatchObject({ action: 'CreateSyncCheckJob', httpStatus: 200 });
  expect(JSON.stringify(emu.requests)).not.toContain('SECRETEXAMPLE');
});
