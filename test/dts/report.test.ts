import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DtsMalformedResponseError } from '../../src/dts/errors';
import { normalizeReport, ReportContext } from '../../src/dts/report';
import { ApiVersion, CheckPhase, StepState } from '../../src/dts/types';

const CTX18: ReportContext = { jobId: 'sync-blj8wnt1', region: 'ap-guangzhou', apiVersion: ApiVersion.V2018_03_30, checkedAt: new Date(0) };
const CTX21: ReportContext = { ...CTX18, apiVersion: ApiVersion.V2021_12_06 };

/** The documented sample answer (the seed copy of the API page), with its ten steps. */
function sample2018(): Record<string, any> {
  const seed = join(__dirname, '../../../shared/seeds/DescribeSyncCheckJob.zh.txt');
  let text: string;
  try {
    text = readFileSync(seed, 'utf8');
  } catch {
    text = '';
  }
  const m = /输出示例\s*(\{[\s\S]*?\n\})/.exec(text);
  if (m) return JSON.parse(m[1]).Response;
  const names = ['检查参数', '检查源实例', '检查目标实例', '检查实例状态', '检查实例规格', '检查实例版本', '检查目标实例是否为空', '检查是否开启加密', '检查实例同步的库表信息', '检查实例冷备数据'];
  return {
    CheckFlag: 1,
    ErrorCode: 0,
    ErrorMessage: '灾备检查成功',
    RequestId: 'b3951c71-1da4-4b8f-9de5-ad71ab1e2917',
    Status: 'finished',
    StepInfo: names.map((StepName, i) => ({ StepCode: 0, StepMessage: '校验成功', StepName, StepNo: i + 1 })),
  };
}

function with2018(patch: (r: Record<string, any>) => void): Record<string, any> {
  const r = sample2018();
  patch(r);
  return r;
}

function base2021(): Record<string, any> {
  return {
    Status: 'success',
    StepCount: 2,
    StepCur: 2,
    Progress: 100,
    RequestId: 'req-2021',
    StepInfos: [
      { StepNo: 2, StepName: '检查目标实例是否为空', StepId: 'TargetEmptyCheck', Status: 'finished', Errors: null, Warnings: null, Progress: -1 },
      { StepNo: 1, StepName: '连接检查', StepId: 'ConnectDBCheck', Status: 'finished', Errors: [], Warnings: [{ Code: 'W1', Message: 'slow link' }], Progress: -1 },
    ],
  };
}

