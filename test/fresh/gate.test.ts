/**
 * The apply-time gate with `startCheck` and `maxCheckAgeSeconds`, run the way Terraform runs it
 * (local-exec: `/bin/sh -c <command>` in the stack folder, with the provisioner's environment),
 * and by a real `terraform apply` of a terraform_data gate where a `terraform` binary is on PATH.
 * The emulator serves from a worker thread, so it answers while a gate blocks this thread.
 */
import { spawnSync } from 'node:child_process';
import { DataResource, LocalBackend, TerraformStack } from 'cdktf';
import { Enforcement, GateResourceType, SyncCheckResult, SyncCheckResultProps } from '../../src';
import { RunningEmulator, startEmulator } from '../../src/emulator';
import { CREDS, fullSynthStack, gateOf, pointEnvAt, runGateAsTerraform, SynthesizedGate, terraform, terraformVersion, testApp } from '../construct/support';

const DAY_S = 24 * 3600;
let emulator: RunningEmulator;
let restoreEnv: () => void;

beforeAll(async () => {
  emulator = await startEmulator({
    credentials: [CREDS],
    jobs: [
      { jobId: 'sync-old00001', region: 'ap-guangzhou', checkSeconds: 2, lastCheckedSecondsAgo: 3 * DAY_S },
      // A started check that must still be running at the deadline runs for a day.
      { jobId: 'sync-old00002', region: 'ap-guangzhou', checkSeconds: DAY_S, lastCheckedSecondsAgo: 3 * DAY_S },
      { jobId: 'sync-old00003', region: 'ap-guangzhou', checkSeconds: 2, lastCheckedSecondsAgo: 3 * DAY_S },
      { jobId: 'sync-old00004', region: 'ap-guangzhou', checkSeconds: 2, lastCheckedSecondsAgo: 3 * DAY_S },
      { jobId: 'sync-newfail1', region: 'ap-guangzhou', outcome: 'failed', failStep: 5, checkSeconds: 2, lastCheckedSecondsAgo: 3600 },
      { jobId: 'sync-nock0001', region: 'ap-guangzhou', family: '2018', refuseCheck: true },
      { jobId: 'sync-tfapply1', region: 'ap-guangzhou', checkSeconds: 2, lastCheckedSecondsAgo: 3 * DAY_S },
      { jobId: 'sync-tfstale1', region: 'ap-guangzhou', lastCheckedSecondsAgo: 3 * DAY_S },
    ],
  });
  restoreEnv = pointEnvAt(emulator.url);
});

afterAll(async () => {
  restoreEnv();
  await emulator.close();
});

function synthGate(props: Partial<SyncCheckResultProps> & { jobId: string }): SynthesizedGate {
  const stack = new TerraformStack(testApp(), 'stack');
  new SyncCheckResult(stack, 'dr-check', { region: 'ap-guangzhou', pollIntervalSeconds: 0.5, enforcement: Enforcement.APPLY_ONLY, ...props });
  return gateOf(fullSynthStack(stack));
}

/** The gate as Terraform runs it, with `change` over the gate's own environment. */
const runAsTerraform = (gate: SynthesizedGate, change: Record<string, string> = {}) =>
  runGateAsTerraform({ ...gate, environment: { ...gate.environment, ...change } });

const createsFor = (jobId: string) => emulator.requests.filter((r) => r.jobId === jobId && r.action?.startsWith('Create'));

describe('a gate with startCheck', () => {
  test('starts exactly one check per run and passes on its verdict, naming the create', () => {
    const gate = synthGate({ jobId: 'sync-old00001', startCheck: true, waitTimeoutSeconds: 30 });
    expect(gate.environment.DTS_SYNC_CHECK_START_CHECK).toBe('true');
    const first = runAsTerraform(gate);
    expect(first.stderr).not.toMatch(/not passed/);
    expect(first.status).toBe(0);
    expect(first.stdout).toMatch(/passed \(request id \S+\), answered by DescribeCheckSyncJobResult \(API 2021-12-06\), on the check this run started \(CreateCheckSyncJob, request id /);
    expect(createsFor('sync-old00001')).toHaveLength(1);
    expect(runAsTerraform(gate).status).toBe(0);
    expect(createsFor('sync-old00001')).toHaveLength(2);
  });

  test('fails the apply with the started check\'s failure, not the stored pass', () => {
    const r = runAsTerraform(synthGate({ jobId: 'sync-newfail1', startCheck: true, waitTimeoutSeconds: 30 }));
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/construct: stack\/dr-check/);
    expect(r.stderr).toMatch(/✗ step 5 /);
    expect(createsFor('sync-newfail1')).toHaveLength(1);
  });

  test('exits 3 when the started check has not finished within the wait, though the stored check passed', () => {
    const r = runAsTerraform(synthGate({ jobId: 'sync-old00002', startCheck: true, waitTimeoutSeconds: 2 }));
    expect(r.status).toBe(3);
    expect(r.stderr).toMatch(/has not finished after waiting 2 s: check is still running/);
    expect(createsFor('sync-old00002')).toHaveLength(1);
  });

  test('exits 4 when the service refuses to start a check, with its code; an acknowledgement does not waive that', () => {
    const expires = new Date(Date.now() + 30 * DAY_S * 1000).toISOString();
    const r = runAsTerraform(synthGate({ jobId: 'sync-nock0001', startCheck: true, acknowledge: { reason: 'DBA-1: waived', expires } }));
    expect(r.status).toBe(4);
    expect(r.stderr).toMatch(/^A new DTS sync check of job sync-nock0001 in ap-guangzhou could not be started, so the check is treated as not passed: CreateSyncCheckJob failed: FailedOperation\.NotAllowOperation/);
    expect(r.stderr).toMatch(/waives a check that ran and did not pass, not a lookup that failed/);
  });

  test.each([
    ['DTS_SYNC_CHECK_START_CHECK', 'yes', /DTS_SYNC_CHECK_START_CHECK must be true or false \(got "yes"\)/],
    ['DTS_SYNC_CHECK_MAX_CHECK_AGE_SECONDS', '-1', /DTS_SYNC_CHECK_MAX_CHECK_AGE_SECONDS must be a number of seconds greater than 0/],
    ['DTS_SYNC_CHECK_MAX_CHECK_AGE_SECONDS', '1d', /DTS_SYNC_CHECK_MAX_CHECK_AGE_SECONDS must be a number of seconds/],
  ])('%s=%s is refused with exit 2 before anything is sent', (name, value, why) => {
    const gate = synthGate({ jobId: 'sync-old00003', startCheck: true });
    const before = emulator.requests.length;
    const r = runAsTerraform(gate, { [name]: value });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(why);
    expect(emulator.requests.length).toBe(before);
  });
});

