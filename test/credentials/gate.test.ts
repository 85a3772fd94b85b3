/**
 * The credential chain at apply time: the real gate (the lookup bundle's `gate`, as Terraform's
 * local-exec runs it, every parameter in the environment) against the emulator serving DTS, STS
 * and the metadata service, and, where `terraform` is on PATH, a real `terraform apply` of a
 * terraform_data gate whose credentials come from Terraform's own environment. Canary keys and
 * tokens appear in no output, no synthesized file and no Terraform state.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { DataResource, TerraformStack } from 'cdktf';
import { ASSUME, BASE, childEnv, emulatorConfig, ENV_KEYS, expectClean, homeWith, INSTANCE, JOBS, ROLE_NAME, STS, TCCLI_WITH_ROLE } from './support';
import { Enforcement, GateResourceType, SyncCheckResult } from '../../src';
import { startEmulator, RunningEmulator } from '../../src/emulator';
import { readAllText } from '../construct/support';
import { fullSynth, testingApp } from '../support/cdktf';
import { runProcess } from '../support/run-process';
import { lookupScriptPath } from '../support/scripts';

let emulator: RunningEmulator;

beforeAll(async () => {
  emulator = await startEmulator(emulatorConfig());
});

afterAll(async () => {
  await emulator.close();
});

/** Run the gate with the environment Terraform would give it; returns the result and the emulator's log of the run. */
async function gate(jobId: string, home: string, env: Record<string, string | undefined> = {}) {
  const before = emulator.requests.length;
  const r = await runProcess(process.execPath, [lookupScriptPath(), 'gate'], {
    env: childEnv(emulator.url, home, { DTS_SYNC_CHECK_JOB_ID: jobId, DTS_SYNC_CHECK_REGION: 'ap-guangzhou', DTS_SYNC_CHECK_POLL_INTERVAL_SECONDS: '0.5', ...env }),
    timeoutMs: 60_000,
  });
  expectClean(r.stdout, 'the gate\'s stdout');
  expectClean(r.stderr, 'the gate\'s stderr');
  return { ...r, log: emulator.requests.slice(before) };
}

test('passes with a role assumed from TENCENTCLOUD_ASSUME_ROLE_ARN', async () => {
  const r = await gate(JOBS.passed.jobId, homeWith(), { ...ENV_KEYS, ...ASSUME });
  expect(r.status).toBe(0);
  expect(r.stdout).toMatch(/job sync-e2ecred1 in ap-guangzhou passed/);
  expect(r.log.map((e) => e.action)).toEqual(['AssumeRole', 'DescribeSyncCheckJob']);
});

test('passes with a tccli profile and its role-arn', async () => {
  const r = await gate(JOBS.passed.jobId, homeWith({ tccli: { default: TCCLI_WITH_ROLE } }));
  expect(r.status).toBe(0);
  expect(r.log[0]).toMatchObject({ action: 'AssumeRole', secretId: BASE.secretId });
});

test('passes with the instance role named by TENCENTCLOUD_CAM_ROLE_NAME', async () => {
  const r = await gate(JOBS.passed.jobId, homeWith(), { TENCENTCLOUD_CAM_ROLE_NAME: ROLE_NAME });
  expect(r.status).toBe(0);
  expect(r.log.map((e) => e.action)).toEqual([`GET /latest/meta-data/cam/security-credentials/${ROLE_NAME}`, 'DescribeSyncCheckJob']);
  expect(r.log[1].secretId?.startsWith(INSTANCE.secretId)).toBe(true);
});

test('fails closed with exit 4 on a bad session name (nothing sent) and on an STS refusal (its code and request id)', async () => {
  const r = await gate(JOBS.passed.jobId, homeWith(), { ...ENV_KEYS, ...ASSUME, TENCENTCLOUD_ASSUME_ROLE_SESSION_NAME: 'x' });
  // A one-character session name is refused before anything is sent.
  expect(r.status).toBe(4);
  expect(r.stderr).toMatch(/TENCENTCLOUD_ASSUME_ROLE_SESSION_NAME must be 2 to 128 of letters, digits and \+=,\.@_- \(got "x"\)/);
  expect(r.log).toEqual([]);

  const refused = await gate(JOBS.passed.jobId, homeWith(), { TENCENTCLOUD_SECRET_ID: BASE.secretId, TENCENTCLOUD_SECRET_KEY: 'CANARY-wrong-key-e2e', ...ASSUME });
  expect(refused.status).toBe(4);
  expect(refused.stderr).toMatch(/AssumeRole of role \S+ at \S+ failed: AuthFailure\.SignatureFailure: /);
  expect(refused.stderr).toMatch(/request id: \S+/);
  expect(refused.stderr).not.toContain('CANARY-wrong-key-e2e');
  expect(refused.log.map((e) => e.action)).toEqual(['AssumeRole']);
});

