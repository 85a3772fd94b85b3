import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { call, RawCall } from './raw-client';
import { RunningEmulator, startEmulator } from '../../src/emulator';
import { resolveConfig } from '../../src/emulator/config';
import { snapshotAt } from '../../src/emulator/lifecycle';
import { render2018, render2021 } from '../../src/emulator/render';
import { VirtualClock } from '../support/time';

const SAMPLE = JSON.parse(readFileSync(join(__dirname, 'fixtures', 'DescribeSyncCheckJob.sample.json'), 'utf8'));

let builtIn: RunningEmulator;
let timed: RunningEmulator;
/** The job clock of `timed`: tests move checks along by advancing it, never by waiting. */
const clock = new VirtualClock();

beforeAll(async () => {
  builtIn = await startEmulator();
  timed = await startEmulator({
    rateLimitPerSecond: 0,
    jobs: [
      { jobId: 'sync-timed001', region: 'ap-guangzhou', outcome: 'passed', checkSeconds: 2 },
      { jobId: 'sync-timed018', region: 'ap-guangzhou', family: '2018', outcome: 'passed', checkSeconds: 2 },
      { jobId: 'sync-delay001', region: 'ap-guangzhou', family: '2018', outcome: 'passed', startDelaySeconds: 0.6, checkSeconds: 0.5 },
      { jobId: 'sync-delay002', region: 'ap-guangzhou', outcome: 'passed', startDelaySeconds: 0.6, checkSeconds: 0.5 },
      { jobId: 'sync-early001', region: 'ap-guangzhou', family: '2018', outcome: 'failed', failStep: 3, checkSeconds: 2 },
      { jobId: 'sync-never001', region: 'ap-guangzhou', outcome: 'running', checkSeconds: 0.5 },
      { jobId: 'sync-never018', region: 'ap-guangzhou', family: '2018', outcome: 'running', checkSeconds: 0.5 },
      { jobId: 'sync-times001', region: 'ap-guangzhou', checkSeconds: 10 },
      { jobId: 'sync-skip0001', region: 'ap-guangzhou', skipStep: 4 },
      { jobId: 'sync-paus0001', region: 'ap-guangzhou', pauseStep: 6, checkSeconds: 10 },
      { jobId: 'sync-old00001', region: 'ap-guangzhou', checkSeconds: 30, lastCheckedSecondsAgo: 3 * 24 * 3600 },
      { jobId: 'sync-old00002', region: 'ap-guangzhou', outcome: 'failed', failStep: 5, checkSeconds: 30, lastCheckedSecondsAgo: 3600 },
      { jobId: 'sync-old00018', region: 'ap-guangzhou', family: '2018', lastCheckedSecondsAgo: 3600 },
      { jobId: 'sync-omit0001', region: 'ap-guangzhou', omitFields: ['StepCount', 'StepCur', 'Progress'], omitStepFields: ['StepNo'] },
      { jobId: 'sync-omit0018', region: 'ap-guangzhou', family: '2018', omitFields: ['CheckFlag'], omitStepFields: ['StepNo'] },
    ],
  }, { clock });
});

afterAll(async () => {
  await Promise.all([builtIn?.close(), timed?.close()]);
});

/** Times are printed to the second. */
const toSecond = (ms: number) => Math.floor(ms / 1000) * 1000;

