/**
 * The example app: synthesized for real with `cdktf synth` against an emulator (as a user would
 * after `npm ci`), and as a unit under `Testing` with stubbed reports (offline, as users test
 * their own stacks).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { DataResource, Testing } from 'cdktf';
import { setupJest } from 'cdktf/lib/testing/adapters/jest';
import { DrCutoverStack, enforcementFromEnv, STACK_NAME } from '../../examples/app/main';
import { CheckPhase, Enforcement, StepState, SyncCheckReport } from '../../src';
import { startEmulator } from '../../src/emulator';
import { testingApp } from '../support/cdktf';
import { ProcessResult, runProcess } from '../support/run-process';
import { tempDir } from '../support/temp';

setupJest();

const APP_DIR = path.join(__dirname, '..', '..', 'examples', 'app');
const CREDS = { secretId: 'AKIDEXAMPLEAPPTEST01', secretKey: 'example-app-test-secret-key' };

type Emulator = Awaited<ReturnType<typeof startEmulator>>;
let emulator: Emulator;
let scratch: string;

beforeAll(async () => {
  scratch = tempDir('dts-example-app-');
  emulator = await startEmulator({
    credentials: [CREDS],
    jobs: [
      // The 2018-03-30 family, which AUTO asks first.
      { jobId: 'sync-blj8wnt1', region: 'ap-guangzhou', family: '2018', outcome: 'passed' },
      { jobId: 'sync-fail0001', region: 'ap-guangzhou', family: '2018', outcome: 'failed', failStep: 7, message: '目标实例不为空' },
      // Still running when synthesis first looks: progress lines, then the pass.
      { jobId: 'sync-slow0001', region: 'ap-guangzhou', family: '2018', outcome: 'passed', checkSeconds: 3 },
    ],
  } as Parameters<typeof startEmulator>[0]);
});

afterAll(async () => {
  await emulator.close();
});

/** Everything from the developer's environment but credentials and proxies, pointed at the emulator. */
function appEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const k of Object.keys(env)) {
    if (/^(TENCENTCLOUD_|DTS_|https?_proxy$|HTTPS?_PROXY$|CDKTF_)/.test(k)) delete env[k];
  }
  // cdktf-cli asks terraform for its version; an empty CLI configuration keeps that quiet and offline.
  const tfConfig = path.join(scratch, 'terraformrc');
  writeFileSync(tfConfig, '');
  return {
    ...env,
    HOME: scratch,
    CHECKPOINT_DISABLE: '1',
    TF_CLI_CONFIG_FILE: tfConfig,
    TENCENTCLOUD_SECRET_ID: CREDS.secretId,
    TENCENTCLOUD_SECRET_KEY: CREDS.secretKey,
    DTS_SYNC_CHECK_ENDPOINT: emulator.url,
    ...extra,
  };
}

/** Text as a terminal shows it: without colour and cursor escape sequences. */
const plain = (text: string) => text.replace(/\u001b\[[0-9;]*[A-Za-z]/g, '');

// cdktf synth type-checks the app with ts-node: ~15 s on an idle machine, several times that on a busy one.
const RUN_TIMEOUT_MS = 240_000;

const run = (command: string, args: string[], env: NodeJS.ProcessEnv): Promise<ProcessResult> =>
  runProcess(command, args, { cwd: APP_DIR, env, timeoutMs: RUN_TIMEOUT_MS });

describe('GIVEN the example app and an emulator', () => {
  test('npx cdktf synth writes a stack whose DNS switch depends on the gate of a check that passed', async () => {
    const outdir = path.join(scratch, 'cdktf.out');
    const r = await run('npx', ['cdktf', 'synth', '--output', outdir], appEnv({ DTS_DEMO_JOB_ID: 'sync-slow0001' }));
    expect({ status: r.status, output: r.status === 0 ? '' : `${r.stdout}\n${r.stderr}` }).toEqual({ status: 0, output: '' });
    expect(r.stdout).toMatch(/Generated Terraform code for the stacks: dr-cutover/);
    expect(r.stdout).toMatch(/✓ passed +7 {2}检查目标实例是否为空/);
    // cdktf synth labels every line the app writes to stderr "[ERROR]": progress and the pass
    // line must not read as errors. (Its spinner redraws lines with escape sequences.)
    const shown = plain(r.stdout);
    expect(shown).toMatch(/^dts-sync-check dr-cutover\/primary-sync-check: running/m);
    expect(shown).toMatch(/^DTS sync check of job sync-slow0001 in ap-guangzhou passed \(request id \S+\), answered by DescribeSyncCheckJob \(API 2018-03-30\)$/m);
    expect(plain(`${r.stdout}\n${r.stderr}`)).not.toMatch(/\[ERROR\]/);

    const tf = JSON.parse(readFileSync(path.join(outdir, 'stacks', STACK_NAME, 'cdk.tf.json'), 'utf8'));
    const data = tf.resource.terraform_data as Record<string, any>;
    const gateOf = (constructPath: string) => Object.keys(data).find((k) => data[k]['//']?.metadata?.path === `${STACK_NAME}/${constructPath}/gate`)!;
    expect(data['dns-switch'].depends_on).toEqual([`terraform_data.${gateOf('primary-sync-check')}`]);
    expect(data['standby-app-config'].depends_on).toEqual([`terraform_data.${gateOf('standby-sync-check')}`]);
    expect(tf.output.primary_check_summary.value).toBe('finished: 10 of 10 steps passed');
    // The second job id is a variable: checked by its gate at apply time only.
    expect(data[gateOf('standby-sync-check')].provisioner[0]['local-exec'].environment.DTS_SYNC_CHECK_JOB_ID).toBe('${var.standby_job_id}');
    expect(readFileSync(path.join(outdir, 'stacks', STACK_NAME, 'cdk.tf.json'), 'utf8')).not.toContain(CREDS.secretKey);
  }, RUN_TIMEOUT_MS + 10_000);

  test('npx cdktf synth against a failing job fails loudly, naming step 7, the construct and the request id, without a stack trace', async () => {
    const r = await run('npx', ['cdktf', 'synth', '--output', path.join(scratch, 'failing.out')], appEnv({ DTS_DEMO_JOB_ID: 'sync-fail0001' }));
    const output = `${r.stdout}\n${r.stderr}`;
    expect(r.status).toBe(1);
    expect(output).toMatch(/\[ERROR\][^\n]*Validation failed/);
    expect(output).toMatch(/cdktf encountered an error while synthesizing/);
    expect(output).toMatch(/\[dr-cutover\/primary-sync-check\] DTS sync check of job sync-fail0001 in ap-guangzhou has not passed/);
    expect(output).toMatch(/✗ step 7 检查目标实例是否为空: 目标实例不为空/);
    expect(output).toMatch(/request id: \S+/);
    expect(output).not.toMatch(/^\s+at /m);
  }, RUN_TIMEOUT_MS + 10_000);

  test('synthesis fails closed, naming the construct and the API error, when the credentials are refused', async () => {
    const { app } = JSON.parse(readFileSync(path.join(APP_DIR, 'cdktf.json'), 'utf8')) as { app: string };
    const env = appEnv({ TENCENTCLOUD_SECRET_KEY: 'not-the-key', CDKTF_OUTDIR: path.join(scratch, 'refused.out') });
    const r = await run('/bin/sh', ['-c', app], env);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/\[dr-cutover\/primary-sync-check\] DTS sync check of job sync-blj8wnt1 in ap-guangzhou could not be read, so it is treated as not passed/);
    expect(r.stderr).toMatch(/code AuthFailure\.\w+/);
    expect(r.stderr).not.toMatch(/^\s+at /m);
    expect(r.stderr).not.toContain('not-the-key');
  }, RUN_TIMEOUT_MS + 10_000);
});

