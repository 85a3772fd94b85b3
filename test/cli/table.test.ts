import { clean, displayWidth, formatReportTable } from '../../src/cli/table';
import { CheckPhase, StepState, SyncCheckReport, SyncCheckStep } from '../../src/dts/types';

function step(stepNo: number, name: string, state: StepState, extra: Partial<SyncCheckStep> = {}): SyncCheckStep {
  return { stepNo, name, state, rawStatus: state, errors: [], warnings: [], ...extra };
}

function report(steps: SyncCheckStep[], extra: Partial<SyncCheckReport> = {}): SyncCheckReport {
  const failedSteps = steps.filter((s) => s.state === StepState.FAILED);
  return {
    jobId: 'sync-blj8wnt1',
    region: 'ap-guangzhou',
    apiVersion: '2021-12-06',
    action: 'DescribeCheckSyncJobResult',
    status: failedSteps.length > 0 ? 'failed' : 'success',
    phase: CheckPhase.FINISHED,
    passed: failedSteps.length === 0,
    reason: failedSteps.length > 0 ? 'check failed at step 2' : 'check finished and passed (Status success)',
    steps,
    failedSteps,
    requestId: 'req-0001',
    checkedAt: '2026-01-01T00:00:00.000Z',
    ...extra,
  };
}

/** Independent of the code under test: CJK ideographs and fullwidth forms are two columns. */
function columns(text: string): number {
  return [...text].reduce((n, ch) => n + (/[\u3000-\u9fff\uff01-\uff60]/.test(ch) ? 2 : 1), 0);
}

const FAILED = report([
  step(1, '检查参数', StepState.PASSED, { message: '校验成功' }),
  step(2, 'Check source instance', StepState.FAILED, {
    stepId: 'SrcInstanceCheck',
    message: '源实例连接失败',
    errors: [{ code: 'SrcInstanceUnreachable', message: '源实例连接失败', solution: '请检查源实例的网络', helpDoc: 'https://cloud.tencent.com/document/product/571/58707' }],
  }),
  step(3, '检查目标实例是否为空', StepState.RUNNING, { message: 'ＦＵＬＬ width' }),
  step(4, 'x', StepState.PENDING),
  step(5, '检查实例冷备数据', StepState.SKIPPED),
]);