describe('2018-03-30 DescribeSyncCheckJob answers', () => {
  test('the documented sample answer passes, with all ten steps passed', () => {
    const r = normalizeReport(sample2018(), CTX18);
    expect(r).toMatchObject({
      passed: true,
      phase: CheckPhase.FINISHED,
      status: 'finished',
      reason: 'check finished and passed (CheckFlag 1)',
      checkFlag: 1,
      errorCode: 0,
      action: 'DescribeSyncCheckJob',
      apiVersion: '2018-03-30',
      requestId: 'b3951c71-1da4-4b8f-9de5-ad71ab1e2917',
      checkedAt: '1970-01-01T00:00:00.000Z',
    });
    expect(r.steps).toHaveLength(10);
    expect(r.steps.every((s) => s.state === StepState.PASSED && s.rawStatus === '0')).toBe(true);
    expect(r.failedSteps).toEqual([]);
  });

  test('a failed step 7 fails the check and the reason names it', () => {
    const r = normalizeReport(with2018((x) => {
      x.CheckFlag = 0;
      x.StepInfo[6].StepCode = 1;
      x.StepInfo[6].StepMessage = '目标实例不为空';
    }), CTX18);
    expect(r.passed).toBe(false);
    expect(r.reason).toBe('check failed at step 7 (检查目标实例是否为空): 目标实例不为空');
    expect(r.failedSteps).toHaveLength(1);
    expect(r.failedSteps[0]).toMatchObject({ stepNo: 7, state: StepState.FAILED, code: 1, rawStatus: '1' });
  });

  test('CheckFlag 1 with a non-zero ErrorCode contradicts itself and does not pass', () => {
    const r = normalizeReport(with2018((x) => {
      x.ErrorCode = 3;
      x.ErrorMessage = 'internal';
    }), CTX18);
    expect(r.passed).toBe(false);
    expect(r.reason).toMatch(/CheckFlag 1 but ErrorCode 3 \(internal\), a contradictory answer treated as not passed/);
  });

  test('CheckFlag 1 with a failed step contradicts itself and does not pass', () => {
    const r = normalizeReport(with2018((x) => {
      x.StepInfo[1].StepCode = 5;
    }), CTX18);
    expect(r.passed).toBe(false);
    expect(r.reason).toMatch(/CheckFlag 1 but failed at step 2 \(检查源实例\)/);
  });

  test('a finished check with CheckFlag 0 and no failed step still fails, saying so', () => {
    const r = normalizeReport(with2018((x) => {
      x.CheckFlag = 0;
      x.ErrorMessage = '灾备检查失败';
    }), CTX18);
    expect(r).toMatchObject({ passed: false, reason: 'check failed (CheckFlag 0, 灾备检查失败)' });
  });

  test('a finished check with a step that has no code fails closed', () => {
    const r = normalizeReport(with2018((x) => {
      delete x.StepInfo[9].StepCode;
    }), CTX18);
    expect(r.passed).toBe(false);
    expect(r.failedSteps[0]).toMatchObject({ stepNo: 10, rawStatus: 'none', message: 'no StepCode reported for a finished check' });
  });

  test('a running check reports progress and steps without a code as pending', () => {
    const r = normalizeReport(with2018((x) => {
      x.Status = 'running';
      x.CheckFlag = 0;
      x.StepInfo = x.StepInfo.slice(0, 4);
      x.StepInfo[3].StepCode = null;
    }), CTX18);
    expect(r).toMatchObject({ passed: false, phase: CheckPhase.RUNNING, reason: 'check is still running (3 steps passed so far)' });
    expect(r.steps[3].state).toBe(StepState.PENDING);
  });

  test('a starting check is pending, even with CheckFlag 1', () => {
    const r = normalizeReport(with2018((x) => {
      x.Status = 'starting';
      x.StepInfo = null;
    }), CTX18);
    expect(r).toMatchObject({ passed: false, phase: CheckPhase.PENDING, reason: 'check has not started yet', steps: [] });
  });

  test.each([
    ['an unknown Status', (x: any) => { x.Status = 'passed'; }, /unknown Status "passed"/],
    ['a Status naming an object property (once a false pass)', (x: any) => { x.Status = '__proto__'; }, /unknown Status "__proto__"/],
    ['a string CheckFlag', (x: any) => { x.CheckFlag = '1'; }, /CheckFlag must be an integer, got string/],
    ['a fractional CheckFlag', (x: any) => { x.CheckFlag = 1.5; }, /CheckFlag must be an integer/],
    ['a string ErrorCode', (x: any) => { x.ErrorCode = '0'; }, /ErrorCode must be an integer, got string/],
    ['a StepInfo that is an object', (x: any) => { x.StepInfo = {}; }, /StepInfo must be an array or null, got object/],
    ['a step name that is a number', (x: any) => { x.StepInfo[2].StepName = 3; }, /StepInfo\[2\]\.StepName must be a string or null, got number/],
    ['a missing RequestId', (x: any) => { delete x.RequestId; }, /RequestId is missing/],
  ])('%s is malformed, never passed', (_what, patch, message) => {
    const raw = with2018(patch);
    expect(() => normalizeReport(raw, CTX18)).toThrow(DtsMalformedResponseError);
    expect(() => normalizeReport(raw, CTX18)).toThrow(message);
  });

  test('a malformed answer error carries request id, action, region and job id', () => {
    let err: any;
    try {
      normalizeReport(with2018((x) => { x.Status = 42; }), CTX18);
    } catch (e) {
      err = e;
    }
    expect(err).toMatchObject({ requestId: 'b3951c71-1da4-4b8f-9de5-ad71ab1e2917', action: 'DescribeSyncCheckJob', region: 'ap-guangzhou', jobId: 'sync-blj8wnt1' });
  });

  test('a non-object Response is malformed', () => {
    expect(() => normalizeReport([], CTX18)).toThrow(/expected an object, got an array/);
  });
});

