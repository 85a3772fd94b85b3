/**
 * The apply-time gate, run the way Terraform runs it: local-exec = `/bin/sh -c <command>` in the
 * stack directory, with Terraform's environment merged with the provisioner's `environment`.
 * Where a `terraform` binary is on PATH, also a real `terraform init` + `apply`.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { DataResource, LocalBackend, TerraformStack } from 'cdktf';
import { CREDS, Emulator, emulatorWith, fullSynthStack, gateOf, JOBS, pointEnvAt, readAllText, runGateAsTerraform, SynthesizedGate, testApp } from './support';
import { Enforcement, GateResourceType, SyncCheckResult, SyncCheckResultProps } from '../../src';
import { runGate } from '../../src/lookup/gate';
import { VirtualClock } from '../support/time';

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

function synthGate(props: Partial<SyncCheckResultProps> & { jobId: string }): SynthesizedGate {
  const stack = new TerraformStack(testApp(), 'stack');
  new SyncCheckResult(stack, 'dr-check', { region: 'ap-guangzhou', pollIntervalSeconds: 1, ...props });
  return gateOf(fullSynthStack(stack));
}

const runAsTerraform = runGateAsTerraform;

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

describe('GIVEN an acknowledgement', () => {
  const DAY = 24 * 60 * 60 * 1000;
  // Far from now, so no run races the expiry: a month ahead, or long past.
  const inAMonth = () => new Date(Date.now() + 30 * DAY).toISOString();
  const REASON = 'DBA-1234: leftover schema on the target, dropped in the migration window';

  test('while it holds, the gate of a failed check prints a WARNING with the reason and expiry and exits 0', () => {
    const expires = inAMonth();
    const r = runAsTerraform(synthGate({ jobId: JOBS.failed.jobId, enforcement: Enforcement.APPLY_ONLY, acknowledge: { reason: REASON, expires } }));
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(new RegExp(`^WARNING \\(acknowledged until ${expires.replace(/\./g, '\\.')} \\(reason: "DBA-1234[^"]*"\\), so this does not stop the deployment until then; the apply goes on\\): DTS sync check of job sync-fail0001`, 'm'));
    expect(r.stderr).toMatch(/step 7/);
  });

  test('once it expired, the gate fails as without it, saying it expired', () => {
    const r = runAsTerraform(synthGate({ jobId: JOBS.failed.jobId, enforcement: Enforcement.APPLY_ONLY, acknowledge: { reason: REASON, expires: '2020-01-01' } }));
    expect(r.status).toBe(1);
    expect(r.stderr).not.toMatch(/WARNING/);
    expect(r.stderr).toMatch(/step 7[\s\S]*the acknowledgement \(reason: "DBA-1234[^)]*\) expired at 2020-01-02T00:00:00\.000Z, so the check is enforced again/);
  });

  test('the gate compares the expiry with its own clock: the same gate passes the day before and fails the day after', async () => {
    const expires = inAMonth();
    const gate = synthGate({ jobId: JOBS.failed.jobId, enforcement: Enforcement.APPLY_ONLY, acknowledge: { reason: REASON, expires } });
    const env = { ...process.env, ...gate.environment };
    const written: string[] = [];
    const spy = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: any) => {
      written.push(String(chunk));
      return true;
    });
    try {
      expect(await runGate(env, new VirtualClock(Date.parse(expires) - DAY))).toBe(0);
      expect(written.join('')).toMatch(/^WARNING \(acknowledged until/m);
      written.length = 0;
      expect(await runGate(env, new VirtualClock(Date.parse(expires) + DAY))).toBe(1);
      expect(written.join('')).toMatch(/expired at .*so the check is enforced again/);
    } finally {
      spy.mockRestore();
    }
  });

  test('a lookup that failed is not waived: exit 4, saying why', () => {
    const r = runAsTerraform(synthGate({ jobId: 'sync-nojob001', enforcement: Enforcement.APPLY_ONLY, acknowledge: { reason: REASON, expires: inAMonth() } }));
    expect(r.status).toBe(4);
    expect(r.stderr).toMatch(/waives a check that ran and did not pass, not a lookup that failed/);
  });

  test('a passed check with an acknowledgement passes, noting it is not needed', () => {
    const r = runAsTerraform(synthGate({ jobId: JOBS.passed.jobId, acknowledge: { reason: REASON, expires: inAMonth() } }));
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/passed \(request id[\s\S]*note: the check passed, so the acknowledgement .* is not needed/);
  });

  test.each([
    ['an expiry more than 90 days ahead', { DTS_SYNC_CHECK_ACK_EXPIRES: '2999-01-01' }, /DTS_SYNC_CHECK_ACK_EXPIRES must be at most 90 days ahead/],
    ['an unparseable expiry', { DTS_SYNC_CHECK_ACK_EXPIRES: 'soon' }, /DTS_SYNC_CHECK_ACK_EXPIRES must be `YYYY-MM-DD`/],
    ['a reason on two lines', { DTS_SYNC_CHECK_ACK_REASON: 'a\nb' }, /DTS_SYNC_CHECK_ACK_REASON must be one line/],
    ['an empty reason', { DTS_SYNC_CHECK_ACK_REASON: '' }, /DTS_SYNC_CHECK_ACK_REASON must say why/],
    ['a reason without an expiry', { DTS_SYNC_CHECK_ACK_EXPIRES: undefined }, /DTS_SYNC_CHECK_ACK_REASON and DTS_SYNC_CHECK_ACK_EXPIRES are set together or not at all/],
  ])('a gate environment with %s is refused with exit 2 before any lookup', async (_label, change, why) => {
    const gate = synthGate({ jobId: JOBS.failed.jobId, enforcement: Enforcement.APPLY_ONLY, acknowledge: { reason: REASON, expires: inAMonth() } });
    const environment: Record<string, string> = { ...gate.environment };
    for (const [k, v] of Object.entries(change)) {
      if (v === undefined) delete environment[k];
      else environment[k] = v;
    }
    await emulator.settle();
    const before = emulator.requests.length;
    const r = runAsTerraform({ ...gate, environment });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(why);
    await emulator.settle();
    expect(emulator.requests.length).toBe(before);
  });
});

describe('real terraform apply of a terraform_data gate', () => {
  const terraform = spawnSync('terraform', ['version'], { encoding: 'utf8' });
  const available = terraform.status === 0;

  function synthTerraformStack(jobIdInput: string, props: Partial<SyncCheckResultProps> = {}): string {
    const stack = new TerraformStack(testApp(), 'stack');
    // State beside the stack: cdktn's Testing.fullSynth adds a local backend whose path is absolute in
    // process.cwd(), which would share one state between these tests and leave it in the repository.
    new LocalBackend(stack, { path: 'terraform.tfstate' });
    // The job id is a token (from another resource), as when the job is created in the same stack.
    const job = new DataResource(stack, 'job', {});
    job.addOverride('input', jobIdInput);
    const check = new SyncCheckResult(stack, 'dr-check', {
      jobId: job.getStringAttribute('output'),
      region: 'ap-guangzhou',
      gateResourceType: GateResourceType.TERRAFORM_DATA,
      pollIntervalSeconds: 1,
      ...props,
    });
    new DataResource(stack, 'dependent', { input: { note: 'created after the gate' }, dependsOn: [check] });
    return fullSynthStack(stack);
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

    test('apply of a failed check goes on with a WARNING while an acknowledgement holds', () => {
      const expires = new Date(Date.now() + 30 * 24 * 60 * 60 * 1000).toISOString();
      const dir = synthTerraformStack(JOBS.failed.jobId, { acknowledge: { reason: 'DBA-1234: waived for the migration window', expires } });
      expect(tf(dir, 'init', '-no-color').status).toBe(0);
      const apply = tf(dir, 'apply', '-auto-approve', '-no-color');
      expect({ status: apply.status, stderr: apply.stderr }).toEqual({ status: 0, stderr: '' });
      expect(apply.stdout).toMatch(new RegExp(`WARNING \\(acknowledged until ${expires.replace(/\./g, '\\.')} \\(reason: "DBA-1234: waived for the migration window"\\)`));
      expect(tf(dir, 'state', 'list').stdout).toMatch(/terraform_data\.dependent/);
    });

    test('apply of a failed check fails once the acknowledgement expired', () => {
      const dir = synthTerraformStack(JOBS.failed.jobId, { acknowledge: { reason: 'DBA-1234: waived for the migration window', expires: '2020-01-01' } });
      expect(tf(dir, 'init', '-no-color').status).toBe(0);
      const apply = tf(dir, 'apply', '-auto-approve', '-no-color');
      expect(apply.status).not.toBe(0);
      expect(apply.stderr + apply.stdout).toMatch(/expired at 2020-01-02T00:00:00\.000Z, so the check is enforced again/);
      expect(tf(dir, 'state', 'list').stdout).not.toMatch(/terraform_data\.dependent/);
    });
  }
});