describe('the steps table', () => {
  test('gives every step a mark for its state next to the state name', () => {
    const rows = formatReportTable(FAILED).split('\n');
    expect(rows).toEqual(expect.arrayContaining([
      expect.stringMatching(/^ {2}✓ passed +1 {2}检查参数 +校验成功$/),
      expect.stringMatching(/^ {2}✗ failed +2 {2}Check source instance +源实例连接失败$/),
      expect.stringMatching(/^ {2}… running +3 {2}检查目标实例是否为空 +ＦＵＬＬ width$/),
      expect.stringMatching(/^ {2}· pending +4 {2}x$/),
      expect.stringMatching(/^ {2}↷ skipped +5 {2}检查实例冷备数据$/),
    ]));
  });

  test('keeps the columns aligned when step names mix CJK and Latin characters', () => {
    const lines = formatReportTable(FAILED).split('\n');
    const header = lines.find((l) => l.includes('MESSAGE'))!;
    const messageColumn = columns(header.slice(0, header.indexOf('MESSAGE')));
    for (const message of ['校验成功', '源实例连接失败', 'ＦＵＬＬ width']) {
      const row = lines.find((l) => l.endsWith(message) && /^ {2}\S \w+ /.test(l))!;
      expect(columns(row.slice(0, row.length - message.length))).toBe(messageColumn);
    }
  });

  test('lists the failed steps with their solution and help link below the table', () => {
    const text = formatReportTable(FAILED);
    const below = text.slice(text.indexOf('Failed steps:'));
    expect(below).toMatch(/✗ step 2 Check source instance \[SrcInstanceCheck\]: 源实例连接失败/);
    expect(below).toMatch(/solution: 请检查源实例的网络/);
    expect(below).toMatch(/help: https:\/\/cloud\.tencent\.com\/document\/product\/571\/58707/);
  });

  test('ends with the verdict and the request id when the check has not passed', () => {
    const lines = formatReportTable(FAILED).trimEnd().split('\n');
    expect(lines.slice(-2)).toEqual([
      'DTS sync check of job sync-blj8wnt1 in ap-guangzhou has not passed: check failed at step 2',
      'request id: req-0001',
    ]);
  });

  test('ends with one verdict line naming the request id and the API that answered when the check passed', () => {
    const passed = report([step(1, '检查参数', StepState.PASSED, { message: '校验成功' })]);
    const lines = formatReportTable(passed).trimEnd().split('\n');
    expect(lines[lines.length - 1]).toBe(
      'DTS sync check of job sync-blj8wnt1 in ap-guangzhou passed (request id req-0001), answered by DescribeCheckSyncJobResult (API 2021-12-06)',
    );
    expect(formatReportTable(passed)).not.toMatch(/Failed steps:/);
  });

  test('names the API that answered in its first line, for either family', () => {
    expect(formatReportTable(report([])).split('\n')[0]).toMatch(/: success \(finished, API 2021-12-06, /);
    const old = report([], { apiVersion: '2018-03-30', action: 'DescribeSyncCheckJob', status: 'finished', checkFlag: 1 });
    expect(formatReportTable(old).split('\n')[0]).toBe('DTS sync check of job sync-blj8wnt1 in ap-guangzhou: finished (API 2018-03-30, CheckFlag 1, steps reported: no steps reported)');
  });

  test('shows what skipping a failed item risks, when the API says', () => {
    const failed = report([step(2, 'x', StepState.FAILED, { errors: [{ code: 'E', message: 'bad', skipInfo: '跳过后同步可能失败' }] })]);
    expect(formatReportTable(failed)).toMatch(/✗ step 2 x\n {6}E: bad\n {6}if skipped: 跳过后同步可能失败/);
  });

  test('shows warnings of steps that passed, with their solution and help link', () => {
    const warned = report([step(8, '检查是否开启加密', StepState.PASSED, {
      warnings: [{ code: 'EncryptionMismatchWarning', message: '源实例未开启 SSL 加密传输', solution: '可忽略此警告', helpDoc: 'https://example.invalid/doc' }],
    })]);
    const text = formatReportTable(warned);
    expect(text).toMatch(/Warnings:\n {2}! step 8 检查是否开启加密\n {6}EncryptionMismatchWarning: 源实例未开启 SSL 加密传输\n {6}solution: 可忽略此警告\n {6}help: https:\/\/example\.invalid\/doc/);
  });

  test('says so when no steps are reported yet', () => {
    const pending = report([], { phase: CheckPhase.PENDING, passed: false, status: 'notStarted', reason: 'check has not started yet' });
    expect(formatReportTable(pending)).toMatch(/\(no steps reported yet\)/);
  });

  test('turns line breaks and escape sequences from the API into spaces so they cannot break the table or the terminal', () => {
    const hostile = report([step(1, 'name\nwith break', StepState.FAILED, { message: 'red\u001b[31m\rmessage' })]);
    const text = formatReportTable(hostile);
    expect(text).not.toContain('\u001b');
    expect(text).not.toContain('\r');
    expect(text).toMatch(/1 {2}name with break {2}red \[31m message/);
    expect(clean('a\tb\u0007c')).toBe('a b c');
  });

  test('counts East Asian wide characters as two columns and combining marks as none', () => {
    expect(displayWidth('abc')).toBe(3);
    expect(displayWidth('检查参数')).toBe(8);
    expect(displayWidth('ＦＵＬＬ')).toBe(8);
    expect(displayWidth('한국')).toBe(4);
    expect(displayWidth('e\u0301')).toBe(1);
    expect(displayWidth('✓…·↷✗')).toBe(5);
  });
});