describe('2021-12-06 DescribeCheckSyncJobResult answers', () => {
  test('success passes and steps come out in step order with their tips', () => {
    const r = normalizeReport(base2021(), CTX21);
    expect(r).toMatchObject({ passed: true, phase: CheckPhase.FINISHED, reason: 'check finished and passed (Status success)', progress: 100, stepCount: 2 });
    expect(r.steps.map((s) => s.stepId)).toEqual(['ConnectDBCheck', 'TargetEmptyCheck']);
    expect(r.steps[0].warnings).toEqual([{ code: 'W1', message: 'slow link' }]);
    expect(r.steps[1].errors).toEqual([]);
    expect(r.checkFlag).toBeUndefined();
  });

  test('failed names the failed step with its message and solution', () => {
    const x = base2021();
    x.Status = 'failed';
    x.StepInfos[0].Status = 'failed';
    x.StepInfos[0].Errors = [{ Code: 'TargetNotEmpty', Message: '目标实例不为空', Solution: '清空目标实例', HelpDoc: 'https://cloud.tencent.com/document/product/571', SkipInfo: '' }];
    const r = normalizeReport(x, CTX21);
    expect(r.passed).toBe(false);
    expect(r.reason).toBe('check failed at step 2 (检查目标实例是否为空): 目标实例不为空 (solution: 清空目标实例)');
    expect(r.failedSteps[0]).toMatchObject({
      stepId: 'TargetEmptyCheck',
      message: '目标实例不为空',
      errors: [{ code: 'TargetNotEmpty', message: '目标实例不为空', solution: '清空目标实例', helpDoc: 'https://cloud.tencent.com/document/product/571' }],
    });
  });

  test('success with a failed step contradicts itself and does not pass', () => {
    const x = base2021();
    x.StepInfos[1].Status = 'failed';
    const r = normalizeReport(x, CTX21);
    expect(r.passed).toBe(false);
    expect(r.reason).toMatch(/reported success but failed at step 1 .*contradictory/);
  });

  test.each(['running', 'notStarted', 'paused'])('success while a step is %s contradicts itself and does not pass', (status) => {
    const x = base2021();
    x.StepInfos[0].Status = status;
    const r = normalizeReport(x, CTX21);
    expect(r.passed).toBe(false);
    expect(r.reason).toMatch(/reported success but step 2 \(检查目标实例是否为空\) is still (running|pending), a contradictory answer/);
  });

  test('failed without a failed step still fails', () => {
    const x = base2021();
    x.Status = 'failed';
    expect(normalizeReport(x, CTX21).reason).toBe('check failed (Status failed, no step reported the cause)');
  });

  test('running reports step and percentage', () => {
    const x = base2021();
    x.Status = 'running';
    x.StepCount = 10;
    x.StepCur = 3;
    x.Progress = 30;
    x.StepInfos[0].Status = 'running';
    const r = normalizeReport(x, CTX21);
    expect(r).toMatchObject({ passed: false, phase: CheckPhase.RUNNING, reason: 'check is still running (step 3 of 10, 30%)' });
    expect(r.steps[1].state).toBe(StepState.RUNNING);
  });

  test('a running check with a failed step already says it failed', () => {
    const x = base2021();
    x.Status = 'running';
    x.StepInfos[0].Status = 'failed';
    expect(normalizeReport(x, CTX21).reason).toMatch(/^check is still running but has already failed at step 2/);
  });

  test.each([
    ['notStarted', StepState.PENDING],
    ['paused', StepState.PENDING],
    ['skipped', StepState.SKIPPED],
    ['running', StepState.RUNNING],
    ['finished', StepState.PASSED],
    ['failed', StepState.FAILED],
  ])('step status %s maps to %s', (status, state) => {
    const x = base2021();
    x.Status = 'running';
    x.StepInfos[0].Status = status;
    expect(normalizeReport(x, CTX21).steps[1]).toMatchObject({ state, rawStatus: status });
  });

  test('notStarted is pending, with null StepInfos', () => {
    const x = base2021();
    x.Status = 'notStarted';
    x.StepInfos = null;
    x.Progress = null;
    expect(normalizeReport(x, CTX21)).toMatchObject({ phase: CheckPhase.PENDING, passed: false, steps: [], progress: undefined });
  });

  test.each([
    ['an unknown Status', (x: any) => { x.Status = 'SUCCESS'; }, /unknown Status "SUCCESS"/],
    ['an unknown step status', (x: any) => { x.StepInfos[0].Status = 'ok'; }, /StepInfos\[0\]\.Status "ok" is not a known step status/],
    ['a Status naming an object property', (x: any) => { x.Status = 'constructor'; }, /unknown Status "constructor"/],
    ['a step status naming an object property', (x: any) => { x.StepInfos[0].Status = 'toString'; }, /StepInfos\[0\]\.Status "toString" is not a known step status/],
    ['a string Progress', (x: any) => { x.Progress = '100'; }, /Progress must be a number/],
    ['a Progress over 100', (x: any) => { x.Progress = 101; }, /Progress 101 is outside 0\.\.100/],
    ['Errors that are not an array', (x: any) => { x.StepInfos[0].Errors = 'boom'; }, /StepInfos\[0\]\.Errors must be an array/],
    ['a tip Message of the wrong type', (x: any) => { x.StepInfos[0].Errors = [{ Message: 7 }]; }, /Errors\[0\]\.Message must be a string/],
  ])('%s is malformed, never passed', (_what, patch, message) => {
    const x = base2021();
    patch(x);
    expect(() => normalizeReport(x, CTX21)).toThrow(DtsMalformedResponseError);
    expect(() => normalizeReport(x, CTX21)).toThrow(message);
  });
});

