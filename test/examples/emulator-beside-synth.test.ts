/**
 * The first thing a user writes in a jest test: `startEmulator` in the test's own process, then
 * synthesis of a stack with a `SyncCheckResult`. Synthesis blocks this thread while the lookup
 * script asks the emulator; the emulator answers from its worker thread.
 */
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { TerraformStack } from 'cdktf';
import { DtsEmulator, JobFamily, JobOutcome, SyncCheckResult } from '../../src';
import { RunningEmulator, startEmulator } from '../../src/emulator';
import { fullSynth, testingApp } from '../support/cdktf';
import { runProcess } from '../support/run-process';
import { tempDir } from '../support/temp';
import { expectWithinRule, SLACK_MS } from '../support/time';

const ROOT = path.join(__dirname, '..', '..');
const CREDS = { secretId: 'AKIDBESIDESYNTH0001', secretKey: 'beside-synth-secret-key-0001' };
const JOBS = {
  passed: 'sync-besd0001',
  failed: 'sync-besd0002',
  // Running when first looked at, so the lookup polls while this thread is blocked.
  slow: 'sync-besd0003',
};

let emulator: RunningEmulator;
const saved = { ...process.env };

beforeAll(async () => {
  emulator = await startEmulator({
    credentials: [CREDS],
    // 2018-family jobs: AUTO answers them with one request each, which the log assertions count.
    jobs: [
      { jobId: JOBS.passed, region: 'ap-guangzhou', family: '2018' },
      { jobId: JOBS.failed, region: 'ap-guangzhou', family: '2018', outcome: 'failed', failStep: 7 },
      { jobId: JOBS.slow, region: 'ap-guangzhou', family: '2018', checkSeconds: 2 },
    ],
  });
  // Not the file's rate-limit folder (test/support/rate-limit-dir.ts): without it the lookups would
  // make the default one in the run's temp folder.
  for (const k of Object.keys(process.env)) if (/^(TENCENTCLOUD_|DTS_SYNC_CHECK_(?!RATE_DIR$))/.test(k)) delete process.env[k];
  Object.assign(process.env, {
    HOME: tempDir('dts-beside-home-'),
    DTS_SYNC_CHECK_ENDPOINT: emulator.url,
    TENCENTCLOUD_SECRET_ID: CREDS.secretId,
    TENCENTCLOUD_SECRET_KEY: CREDS.secretKey,
  });
});

afterAll(async () => {
  process.env = saved;
  await emulator.close();
});

function synthesize(jobId: string) {
  const stack = new TerraformStack(testingApp(), 'stack');
  const check = new SyncCheckResult(stack, 'dr-check', { jobId, region: 'ap-guangzhou', pollIntervalSeconds: 0.5, waitTimeoutSeconds: 60 });
  return { stack, check };
}

describe('GIVEN startEmulator in the test process', () => {
  test('synthesis of a passing check succeeds, and the request log shows its lookup at once', () => {
    const before = emulator.requests.length;
    const started = Date.now();
    const { stack, check } = synthesize(JOBS.passed);
    fullSynth(stack);
    // An emulator that cannot answer stalls the lookup until its attempt timeouts (52 s), then fails it.
    expectWithinRule(Date.now() - started, 0, SLACK_MS.childProcess, 'synthesis');
    expect({ passed: check.passed, reason: check.reason }).toEqual({ passed: true, reason: expect.stringMatching(/passed/) });
    expect(emulator.requests.slice(before)).toEqual([
      expect.objectContaining({ action: 'DescribeSyncCheckJob', jobId: JOBS.passed, secretId: CREDS.secretId, outcome: 'Success', httpStatus: 200 }),
    ]);
  });

  test('synthesis of a failing check fails, naming step 7', () => {
    const { stack } = synthesize(JOBS.failed);
    expect(() => fullSynth(stack)).toThrow(/DTS sync check of job sync-besd0002 in ap-guangzhou has not passed[\s\S]*step 7/);
  });

  test('a check that is still running is polled until it passes while synthesis waits', () => {
    const before = emulator.requests.length;
    const { stack, check } = synthesize(JOBS.slow);
    fullSynth(stack);
    expect(check.passed).toBe(true);
    expect(emulator.requests.slice(before).length).toBeGreaterThan(1);
  });

  test('DtsEmulator.start (every jsii language) serves beside synthesis too', async () => {
    const jsii = await DtsEmulator.start({ credentials: [CREDS], jobs: [{ jobId: JOBS.failed, region: 'ap-guangzhou', family: JobFamily.V2018, outcome: JobOutcome.FAILED, failStep: 2 }] });
    const stack = new TerraformStack(testingApp(), 'stack');
    const check = new SyncCheckResult(stack, 'dr-check', { jobId: JOBS.failed, region: 'ap-guangzhou', endpoint: jsii.url });
    try {
      expect(check.passed).toBe(false);
      expect(check.failedSteps.map((s) => s.stepNo)).toEqual([2]);
      expect(jsii.requestCount).toBe(1);
    } finally {
      await jsii.close();
    }
  });
});

describe('GIVEN an emulator that was closed', () => {
  test('its port refuses connections, and its log keeps every request answered before close', async () => {
    const e = await startEmulator({ credentials: [CREDS] });
    for (let i = 0; i < 5; i++) expect((await fetch(e.url, { method: 'POST', body: '{}' })).status).toBe(200);
    await e.close(); // the log was never read before
    await expect(fetch(e.url, { method: 'POST', body: '{}' })).rejects.toThrow();
    expect(e.requests).toHaveLength(5);
    await e.close(); // twice is fine
  });

  test('a port in use is refused with its error code', async () => {
    const first = await startEmulator();
    try {
      await expect(startEmulator({ port: first.port })).rejects.toMatchObject({ code: 'EADDRINUSE', message: expect.stringMatching(/EADDRINUSE/) });
    } finally {
      await first.close();
    }
  });

  test('its thread is gone: a script that closes its emulator ends by itself', async () => {
    const script = path.join(tempDir('dts-beside-script-'), 'closes.ts');
    writeFileSync(script, [
      `import { startEmulator } from ${JSON.stringify(path.join(ROOT, 'src', 'emulator'))};`,
      'void (async () => {',
      '  const e = await startEmulator();',
      "  const res = await fetch(e.url, { method: 'POST', body: '{}' });",
      '  await e.close();',
      '  process.stdout.write(`answered ${res.status}, logged ${e.requests.length}\\n`);',
      '})();',
    ].join('\n'));
    const r = await runProcess(process.execPath, ['-r', 'ts-node/register/transpile-only', script], { cwd: ROOT, env: { ...process.env }, timeoutMs: 60_000 });
    // A thread left running would hold the process until runProcess kills it (status null).
    expect({ status: r.status, stdout: r.stdout, stderr: r.stderr }).toEqual({ status: 0, stdout: 'answered 200, logged 1\n', stderr: '' });
  });
});