describe('a gate with maxCheckAgeSeconds', () => {
  test('a check that passed 3 days ago fails the apply (exit 1), saying it passed too long ago', () => {
    const gate = synthGate({ jobId: 'sync-old00004', maxCheckAgeSeconds: 86_400 });
    expect(gate.environment.DTS_SYNC_CHECK_MAX_CHECK_AGE_SECONDS).toBe('86400');
    const r = runAsTerraform(gate);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/has not passed: check finished and passed \(Status success\), but it finished at \S+, 3 days ago/);
    expect(r.stderr).toMatch(/The check passed too long ago to count/);
    expect(createsFor('sync-old00004')).toEqual([]);
  });

  test('the same gate with startCheck too passes: the check it starts is fresh', () => {
    const r = runAsTerraform(synthGate({ jobId: 'sync-old00004', maxCheckAgeSeconds: 86_400, startCheck: true, waitTimeoutSeconds: 30 }));
    expect(r.status).toBe(0);
    expect(createsFor('sync-old00004')).toHaveLength(1);
  });
});

describe('real terraform apply of a terraform_data gate', () => {
  const version = terraformVersion();

  test('terraform is on PATH here, or this says plainly that the real apply did not run', () => {
    if (!version) {
      process.stderr.write('NOTE: no terraform binary on PATH: the real `terraform apply` tests of startCheck did not run (the gate command tests above still did).\n');
      expect(spawnSync('terraform', ['version']).status).not.toBe(0);
      return;
    }
    expect(version).toMatch(/^Terraform v\d+\.\d+/);
  });

  function synthTerraformStack(jobIdInput: string, props: Partial<SyncCheckResultProps>): string {
    const stack = new TerraformStack(testApp(), 'stack');
    new LocalBackend(stack, { path: 'terraform.tfstate' });
    // The job id is a token, as when the job is created in the same stack: only the gate can check it.
    const job = new DataResource(stack, 'job', {});
    job.addOverride('input', jobIdInput);
    const check = new SyncCheckResult(stack, 'dr-check', {
      jobId: job.getStringAttribute('output'),
      region: 'ap-guangzhou',
      gateResourceType: GateResourceType.TERRAFORM_DATA,
      pollIntervalSeconds: 0.5,
      waitTimeoutSeconds: 30,
      ...props,
    });
    new DataResource(stack, 'dependent', { input: { note: 'created after the gate' }, dependsOn: [check] });
    return fullSynthStack(stack);
  }

  if (version) {
    test('each apply starts exactly one check and passes on it; the dependent is created', () => {
      const dir = synthTerraformStack('sync-tfapply1', { startCheck: true });
      expect(terraform(dir, ['init', '-no-color'])).toMatchObject({ status: 0, stderr: '' });
      const first = terraform(dir, ['apply', '-auto-approve', '-no-color']);
      expect({ status: first.status, stderr: first.stderr }).toEqual({ status: 0, stderr: '' });
      expect(first.stdout).toMatch(/on the check this run started \(CreateCheckSyncJob/);
      expect(createsFor('sync-tfapply1')).toHaveLength(1);
      expect(terraform(dir, ['state', 'list']).stdout).toMatch(/terraform_data\.dependent/);
      // The gate is re-created on every apply: the second apply starts its own check.
      const second = terraform(dir, ['apply', '-auto-approve', '-no-color']);
      expect({ status: second.status, stderr: second.stderr }).toEqual({ status: 0, stderr: '' });
      expect(createsFor('sync-tfapply1')).toHaveLength(2);
    });

    test('a stale passed check fails the apply under maxCheckAgeSeconds before the dependent is created', () => {
      const dir = synthTerraformStack('sync-tfstale1', { maxCheckAgeSeconds: 3600 });
      expect(terraform(dir, ['init', '-no-color']).status).toBe(0);
      const apply = terraform(dir, ['apply', '-auto-approve', '-no-color']);
      expect(apply.status).not.toBe(0);
      expect(apply.stderr + apply.stdout).toMatch(/3 days ago/);
      expect(terraform(dir, ['state', 'list']).stdout).not.toMatch(/terraform_data\.dependent/);
      expect(createsFor('sync-tfstale1')).toEqual([]);
    });
  }
});