describe('fields are optional as the official models declare them, and the verdict still fails closed', () => {
  test('2018: an answer without ErrorCode passes on Status finished and CheckFlag 1 (only a non-zero code contradicts it)', () => {
    const r = normalizeReport(with2018((x) => { delete x.ErrorCode; delete x.ErrorMessage; }), CTX18);
    expect(r).toMatchObject({ passed: true, errorCode: undefined, reason: 'check finished and passed (CheckFlag 1)' });
  });

  test('2018: an answer without CheckFlag does not pass, saying the flag is missing', () => {
    const r = normalizeReport(with2018((x) => { delete x.CheckFlag; }), CTX18);
    expect(r).toMatchObject({ passed: false, phase: CheckPhase.FINISHED, checkFlag: undefined, reason: 'check failed (no CheckFlag reported, 灾备检查成功)' });
  });

  test.each([
    ['2018-03-30', CTX18, () => with2018((x) => { delete x.Status; })],
    ['2021-12-06', CTX21, () => { const x = base2021(); x.Status = null; return x; }],
  ])('%s: an answer without Status says nothing about the check: malformed, never passed', (_v, ctx, answer) => {
    expect(() => normalizeReport(answer(), ctx)).toThrow(/Status must be a string, got (undefined|null): without a status the answer says nothing about the check/);
  });

  test('2018: steps without StepNo or StepName take their position and a stand-in name', () => {
    const r = normalizeReport(with2018((x) => {
      x.StepInfo = x.StepInfo.slice(0, 3);
      delete x.StepInfo[1].StepNo;
      x.StepInfo[2].StepName = null;
    }), CTX18);
    expect(r.steps.map((s) => [s.stepNo, s.name])).toEqual([[1, '检查参数'], [2, '检查源实例'], [3, '(unnamed step)']]);
    expect(r.passed).toBe(true);
  });

  test('2021: steps without StepNo take their position in the answer, and without StepName their StepId', () => {
    const x = base2021();
    for (const step of x.StepInfos) delete step.StepNo;
    delete x.StepInfos[0].StepName;
    const r = normalizeReport(x, CTX21);
    expect(r.steps.map((s) => [s.stepNo, s.name])).toEqual([[1, 'TargetEmptyCheck'], [2, '连接检查']]);
  });

  test('2021: success with a step that has no Status does not pass, saying so', () => {
    const x = base2021();
    delete x.StepInfos[0].Status;
    const r = normalizeReport(x, CTX21);
    expect(r.passed).toBe(false);
    expect(r.reason).toBe('check reported success but step 2 (检查目标实例是否为空) has no status, a contradictory answer treated as not passed');
    expect(r.steps[1]).toMatchObject({ state: StepState.PENDING, rawStatus: 'none' });
  });

  test('2021: a step with only a status is read, the rest not reported', () => {
    const x = base2021();
    x.StepInfos = [{ Status: 'finished' }];
    const r = normalizeReport(x, CTX21);
    expect(r.passed).toBe(true);
    expect(r.steps).toEqual([{ stepNo: 1, name: '(unnamed step)', state: StepState.PASSED, rawStatus: 'finished', errors: [], warnings: [] }]);
  });
});