test('a wait refreshes the assumed role before it expires', async () => {
  const r = await gate(JOBS.slow2.jobId, homeWith(), { ...ENV_KEYS, ...ASSUME, DTS_SYNC_CHECK_WAIT_TIMEOUT_SECONDS: '100' });
  expect(r.status).toBe(0);
  const lookups = r.log.filter((e) => e.action === 'DescribeSyncCheckJob' || e.action === 'DescribeCheckSyncJobResult');
  expect(lookups.filter((e) => e.outcome !== 'Success')).toEqual([]);
  const keys = new Set(lookups.map((e) => e.secretId));
  expect(keys.size).toBeGreaterThanOrEqual(2);
  expect([...keys].every((k) => k?.startsWith(STS.secretId))).toBe(true);
  expect(r.log.filter((e) => e.action === 'AssumeRole').map((e) => e.secretId)).toEqual([...keys].map(() => BASE.secretId));
});

describe('real terraform apply of a terraform_data gate, credentials from Terraform\'s environment', () => {
  const terraform = spawnSync('terraform', ['version'], { encoding: 'utf8' });
  const available = terraform.status === 0;

  test('terraform is on PATH here, or this says plainly that the real apply did not run', () => {
    if (!available) {
      process.stderr.write('NOTE: no terraform binary on PATH: the real `terraform apply` with an assumed role did not run (the gate process tests above still did).\n');
      expect(terraform.error).toBeDefined();
      return;
    }
    expect(terraform.stdout).toMatch(/Terraform v\d+\.\d+/);
  });

  if (available) {
    test('apply passes with an assumed role, and no secret reaches the configuration, the output or the state', async () => {
      const app = testingApp();
      const stack = new TerraformStack(app, 'stack');
      const check = new SyncCheckResult(stack, 'dr-check', {
        jobId: JOBS.passed.jobId,
        region: 'ap-guangzhou',
        enforcement: Enforcement.APPLY_ONLY,
        gateResourceType: GateResourceType.TERRAFORM_DATA,
      });
      new DataResource(stack, 'dependent', { input: { note: 'created after the gate' }, dependsOn: [check] });
      const dir = path.join(fullSynth(stack), 'stacks', 'stack');
      expectClean(readAllText(path.dirname(path.dirname(dir))), 'the synthesized files');
      const cliConfig = path.join(dir, 'empty.terraformrc');
      writeFileSync(cliConfig, '');
      const env = childEnv(emulator.url, homeWith(), { ...ENV_KEYS, ...ASSUME, TF_IN_AUTOMATION: '1', TF_INPUT: '0', TF_CLI_CONFIG_FILE: cliConfig });
      // Asynchronous: the emulator in this process must keep answering while Terraform runs the gate.
      const init = await runProcess('terraform', ['init', '-no-color'], { cwd: dir, env, timeoutMs: 120_000 });
      expect({ status: init.status, stderr: init.stderr }).toEqual({ status: 0, stderr: '' });
      const before = emulator.requests.length;
      const apply = await runProcess('terraform', ['apply', '-auto-approve', '-no-color'], { cwd: dir, env, timeoutMs: 120_000 });
      expect({ status: apply.status, stderr: apply.stderr }).toEqual({ status: 0, stderr: '' });
      expect(apply.stdout).toMatch(/passed \(request id/);
      expect(emulator.requests.slice(before).map((e) => e.action)).toEqual(['AssumeRole', 'DescribeSyncCheckJob']);
      expectClean(apply.stdout, 'terraform apply\'s output');
      expectClean(readFileSync(path.join(dir, 'terraform.tfstate'), 'utf8'), 'the Terraform state');
    });
  }
});
