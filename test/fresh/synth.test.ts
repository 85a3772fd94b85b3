/**
 * `maxCheckAgeSeconds` and `startCheck` at synth time: real synthesis against the emulator (in a
 * worker thread, so it answers while synthesis blocks this thread), the record file, and the rule
 * that synthesis never starts a check.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { TerraformStack, Testing } from 'cdktf';
import { Enforcement, SyncCheckResult, SyncCheckResultProps } from '../../src';
import { RunningEmulator, startEmulator } from '../../src/emulator';
import { CREDS, fullSynthStack, pointEnvAt, testApp } from '../construct/support';
import { lookupScriptPath } from '../support/scripts';

const DAY_S = 24 * 3600;
let emulator: RunningEmulator;
let restoreEnv: () => void;

beforeAll(async () => {
  emulator = await startEmulator({
    credentials: [CREDS],
    jobs: [
      { jobId: 'sync-old00001', region: 'ap-guangzhou', lastCheckedSecondsAgo: 3 * DAY_S },
      { jobId: 'sync-rcnt0001', region: 'ap-guangzhou', lastCheckedSecondsAgo: 600 },
      { jobId: 'sync-p2018001', region: 'ap-guangzhou', family: '2018' },
      { jobId: 'sync-fail0001', region: 'ap-guangzhou', outcome: 'failed', failStep: 7, lastCheckedSecondsAgo: 3600 },
      { jobId: 'sync-fail0002', region: 'ap-guangzhou', outcome: 'failed', failStep: 7, lastCheckedSecondsAgo: 3600 },
      { jobId: 'sync-runs0001', region: 'ap-guangzhou', outcome: 'running' },
      { jobId: 'sync-pass0001', region: 'ap-guangzhou' },
    ],
  });
  restoreEnv = pointEnvAt(emulator.url);
});

afterAll(async () => {
  restoreEnv();
  await emulator.close();
});

function stackWith(props: Partial<SyncCheckResultProps> & { jobId: string }): { stack: TerraformStack; check: SyncCheckResult } {
  const stack = new TerraformStack(testApp(), 'stack');
  const check = new SyncCheckResult(stack, 'dr-check', { region: 'ap-guangzhou', ...props });
  return { stack, check };
}

function record(stackDir: string) {
  return JSON.parse(readFileSync(path.join(stackDir, 'dts-sync-check.json'), 'utf8')).checks[0];
}

const sentFor = (jobId: string) => emulator.requests.filter((r) => r.jobId === jobId);

describe('maxCheckAgeSeconds', () => {
  test('a check that passed 3 days ago fails synthesis under a limit of a day, naming when it finished and how old it is', () => {
    const { stack } = stackWith({ jobId: 'sync-old00001', maxCheckAgeSeconds: 86_400 });
    const error = (() => {
      try {
        fullSynthStack(stack);
        return undefined;
      } catch (e) {
        return (e as Error).message;
      }
    })();
    expect(error).toMatch(
      /\[stack\/dr-check\] DTS sync check of job sync-old00001 in ap-guangzhou has not passed: check finished and passed \(Status success\), but it finished at \S+Z, 3 days ago \(2592\d\d s by the service's clock\), longer ago than the maximum check age of 86400 s/,
    );
    expect(error).toMatch(/The check passed too long ago to count: run it again \(startCheck \/ --start-check/);
  });

  test('the record file says the verdict failed, and why (report-only, so synthesis completes)', () => {
    const dir = fullSynthStack(stackWith({ jobId: 'sync-old00001', maxCheckAgeSeconds: 86_400, enforcement: Enforcement.REPORT_ONLY }).stack);
    expect(record(dir)).toMatchObject({ verdict: 'failed', decision: 'waived', waivedBy: 'report-only', status: 'success', phase: 'finished' });
    expect(record(dir).reason).toMatch(/3 days ago/);
  });

  test('a check that passed 10 minutes ago synthesizes under a limit of an hour, and its age can be read', () => {
    const { stack, check } = stackWith({ jobId: 'sync-rcnt0001', maxCheckAgeSeconds: 3600 });
    fullSynthStack(stack);
    expect(check.passed).toBe(true);
    expect(check.report.ageSeconds).toBeGreaterThanOrEqual(600);
    expect(check.report.ageSeconds).toBeLessThan(600 + 120);
    expect(check.report.finishedAt).toMatch(/Z$/);
  });

  test('a 2018-03-30 verdict, whose age is unknown, fails synthesis under a limit', () => {
    const { stack, check } = stackWith({ jobId: 'sync-p2018001', maxCheckAgeSeconds: 31_622_400 });
    expect(() => fullSynthStack(stack)).toThrow(/when it finished is unknown \(the 2018-03-30 answer carries no times\)/);
    expect(check.passed).toBe(false);
    expect(check.report.stale).toBe(true);
  });

  test('the gate gets the limit in its environment, and in its triggers', () => {
    const { stack } = stackWith({ jobId: 'sync-rcnt0001', maxCheckAgeSeconds: 3600 });
    const gate = Object.values(JSON.parse(Testing.synth(stack)).resource.null_resource as Record<string, any>)[0];
    expect(gate.provisioner[0]['local-exec'].environment).toMatchObject({ DTS_SYNC_CHECK_MAX_CHECK_AGE_SECONDS: '3600' });
    expect(gate.provisioner[0]['local-exec'].environment.DTS_SYNC_CHECK_START_CHECK).toBeUndefined();
    expect(gate.triggers).toMatchObject({ max_check_age_seconds: '3600' });
  });

  test.each([0, -1, 31_622_401, Number.POSITIVE_INFINITY])('%s is refused at construction, naming the construct and the prop', (value) => {
    expect(() => stackWith({ jobId: 'sync-rcnt0001', maxCheckAgeSeconds: value })).toThrow(
      /^stack\/dr-check: `maxCheckAgeSeconds` must be a number of seconds greater than 0 and at most 31622400/,
    );
  });
});

describe('startCheck', () => {
  test('synthesis starts nothing and reads nothing: a failed stored check does not fail it; the gate decides', () => {
    const before = sentFor('sync-fail0001').length;
    const { stack, check } = stackWith({ jobId: 'sync-fail0001', startCheck: true });
    const stackDir = fullSynthStack(stack);
    expect(sentFor('sync-fail0001').length).toBe(before);
    expect(record(stackDir)).toMatchObject({ synthLookup: 'start-check', decision: 'deferred-to-apply', verdict: 'none' });
    expect(record(stackDir).reason).toMatch(/the apply-time gate starts a new check and passes only on its verdict/);
    const messages = check.node.metadata.map((m) => String(m.data));
    expect(messages).toContainEqual(expect.stringMatching(/^`startCheck`: the apply-time gate starts a new check and passes only on its verdict; synthesis starts nothing/));
  });

  test('it does not join the batch of the app\'s other checks: a stored check still running is not waited for', () => {
    const stack = new TerraformStack(testApp(), 'stack');
    new SyncCheckResult(stack, 'owned', { jobId: 'sync-runs0001', region: 'ap-guangzhou', startCheck: true, waitTimeoutSeconds: 600 });
    const other = new SyncCheckResult(stack, 'other', { jobId: 'sync-pass0001', region: 'ap-guangzhou' });
    const stackDir = fullSynthStack(stack);
    expect(other.passed).toBe(true);
    expect(sentFor('sync-runs0001')).toEqual([]);
    const records = JSON.parse(readFileSync(path.join(stackDir, 'dts-sync-check.json'), 'utf8')).checks;
    expect(records.map((r: { constructPath: string; synthLookup: string }) => [r.constructPath, r.synthLookup])).toEqual([
      ['stack/other', 'looked-up'], ['stack/owned', 'start-check'],
    ]);
  });

  test('code that reads the values gets the stored check, read only: no create is ever sent at synth time', () => {
    const { stack, check } = stackWith({ jobId: 'sync-fail0002', startCheck: true });
    expect(check.passed).toBe(false);
    expect(check.failedSteps.map((s) => s.stepNo)).toEqual([7]);
    const stackDir = fullSynthStack(stack);
    expect(record(stackDir)).toMatchObject({ synthLookup: 'looked-up', decision: 'deferred-to-apply', verdict: 'failed' });
    expect(sentFor('sync-fail0002').map((r) => r.action)).not.toContainEqual(expect.stringMatching(/^Create/));
  });

  test('the gate gets DTS_SYNC_CHECK_START_CHECK=true, and start_check in its triggers', () => {
    const { stack } = stackWith({ jobId: 'sync-fail0001', startCheck: true, enforcement: Enforcement.APPLY_ONLY });
    const gate = Object.values(JSON.parse(Testing.synth(stack)).resource.null_resource as Record<string, any>)[0];
    expect(gate.provisioner[0]['local-exec'].environment).toMatchObject({ DTS_SYNC_CHECK_START_CHECK: 'true' });
    expect(gate.triggers).toMatchObject({ start_check: 'true' });
  });

  test('without either prop the gate\'s environment and triggers are as before', () => {
    const { stack } = stackWith({ jobId: 'sync-fail0001', enforcement: Enforcement.APPLY_ONLY });
    const gate = Object.values(JSON.parse(Testing.synth(stack)).resource.null_resource as Record<string, any>)[0];
    expect(Object.keys(gate.provisioner[0]['local-exec'].environment).filter((k) => /START|AGE/.test(k))).toEqual([]);
    expect(Object.keys(gate.triggers).sort()).toEqual(['api_version', 'checked_at', 'enforcement', 'job_id', 'region', 'script']);
  });

  test('with SYNTH_ONLY it is refused: nothing would start the check', () => {
    expect(() => stackWith({ jobId: 'sync-fail0001', startCheck: true, enforcement: Enforcement.SYNTH_ONLY })).toThrow(
      /^stack\/dr-check: `startCheck` needs the apply-time gate, which starts the check; stack\/dr-check: `enforcement` SYNTH_ONLY creates none/,
    );
  });

  test('a value that is not a boolean (a JavaScript caller) is refused, naming the prop', () => {
    expect(() => stackWith({ jobId: 'sync-fail0001', startCheck: 'yes' as unknown as boolean })).toThrow(/`startCheck` must be true or false \(got "yes"\)/);
  });

  test('the synth-time batch refuses a request that would start a check: exit 2, nothing sent', () => {
    const before = emulator.requests.length;
    const request = { jobId: 'sync-fail0001', region: 'ap-guangzhou', endpoint: emulator.url, waitTimeoutSeconds: 0, pollIntervalSeconds: 1, startCheck: true };
    const r = spawnSync(process.execPath, [lookupScriptPath(), 'batch'], { input: JSON.stringify({ requests: [request] }), encoding: 'utf8', env: process.env, timeout: 60_000 });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/requests\[0\]\.startCheck: batch never starts a check \(it is the synth-time lookup, free of side effects\)/);
    expect(emulator.requests.length).toBe(before);
  });
});