describe('step times, progress and skip information', () => {
  function withTimes(times: Array<[unknown, unknown]>): Record<string, any> {
    const x = base2021();
    x.StepInfos = times.map(([StartTime, FinishTime], i) => ({ StepNo: i + 1, StepName: `step ${i + 1}`, Status: 'finished', StartTime, FinishTime }));
    return x;
  }

  test('Beijing times (yyyy-mm-dd hh:mm:ss, UTC+8) and RFC 3339 times both become ISO-8601 UTC', () => {
    const r = normalizeReport(withTimes([
      ['2024-01-01 10:00:00', '2024-01-01 10:00:07'],
      ['2024-01-01T10:00:07+08:00', '2024-01-01T02:00:09.5Z'],
    ]), CTX21);
    expect(r.steps.map((s) => [s.startTime, s.finishTime])).toEqual([
      ['2024-01-01T02:00:00.000Z', '2024-01-01T02:00:07.000Z'],
      ['2024-01-01T02:00:07.000Z', '2024-01-01T02:00:09.500Z'],
    ]);
  });

  test('the finish time of a finished check is its latest step finish time', () => {
    const r = normalizeReport(withTimes([
      ['2024-03-01 23:59:00', '2024-03-02 00:00:05'],
      ['2024-03-02 00:00:05', '2024-03-02 00:00:30'],
      ['2024-03-02 00:00:30', ''],
    ]), CTX21);
    expect(r.finishedAt).toBe('2024-03-01T16:00:30.000Z');
  });

  test('a check that has not finished has no finish time, even when its steps have', () => {
    const x = withTimes([['2024-03-02 00:00:00', '2024-03-02 00:00:05']]);
    x.Status = 'running';
    expect(normalizeReport(x, CTX21).finishedAt).toBeUndefined();
  });

  test('the finish time is unknown when no step reported one, and always for 2018-03-30', () => {
    expect(normalizeReport(withTimes([['', '0000-00-00 00:00:00'], [null, undefined]]), CTX21).finishedAt).toBeUndefined();
    expect(normalizeReport(sample2018(), CTX18).finishedAt).toBeUndefined();
  });

  test('empty and zero times are read as not reported', () => {
    const [step] = normalizeReport(withTimes([['', '0000-00-00 00:00:00']]), CTX21).steps;
    expect(step.startTime).toBeUndefined();
    expect(step.finishTime).toBeUndefined();
  });

  test.each([
    ['a time in no known format', 'yesterday'],
    ['a date that does not exist', '2024-02-30 10:00:00'],
    ['an hour out of range', '2024-01-01 24:00:00'],
    ['a time without seconds', '2024-01-01 10:00'],
    ['an RFC 3339 time without an offset', '2024-01-01T10:00:00'],
  ])('%s is a malformed answer naming the field', (_what, text) => {
    expect(() => normalizeReport(withTimes([['2024-01-01 10:00:00', text]]), CTX21)).toThrow(
      /StepInfos\[0\]\.FinishTime ".*" is neither yyyy-mm-dd hh:mm:ss \(Beijing time\) nor RFC 3339/,
    );
  });

  test('step progress is kept; -1 (no progress to show) is read as not reported; anything else out of range is malformed', () => {
    const x = base2021();
    x.StepInfos[0].Progress = 40;
    x.StepInfos[1].Progress = -1;
    const r = normalizeReport(x, CTX21);
    expect(r.steps.map((s) => s.progress)).toEqual([undefined, 40]);
    x.StepInfos[0].Progress = 140;
    expect(() => normalizeReport(x, CTX21)).toThrow(/StepInfos\[0\]\.Progress 140 is neither -1 \(no progress to show\) nor within 0\.\.100/);
  });

  test('a tip keeps its SkipInfo', () => {
    const x = base2021();
    x.Status = 'failed';
    x.StepInfos[0].Status = 'failed';
    x.StepInfos[0].Errors = [{ Code: 'E', Message: 'm', SkipInfo: '跳过后可能导致同步失败' }];
    expect(normalizeReport(x, CTX21).failedSteps[0].errors).toEqual([{ code: 'E', message: 'm', skipInfo: '跳过后可能导致同步失败' }]);
  });
});
