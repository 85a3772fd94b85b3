import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { call } from './raw-client';
import { RunningEmulator, startEmulator } from '../../src/emulator';
import { resolveConfig } from '../../src/emulator/config';
import { render2018, render2021, snapshotAt } from '../../src/emulator/lifecycle';

const SAMPLE = JSON.parse(readFileSync(join(__dirname, 'fixtures', 'DescribeSyncCheckJob.sample.json'), 'utf8'));

let builtIn: RunningEmulator;
let custom: RunningEmulator;

beforeAll(async () => {
  [builtIn, custom] = await Promise.all([
    startEmulator(),
    startEmulator({
      rateLimitPerSecond: 0,
      jobs: [
        { jobId: 'sync-timed001', region: 'ap-guangzhou', outcome: 'passed', checkSeconds: 2 },
        { jobId: 'sync-timed018', region: 'ap-guangzhou', family: '2018', outcome: 'passed', checkSeconds: 2 },
        { jobId: 'sync-delay001', region: 'ap-guangzhou', family: '2018', outcome: 'passed', startDelaySeconds: 0.6, checkSeconds: 0.5 },
        { jobId: 'sync-delay002', region: 'ap-guangzhou', outcome: 'passed', startDelaySeconds: 0.6, checkSeconds: 0.5 },
        { jobId: 'sync-early001', region: 'ap-guangzhou', family: '2018', outcome: 'failed', failStep: 3, checkSeconds: 2 },
        { jobId: 'sync-never001', region: 'ap-guangzhou', outcome: 'running', checkSeconds: 0.5 },
        { jobId: 'sync-never018', region: 'ap-guangzhou', family: '2018', outcome: 'running', checkSeconds: 0.5 },
      ],
    }),
  ]);
});

afterAll(async () => {
  await Promise.all([builtIn.close(), custom.close()]);
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

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

  test('the slow job is still running right after its first look', async () => {
    const { response } = await call(builtIn.url, { action: 'DescribeCheckSyncJobResult', jobId: 'sync-slow0001' });
    expect(response).toMatchObject({ Status: 'running' });
  });
});

describe('a check in time (checkSeconds counted from the first request)', () => {
  test('runs its steps one by one with rising progress, then passes in both versions', async () => {
    const seen2021: any[] = [];
    const seen2018: any[] = [];
    const deadline = Date.now() + 4000;
    for (;;) {
      const a = await call(custom.url, { action: 'DescribeCheckSyncJobResult', jobId: 'sync-timed001' });
      const b = await call(custom.url, { jobId: 'sync-timed018' });
      seen2021.push(a.response);
      seen2018.push(b.response);
      if (a.response.Status === 'success' && b.response.Status === 'finished') break;
      expect(Date.now()).toBeLessThan(deadline);
      await sleep(150);
    }
    const first = seen2021[0];
    expect(first.Status).toBe('running');
    expect(first.StepInfos[0].Status).toBe('running');
    expect(first.StepInfos[9]).toMatchObject({ Status: 'notStarted', Progress: -1 });
    const progress = seen2021.map((r) => r.Progress);
    expect(progress).toEqual([...progress].sort((x, y) => x - y));
    expect(new Set(seen2021.map((r) => r.StepCur)).size).toBeGreaterThan(3);
    expect(seen2021[seen2021.length - 1]).toMatchObject({ Status: 'success', Progress: 100, StepCur: 10 });

    // 2018: only decided steps are listed, CheckFlag stays 0 until the check has passed.
    const running2018 = seen2018.filter((r) => r.Status === 'running');
    expect(running2018.length).toBeGreaterThan(2);
    expect(running2018.every((r) => r.CheckFlag === 0 && r.ErrorCode === 0 && r.StepInfo.length < 10)).toBe(true);
    expect(running2018.every((r) => r.StepInfo.every((s: any) => s.StepCode === 0))).toBe(true);
    expect(seen2018[seen2018.length - 1]).toMatchObject({ Status: 'finished', CheckFlag: 1, ErrorMessage: '灾备检查成功' });
  });

  test('is starting / notStarted (StepInfos null) during its start delay, then runs', async () => {
    const a = await call(custom.url, { jobId: 'sync-delay001' });
    const b = await call(custom.url, { action: 'DescribeCheckSyncJobResult', jobId: 'sync-delay002' });
    expect(a.response).toMatchObject({ Status: 'starting', CheckFlag: 0, ErrorCode: 0, StepInfo: [] });
    expect(b.response).toMatchObject({ Status: 'notStarted', StepCur: 0, Progress: 0, StepInfos: null });
    await sleep(1300);
    const c = await call(custom.url, { action: 'DescribeCheckSyncJobResult', jobId: 'sync-delay002' });
    expect(c.response.Status).toBe('success');
  });

  test('a failing check ends when its failing step fails, before the full check time', async () => {
    await call(custom.url, { jobId: 'sync-early001' });
    await sleep(700); // step 3 of 10 fails at 0.6 s of 2 s
    const { response } = await call(custom.url, { jobId: 'sync-early001' });
    expect(response).toMatchObject({ Status: 'finished', CheckFlag: 0 });
    expect(response.StepInfo.map((s: any) => s.StepCode)).toEqual([0, 0, 1]);
  });

  test('a running outcome never finishes its last step', async () => {
    await Promise.all([call(custom.url, { action: 'DescribeCheckSyncJobResult', jobId: 'sync-never001' }), call(custom.url, { jobId: 'sync-never018' })]);
    await sleep(700);
    const a = await call(custom.url, { action: 'DescribeCheckSyncJobResult', jobId: 'sync-never001' });
    const b = await call(custom.url, { jobId: 'sync-never018' });
    expect(a.response).toMatchObject({ Status: 'running', StepCur: 10 });
    expect(a.response.Progress).toBeLessThan(100);
    expect(a.response.StepInfos[9].Status).toBe('running');
    expect(b.response).toMatchObject({ Status: 'running', CheckFlag: 0 });
    expect(b.response.StepInfo).toHaveLength(9);
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
    const out = render2021(job, snapshotAt(job, t0, t0 + 20_000), 'rid') as any;
    expect(out.StepInfos[0].StartTime).toBe('2024-01-01 08:00:05');
    expect(out.StepInfos[9].FinishTime).toBe('2024-01-01 08:00:15');
  });

  test('a check failing at its last step reports 100 % progress yet is not passed', () => {
    const failing = config.jobs.get('sync-model002')!;
    const snap = snapshotAt(failing, t0, t0 + 10_000);
    expect(snap.status).toBe('failed');
    expect(render2018(failing, snap, 'rid')).toMatchObject({ Status: 'finished', CheckFlag: 0 });
    expect(render2021(failing, snap, 'rid')).toMatchObject({ Status: 'failed', Progress: 100 });
  });
});