/** A passed 2021-12-06 report whose step 8 warns. */
function reportWithWarning(): SyncCheckReport {
  const steps = [1, 2, 3, 4, 5, 6, 7, 8].map((n) => ({
    stepNo: n,
    name: `step ${n}`,
    state: StepState.PASSED,
    rawStatus: 'finished',
    errors: [],
    warnings: n === 8 ? [{ code: 'EncryptionMismatchWarning', message: '源实例未开启 SSL 加密传输' }] : [],
  }));
  return {
    jobId: 'sync-warn0001',
    region: 'ap-guangzhou',
    apiVersion: '2021-12-06',
    action: 'DescribeCheckSyncJobResult',
    status: 'success',
    phase: CheckPhase.FINISHED,
    passed: true,
    reason: 'check finished and passed (Status success)',
    steps,
    failedSteps: [],
    requestId: 'stub-request',
    checkedAt: '2026-01-01T00:00:00.000Z',
  };
}

describe('GIVEN the example stack under Testing, offline', () => {
  test('lists the warnings of the steps as an output when the check passed with warnings', () => {
    const app = testingApp({ context: { 'dts-sync-check:stub-reports': { 'sync-warn0001': reportWithWarning() } } });
    const stack = new DrCutoverStack(app, STACK_NAME, { jobId: 'sync-warn0001' });
    const tf = JSON.parse(Testing.synth(stack));
    expect(tf.output.primary_check_warnings.value).toEqual(['step 8 step 8: 源实例未开启 SSL 加密传输']);
    expect(tf.output.primary_check_summary.value).toBe('success: 8 of 8 steps passed');
    expect(Testing.synth(stack)).toHaveResourceWithProperties(DataResource, { input: expect.objectContaining({ record: 'db.internal.example' }) });
  });

  test('adds no outputs from the steps when enforcement is apply-only, since nothing is looked up at synth time', () => {
    const app = testingApp();
    const stack = new DrCutoverStack(app, STACK_NAME, { jobId: 'sync-fail0001', enforcement: Enforcement.APPLY_ONLY });
    const tf = JSON.parse(Testing.synth(stack));
    expect(tf.output).toBeUndefined();
    expect(stack.primaryCheck.gate).toBeDefined();
  });

  test('takes the enforcement from DTS_DEMO_ENFORCEMENT and refuses values it does not know', () => {
    expect(enforcementFromEnv({})).toBe(Enforcement.SYNTH_AND_APPLY);
    expect(enforcementFromEnv({ DTS_DEMO_ENFORCEMENT: 'apply-only' })).toBe(Enforcement.APPLY_ONLY);
    expect(() => enforcementFromEnv({ DTS_DEMO_ENFORCEMENT: 'sometimes' })).toThrow(/DTS_DEMO_ENFORCEMENT must be one of .*\(got "sometimes"\)/);
  });
});