describe('the built-in jobs', () => {
  test('the passing job reproduces the API page sample field for field, except a fresh RequestId', async () => {
    const first = await call(builtIn.url, { jobId: 'sync-blj8wnt1' });
    const second = await call(builtIn.url, { jobId: 'sync-blj8wnt1' });
    expect({ ...first.response, RequestId: SAMPLE.Response.RequestId }).toStrictEqual(SAMPLE.Response);
    expect(Object.keys(first.response)).toEqual(Object.keys(SAMPLE.Response));
    expect(first.response.RequestId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(second.response.RequestId).not.toBe(first.response.RequestId);
  });

  test('the 2018 failing job fails step 2 with its message and code, and runs no later step', async () => {
    const { response } = await call(builtIn.url, { jobId: 'sync-fail0002' });
    expect(response).toMatchObject({ Status: 'finished', CheckFlag: 0, ErrorMessage: '灾备检查失败' });
    expect(response.ErrorCode).not.toBe(0);
    expect(response.StepInfo).toHaveLength(2);
    expect(response.StepInfo[0].StepCode).toBe(0);
    expect(response.StepInfo[1]).toEqual({ StepNo: 2, StepName: '检查源实例', StepCode: 1, StepMessage: '源实例连接失败' });
  });

  test('the failing job fails step 7 with an error, solution and help link in 2021, later steps not started', async () => {
    const { response } = await call(builtIn.url, { action: 'DescribeCheckSyncJobResult', jobId: 'sync-fail0001' });
    expect(response).toMatchObject({ Status: 'failed', StepCount: 10, StepCur: 7, Progress: 70 });
    const steps = response.StepInfos;
    expect(steps.map((s: any) => s.Status)).toEqual([...Array(6).fill('finished'), 'failed', ...Array(3).fill('notStarted')]);
    expect(steps[6]).toMatchObject({ StepNo: 7, StepId: 'DstEmptyCheck', FinishTime: expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/) });
    expect(steps[6].Errors).toEqual([
      {
        Code: 'DstInstanceNotEmpty',
        Message: '目标实例不为空',
        Solution: expect.stringContaining('清空目标实例'),
        HelpDoc: expect.stringMatching(/^https:\/\/cloud\.tencent\.com\/document\//),
        SkipInfo: expect.any(String),
      },
    ]);
    expect(steps[7]).toMatchObject({ StartTime: '', FinishTime: '', Errors: null, Warnings: null, Progress: -1 });
  });

  test('the passing job is success in 2021 with ten finished steps and distinct step ids', async () => {
    const { response } = await call(builtIn.url, { action: 'DescribeCheckSyncJobResult', jobId: 'sync-pass2021' });
    expect(response).toMatchObject({ Status: 'success', StepCount: 10, StepCur: 10, Progress: 100 });
    expect(response.StepInfos.every((s: any) => s.Status === 'finished' && s.Progress === 100)).toBe(true);
    expect(new Set(response.StepInfos.map((s: any) => s.StepId)).size).toBe(10);
  });

  test('the warning job passes with a warning on step 8 only', async () => {
    const { response } = await call(builtIn.url, { action: 'DescribeCheckSyncJobResult', jobId: 'sync-warn0001' });
    expect(response.Status).toBe('success');
    expect(response.StepInfos[7].Warnings).toEqual([expect.objectContaining({ Message: '源实例未开启 SSL 加密传输' })]);
    expect(response.StepInfos.filter((s: any) => s.Warnings.length > 0)).toHaveLength(1);
  });

  test('the skipped, paused, old and refusing jobs behave as the README table says', async () => {
    const ask = (jobId: string, action = 'DescribeCheckSyncJobResult') => call(builtIn.url, { action, jobId, body: JSON.stringify({ JobId: jobId, ...(action === 'DescribeCheckSyncJobResult' ? { DateTimeISOFormat: true } : {}) }) });
    const skipped = (await ask('sync-skip0001')).response;
    expect(skipped.Status).toBe('success');
    expect(skipped.StepInfos[8].Status).toBe('skipped');
    const paused = (await ask('sync-paus0001')).response;
    expect(paused.Status).toBe('running');
    const old = (await ask('sync-old00001')).response;
    expect(old.Status).toBe('success');
    expect(Date.now() - Date.parse(old.StepInfos[9].FinishTime)).toBeGreaterThanOrEqual(3 * 24 * 3600_000 - 1000);
    expect((await ask('sync-nock0001', 'CreateCheckSyncJob')).code).toBe('UnsupportedOperation.UnsupportedOperationError');
    expect((await ask('sync-old00001', 'CreateCheckSyncJob')).code).toBeUndefined();
    expect((await ask('sync-old00001')).response.Status).toBe('running');
  });

  test('the slow job is still running right after its first look', async () => {
    const { response } = await call(builtIn.url, { action: 'DescribeCheckSyncJobResult', jobId: 'sync-slow0001' });
    expect(response).toMatchObject({ Status: 'running' });
  });
});

describe('a check in virtual time (the emulator runs on an injected job clock)', () => {
  const describe2021 = (jobId: string, extra: Partial<RawCall> = {}) => call(timed.url, { action: 'DescribeCheckSyncJobResult', jobId, ...extra });
  const describe2018 = (jobId: string) => call(timed.url, { jobId });

  test('runs its steps one by one with rising progress, then passes, in both families', async () => {
    const seen2021: any[] = [];
    const seen2018: any[] = [];
    for (let i = 0; i < 100; i++) {
      const [a, b] = await Promise.all([describe2021('sync-timed001'), describe2018('sync-timed018')]);
      seen2021.push(a.response);
      seen2018.push(b.response);
      if (a.response.Status === 'success' && b.response.Status === 'finished') break;
      clock.advance(150);
    }
    const first = seen2021[0];
    expect(first.Status).toBe('running');
    expect(first.StepInfos[0].Status).toBe('running');
    expect(first.StepInfos[9]).toMatchObject({ Status: 'notStarted', Progress: -1 });
    const progress = seen2021.map((r) => r.Progress);
    expect(progress).toEqual([...progress].sort((x, y) => x - y));
    // 2 s in 150 ms ticks: every step is seen running on the way.
    expect(new Set(seen2021.map((r) => r.StepCur)).size).toBe(10);
    expect(seen2021[seen2021.length - 1]).toMatchObject({ Status: 'success', Progress: 100, StepCur: 10 });
    expect(seen2021).toHaveLength(Math.ceil(2000 / 150) + 1);

    // 2018: only decided steps are listed, CheckFlag stays 0 until the check has passed.
    const running2018 = seen2018.filter((r) => r.Status === 'running');
    expect(running2018.length).toBeGreaterThan(10);
    expect(running2018.every((r) => r.CheckFlag === 0 && r.ErrorCode === 0 && r.StepInfo.length < 10)).toBe(true);
    expect(running2018.every((r) => r.StepInfo.every((s: any) => s.StepCode === 0))).toBe(true);
    expect(seen2018[seen2018.length - 1]).toMatchObject({ Status: 'finished', CheckFlag: 1, ErrorMessage: '灾备检查成功' });
  });

  test('is starting / notStarted (StepInfos null) during its start delay, then runs, then passes', async () => {
    expect((await describe2018('sync-delay001')).response).toMatchObject({ Status: 'starting', CheckFlag: 0, ErrorCode: 0, StepInfo: [] });
    expect((await describe2021('sync-delay002')).response).toMatchObject({ Status: 'notStarted', StepCur: 0, Progress: 0, StepInfos: null });
    clock.advance(599);
    expect((await describe2021('sync-delay002')).response.Status).toBe('notStarted');
    clock.advance(1);
    expect((await describe2021('sync-delay002')).response).toMatchObject({ Status: 'running', StepCur: 1 });
    clock.advance(500);
    expect((await describe2021('sync-delay002')).response.Status).toBe('success');
    expect((await describe2018('sync-delay001')).response.Status).toBe('finished');
  });

  test('a failing check ends when its failing step fails, before the full check time', async () => {
    await describe2018('sync-early001');
    clock.advance(599); // step 3 of 10 fails at 0.6 s of 2 s
    expect((await describe2018('sync-early001')).response.Status).toBe('running');
    clock.advance(1);
    const { response } = await describe2018('sync-early001');
    expect(response).toMatchObject({ Status: 'finished', CheckFlag: 0 });
    expect(response.StepInfo.map((s: any) => s.StepCode)).toEqual([0, 0, 1]);
  });

  test('a running outcome never finishes its last step, a day later either', async () => {
    await Promise.all([describe2021('sync-never001'), describe2018('sync-never018')]);
    clock.advance(24 * 3600_000);
    const a = await describe2021('sync-never001');
    const b = await describe2018('sync-never018');
    expect(a.response).toMatchObject({ Status: 'running', StepCur: 10 });
    expect(a.response.Progress).toBeLessThan(100);
    expect(a.response.StepInfos[9].Status).toBe('running');
    expect(b.response).toMatchObject({ Status: 'running', CheckFlag: 0 });
    expect(b.response.StepInfo).toHaveLength(9);
  });

  test('steps carry real start and finish times in Beijing time, or RFC 3339 with DateTimeISOFormat', async () => {
    const firstLook = clock.now();
    await describe2021('sync-times001');
    clock.advance(20_000);
    const plain = (await describe2021('sync-times001')).response;
    const iso = (await describe2021('sync-times001', { body: JSON.stringify({ JobId: 'sync-times001', DateTimeISOFormat: true }) })).response;
    const beijing = (ms: number) => new Date(ms + 8 * 3600_000).toISOString().slice(0, 19);
    // Ten steps in 10 s from the first look: step n runs from n-1 to n seconds.
    expect(plain.StepInfos[0]).toMatchObject({ StartTime: beijing(firstLook).replace('T', ' '), FinishTime: beijing(firstLook + 1000).replace('T', ' ') });
    expect(plain.StepInfos[9].FinishTime).toBe(beijing(firstLook + 10_000).replace('T', ' '));
    expect(iso.StepInfos[0]).toMatchObject({ StartTime: `${beijing(firstLook)}+08:00`, FinishTime: `${beijing(firstLook + 1000)}+08:00` });
    expect(Date.parse(iso.StepInfos[9].FinishTime)).toBe(toSecond(firstLook + 10_000));
    const explicitFalse = await describe2021('sync-times001', { body: JSON.stringify({ JobId: 'sync-times001', DateTimeISOFormat: false }) });
    expect(explicitFalse.response.StepInfos[0].StartTime).toBe(plain.StepInfos[0].StartTime);
  });

  test('DateTimeISOFormat must be a boolean, and only the 2021 action takes it', async () => {
    for (const value of ['yes', 'true', 1]) {
      // In a JSON body a boolean is a JSON boolean; only form and query values are text.
      const bad = await describe2021('sync-times001', { body: JSON.stringify({ JobId: 'sync-times001', DateTimeISOFormat: value }) });
      expect(bad.code).toBe('InvalidParameterValue.InvalidParameterValueError');
      expect(bad.response.Error.Message).toMatch(/DateTimeISOFormat/);
    }
    const on2018 = await call(timed.url, { body: JSON.stringify({ JobId: 'sync-timed018', DateTimeISOFormat: true }) });
    expect(on2018.code).toBe('UnknownParameter');
  });
});

describe('skipped and paused steps (2021)', () => {
  test('a skipped step ends skipped with its tip as a warning whose SkipInfo says so, and the check succeeds', async () => {
    const { response } = await call(timed.url, { action: 'DescribeCheckSyncJobResult', jobId: 'sync-skip0001' });
    expect(response.Status).toBe('success');
    const step = response.StepInfos[3];
    expect(step).toMatchObject({ StepNo: 4, Status: 'skipped', Errors: [], Progress: 100, FinishTime: expect.stringMatching(/^\d{4}-/) });
    expect(step.Warnings).toEqual([expect.objectContaining({ Code: 'InstanceStatusAbnormal', SkipInfo: expect.stringContaining('跳过') })]);
    expect(response.StepInfos.filter((s: any) => s.Status === 'skipped')).toHaveLength(1);
  });

  test('a paused step stays paused, later steps never start, and the check never passes', async () => {
    await call(timed.url, { action: 'DescribeCheckSyncJobResult', jobId: 'sync-paus0001' });
    clock.advance(7 * 24 * 3600_000);
    const { response } = await call(timed.url, { action: 'DescribeCheckSyncJobResult', jobId: 'sync-paus0001' });
    expect(response).toMatchObject({ Status: 'running', StepCur: 6 });
    expect(response.Progress).toBeLessThan(100);
    expect(response.StepInfos.map((s: any) => s.Status)).toEqual([...Array(5).fill('finished'), 'paused', ...Array(4).fill('notStarted')]);
    expect(response.StepInfos[5]).toMatchObject({ StartTime: expect.stringMatching(/^\d{4}-/), FinishTime: '', Errors: [], Warnings: [] });
  });
});

describe('an old check (lastCheckedSecondsAgo)', () => {
  test('is finished at the first look, its steps having finished that long ago', async () => {
    const now = clock.now();
    const { response } = await call(timed.url, { action: 'DescribeCheckSyncJobResult', jobId: 'sync-old00001', body: JSON.stringify({ JobId: 'sync-old00001', DateTimeISOFormat: true }) });
    expect(response.Status).toBe('success');
    expect(Date.parse(response.StepInfos[9].FinishTime)).toBe(toSecond(now - 3 * 24 * 3600_000));
    expect(Date.parse(response.StepInfos[0].StartTime)).toBe(toSecond(now - 3 * 24 * 3600_000 - 30_000));
  });

  test('a failed old check finished when its failing step did, in the 2018 family too', async () => {
    const now = clock.now();
    const v2021 = (await call(timed.url, { action: 'DescribeCheckSyncJobResult', jobId: 'sync-old00002', body: JSON.stringify({ JobId: 'sync-old00002', DateTimeISOFormat: true }) })).response;
    expect(v2021.Status).toBe('failed');
    expect(Date.parse(v2021.StepInfos[4].FinishTime)).toBe(toSecond(now - 3600_000));
    expect((await call(timed.url, { jobId: 'sync-old00018' })).response).toMatchObject({ Status: 'finished', CheckFlag: 1 });
  });
});

describe('fields left out, as the official models allow', () => {
  test('omitStepFields drops StepNo from every 2021 step and omitFields drops top-level fields', async () => {
    const { response } = await call(timed.url, { action: 'DescribeCheckSyncJobResult', jobId: 'sync-omit0001' });
    expect(response.StepInfos).toHaveLength(10);
    expect(response.StepInfos.every((s: any) => !('StepNo' in s) && typeof s.StepName === 'string')).toBe(true);
    expect(Object.keys(response).sort()).toEqual(['RequestId', 'Status', 'StepInfos']);
  });

  test('in the 2018 family too', async () => {
    const { response } = await call(timed.url, { jobId: 'sync-omit0018' });
    expect(Object.keys(response).sort()).toEqual(['ErrorCode', 'ErrorMessage', 'RequestId', 'Status', 'StepInfo']);
    expect(response.StepInfo.every((s: any) => Object.keys(s).sort().join() === 'StepCode,StepMessage,StepName')).toBe(true);
  });
});

describe('the lifecycle model on a synthetic clock', () => {
  const config = resolveConfig({
    jobs: [
      { jobId: 'sync-model001', region: 'ap-guangzhou', checkSeconds: 10, startDelaySeconds: 5 },
      { jobId: 'sync-model002', region: 'ap-guangzhou', outcome: 'failed', failStep: 10, checkSeconds: 10 },
    ],
  });
  const job = config.jobs.get('sync-model001')!;
  const t0 = Date.UTC(2024, 0, 1);

  test.each([
    [0, 'notStarted', 0, 0],
    [4_999, 'notStarted', 0, 0],
    [5_000, 'running', 0, 1],
    [5_500, 'running', 5, 1],
    [10_000, 'running', 50, 6],
    [14_999, 'running', 99, 10],
    [15_000, 'passed', 100, 10],
    [99_000, 'passed', 100, 10],
  ])('at +%i ms the check is %s with progress %i at step %i', (offset, status, progress, stepCur) => {
    expect(snapshotAt(job, t0, t0 + offset)).toMatchObject({ status, progress, stepCur });
  });

  test('times are printed in Beijing time, as Tencent Cloud APIs do', () => {
    const out = render2021(job, snapshotAt(job, t0, t0 + 20_000), 'rid', { language: 'zh-CN' }) as any;
    expect(out.StepInfos[0].StartTime).toBe('2024-01-01 08:00:05');
    expect(out.StepInfos[9].FinishTime).toBe('2024-01-01 08:00:15');
  });

  test('a check failing at its last step reports 100 % progress yet is not passed', () => {
    const failing = config.jobs.get('sync-model002')!;
    const snap = snapshotAt(failing, t0, t0 + 10_000);
    expect(snap.status).toBe('failed');
    expect(render2018(failing, snap, 'rid', { language: 'zh-CN' })).toMatchObject({ Status: 'finished', CheckFlag: 0 });
    expect(render2021(failing, snap, 'rid', { language: 'zh-CN' })).toMatchObject({ Status: 'failed', Progress: 100 });
  });
});
