import { CheckPhase, SyncCheckReport } from '../../src/dts/types';
import { progressReporter, progressText } from '../../src/lookup/progress';

function report(phase: CheckPhase, extra: Partial<SyncCheckReport> = {}): SyncCheckReport {
  return {
    jobId: 'sync-blj8wnt1',
    region: 'ap-guangzhou',
    apiVersion: '2021-12-06',
    action: 'DescribeCheckSyncJobResult',
    status: phase === CheckPhase.FINISHED ? 'success' : 'running',
    phase,
    passed: phase === CheckPhase.FINISHED,
    reason: 'x',
    stepCount: 10,
    progress: phase === CheckPhase.FINISHED ? 100 : 30,
    steps: [],
    failedSteps: [],
    requestId: 'r',
    checkedAt: new Date(0).toISOString(),
    ...extra,
  };
}

function stream(isTTY: boolean) {
  const chunks: string[] = [];
  return { chunks, s: { isTTY, write: (c: string) => chunks.push(c) } as unknown as NodeJS.WriteStream };
}

test('a check finished at the first look prints no progress at all', () => {
  const { chunks, s } = stream(false);
  const p = progressReporter(s);
  p.sink('job', report(CheckPhase.FINISHED));
  p.done();
  expect(chunks).toEqual([]);
});

test('a waited-for check prints plain lines when not a terminal, only when something changed, and its end', () => {
  const { chunks, s } = stream(false);
  const p = progressReporter(s);
  p.sink('job', report(CheckPhase.RUNNING));
  p.sink('job', report(CheckPhase.RUNNING));
  p.sink('job', report(CheckPhase.RUNNING, { progress: 60 }));
  p.sink('job', report(CheckPhase.FINISHED));
  p.done();
  expect(chunks).toEqual([
    'dts-sync-check job: running, step 1/10, 30%\n',
    'dts-sync-check job: running, step 1/10, 60%\n',
    'dts-sync-check job: success, passed\n',
  ]);
});

test('on a terminal it rewrites one live line and ends it once', () => {
  const { chunks, s } = stream(true);
  const p = progressReporter(s);
  p.sink('job', report(CheckPhase.RUNNING));
  p.sink('job', report(CheckPhase.FINISHED));
  p.done();
  expect(chunks.slice(0, 2).every((c) => c.startsWith('\r\u001b[2K'))).toBe(true);
  expect(chunks.slice(2)).toEqual(['\n']);
});

test('quiet prints nothing', () => {
  const { chunks, s } = stream(true);
  const p = progressReporter(s, { quiet: true });
  p.sink('job', report(CheckPhase.RUNNING));
  p.done();
  expect(chunks).toEqual([]);
});

test('a 2018-03-30 check, which gives no step count, is described by its reported steps, not as "step 5/5"', () => {
  const steps = [1, 2, 3, 4, 5].map((n) => ({
    stepNo: n, name: `s${n}`, state: n < 5 ? 'passed' : 'pending', rawStatus: n < 5 ? '0' : 'none', errors: [], warnings: [],
  })) as unknown as SyncCheckReport['steps'];
  const text = progressText('job', report(CheckPhase.RUNNING, { apiVersion: '2018-03-30', status: 'running', stepCount: undefined, progress: undefined, steps }));
  expect(text).toBe('dts-sync-check job: running, 4 of 5 reported steps passed');
});
