/**
 * The apply-time gate, run the way Terraform runs it: local-exec = `/bin/sh -c <command>` in the
 * stack directory, with Terraform's environment merged with the provisioner's `environment`.
 * Where a `terraform` binary is on PATH, also a real `terraform init` + `apply`.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { DataResource, TerraformStack } from 'cdktf';
import { CREDS, Emulator, emulatorWith, JOBS, pointEnvAt, readAllText } from './support';
import { Enforcement, GateResourceType, SyncCheckResult, SyncCheckResultProps } from '../../src';
import { fullSynth, testingApp } from '../support/cdktf';

let emulator: Emulator;
let restoreEnv: () => void;
const CANARY_KEY = 'CANARY-SECRET-KEY-9f2d7c1e-do-not-leak';
const CANARY_ID = 'AKIDCANARY7f3e2d1c0b9a';

beforeAll(async () => {
  emulator = await emulatorWith(Object.values(JOBS), { credentials: [CREDS, { secretId: CANARY_ID, secretKey: CANARY_KEY }] });
  restoreEnv = pointEnvAt(emulator.url);
});

afterAll(async () => {
  restoreEnv();
  await emulator.close();
});

interface Gate {
  readonly command: string;
  readonly environment: Record<string, string>;
  readonly stackDir: string;
}

function synthGate(props: Partial<SyncCheckResultProps> & { jobId: string }): Gate {
  const app = testingApp();
  const stack = new TerraformStack(app, 'stack');
  new SyncCheckResult(stack, 'dr-check', { region: 'ap-guangzhou', pollIntervalSeconds: 1, ...props });
  const outdir = fullSynth(stack);
  const stackDir = path.join(outdir, 'stacks', 'stack');
  const parsed = JSON.parse(readFileSync(path.join(stackDir, 'cdk.tf.json'), 'utf8'));
  const resources = { ...parsed.resource.null_resource, ...parsed.resource.terraform_data } as Record<string, any>;
  const local = Object.values(resources)[0].provisioner[0]['local-exec'];
  return { command: local.command, environment: local.environment, stackDir };
}

/** What Terraform's local-exec does on Linux. */
function runAsTerraform(gate: Gate, env: NodeJS.ProcessEnv = process.env) {
  const r = spawnSync('/bin/sh', ['-c', gate.command], { cwd: gate.stackDir, env: { ...env, ...gate.environment }, encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('the gate exits 0 and says so when the check passed', () => {
  const r = runAsTerraform(synthGate({ jobId: JOBS.passed.jobId }));
  expect(r.stderr).not.toMatch(/not passed/);
  expect(r.status).toBe(0);
  expect(r.stdout).toMatch(/job sync-pass0001 in ap-guangzhou passed \(request id \S+\)/);
});

test('the gate fails the apply with the same message as synthesis when the check failed', () => {
  const gate = synthGate({ jobId: JOBS.failed.jobId, enforcement: Enforcement.APPLY_ONLY });
  const r = runAsTerraform(gate);
  expect(r.status).toBe(1);
  expect(r.stderr).toMatch(/job sync-fail0001 in ap-guangzhou has not passed/);
  expect(r.stderr).toMatch(/construct: stack\/dr-check/);
  expect(r.stderr).toMatch(/step 7 检查目标实例是否为空: 目标实例不为空/);
  expect(r.stderr).toMatch(/request id: \S+/);
});

test('the gate waits for a running check and passes when it does', () => {
  const gate = synthGate({ jobId: JOBS.slow.jobId, enforcement: Enforcement.APPLY_ONLY, waitTimeoutSeconds: 30 });
  const r = runAsTerraform(gate);
  expect(r.status).toBe(0);
});

test('the gate exits 3 when the check has not finished by the deadline', () => {
  const gate = synthGate({ jobId: JOBS.forever.jobId, enforcement: Enforcement.APPLY_ONLY, waitTimeoutSeconds: 2 });
  const r = runAsTerraform(gate);
  expect(r.status).toBe(3);
  expect(r.stderr).toMatch(/has not finished after waiting 2 s/);
});

test('the gate exits 4 naming the API error when the job does not exist', () => {
  const r = runAsTerraform(synthGate({ jobId: 'sync-nojob001', enforcement: Enforcement.APPLY_ONLY }));
  expect(r.status).toBe(4);
  expect(r.stderr).toMatch(/could not be read, so it is treated as not passed/);
  expect(r.stderr).toMatch(/ResourceNotFound/);
});

test('the gate fails closed without credentials in the environment Terraform runs in', () => {
  const gate = synthGate({ jobId: JOBS.passed.jobId, enforcement: Enforcement.APPLY_ONLY });
  const env = { ...process.env };
  delete env.TENCENTCLOUD_SECRET_ID;
  delete env.TENCENTCLOUD_SECRET_KEY;
  const r = runAsTerraform(gate, env);
  expect(r.status).toBe(4);
  expect(r.stderr).toMatch(/TENCENTCLOUD_SECRET_ID/);
});

test('a report-only gate prints the failure as a warning and lets the apply go on', () => {
  const gate = synthGate({ jobId: JOBS.failed.jobId, enforcement: Enforcement.APPLY_ONLY });
  const r = runAsTerraform({ ...gate, environment: { ...gate.environment, DTS_SYNC_CHECK_ENFORCE: 'false' } });
  expect(r.status).toBe(0);
  expect(r.stderr).toMatch(/WARNING \(report-only.*\n?.*step 7/);
});

test('the gate runs from the stack directory without the app\'s node_modules', () => {
  const gate = synthGate({ jobId: JOBS.passed.jobId });
  const r = runAsTerraform(gate, { ...process.env, NODE_PATH: '/nonexistent' });
  expect(r.status).toBe(0);
  expect(gate.stackDir).not.toContain('node_modules');
});

test('canary credentials never reach the synthesized output, the gate command or its environment, or its output', () => {
  const restore = pointEnvAt(emulator.url, { secretId: CANARY_ID, secretKey: CANARY_KEY });
  try {
    process.env.TENCENTCLOUD_SESSION_TOKEN = 'CANARY-TOKEN-should-not-appear';
    const gate = synthGate({ jobId: JOBS.failed.jobId, enforcement: Enforcement.APPLY_ONLY });
    const everything = readAllText(path.resolve(gate.stackDir, '..', '..'));
    for (const canary of [CANARY_KEY, CANARY_ID, 'CANARY-TOKEN']) {
      expect(everything).not.toContain(canary);
      expect(gate.command).not.toContain(canary);
      expect(JSON.stringify(gate.environment)).not.toContain(canary);
    }
    delete process.env.TENCENTCLOUD_SESSION_TOKEN;
    const r = runAsTerraform(gate);
    expect(r.status).toBe(1);
    expect(r.stdout + r.stderr).not.toContain(CANARY_KEY);
  } finally {
    restore();
    pointEnvAt(emulator.url);
  }
});

describe('real terraform apply of a terraform_data gate', () => {
  const terraform = spawnSync('terraform', ['version'], { encoding: 'utf8' });
  const available = terraform.status === 0;

  function synthTerraformStack(jobIdInput: string): string {
    const app = testingApp();
    const stack = new TerraformStack(app, 'stack');
    // The job id is a token (from another resource), as when the job is created in the same stack.
    const job = new DataResource(stack, 'job', {});
    job.addOverride('input', jobIdInput);
    const check = new SyncCheckResult(stack, 'dr-check', {
      jobId: job.getStringAttribute('output'),
      region: 'ap-guangzhou',
      gateResourceType: GateResourceType.TERRAFORM_DATA,
      pollIntervalSeconds: 1,
    });
    new DataResource(stack, 'dependent', { input: { note: 'created after the gate' }, dependsOn: [check] });
    return path.join(fullSynth(stack), 'stacks', 'stack');
  }

  function tf(dir: string, ...args: string[]) {
    // An empty CLI config of our own: the runner's may point at a file that does not exist.
    const cliConfig = path.join(dir, 'empty.terraformrc');
    writeFileSync(cliConfig, '');
    return spawnSync('terraform', args, {
      cwd: dir,
      encoding: 'utf8',
      timeout: 120_000,
      env: { ...process.env, TF_IN_AUTOMATION: '1', CHECKPOINT_DISABLE: '1', TF_INPUT: '0', TF_CLI_CONFIG_FILE: cliConfig },
    });
  }

  test('terraform is on PATH here, or this says plainly that the real apply did not run', () => {
    if (!available) {
      process.stderr.write('NOTE: no terraform binary on PATH: the real `terraform apply` tests did not run (the gate command tests above still did).\n');
      expect(terraform.error).toBeDefined();
      return;
    }
    expect(terraform.stdout).toMatch(/Terraform v\d+\.\d+/);
  });

  if (available) {
    test('apply succeeds and creates the dependent when the check passed', () => {
      const dir = synthTerraformStack(JOBS.passed.jobId);
      const init = tf(dir, 'init', '-no-color');
      expect({ status: init.status, stderr: init.stderr }).toEqual({ status: 0, stderr: '' });
      const apply = tf(dir, 'apply', '-auto-approve', '-no-color');
      expect({ status: apply.status, stderr: apply.stderr }).toEqual({ status: 0, stderr: '' });
      expect(apply.stdout).toMatch(/passed \(request id/);
      expect(tf(dir, 'state', 'list').stdout).toMatch(/terraform_data\.dependent/);
    });

    test('apply fails before the dependent is created when the check failed', () => {
      const dir = synthTerraformStack(JOBS.failed.jobId);
      expect(tf(dir, 'init', '-no-color').status).toBe(0);
      const apply = tf(dir, 'apply', '-auto-approve', '-no-color');
      expect(apply.status).not.toBe(0);
      expect(apply.stderr + apply.stdout).toMatch(/step 7/);
      expect(tf(dir, 'state', 'list').stdout).not.toMatch(/terraform_data\.dependent/);
    });
  }
});
