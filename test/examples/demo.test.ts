/**
 * `npm run demo` minus its bundle step (the test task bundles first; bundling here would rewrite
 * the script other tests are running): the demo script as a process, offline, in a clean outdir.
 * With a terraform >= 1.4 on PATH it applies for real; without one it runs the gates' commands
 * itself, and so does it when told (DTS_DEMO_TERRAFORM=none), so both ways are tested here.
 */
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { ProcessResult, runProcess } from '../support/run-process';
import { tempDir } from '../support/temp';

const ROOT = path.join(__dirname, '..', '..');
// The demo takes ~35 s on a quiet machine (four syntheses with ts-node, two applies), and was
// seen taking 3 minutes with six CPU-bound processes beside the suite on two cores.
const DEMO_TIMEOUT_MS = 600_000;

/** A terraform the demo can apply with: on PATH, and 1.4 or newer (terraform_data). */
async function terraformOnPath(): Promise<string | undefined> {
  const r = await runProcess('terraform', ['version', '-json'], { env: { PATH: process.env.PATH } }).catch(() => undefined);
  if (r?.status !== 0) return undefined;
  const version = String((JSON.parse(r.stdout) as { terraform_version?: unknown }).terraform_version);
  const [major, minor] = version.split('.').map(Number);
  return major > 1 || (major === 1 && minor >= 4) ? version : undefined;
}

async function runDemo(extra: NodeJS.ProcessEnv = {}): Promise<{ r: ProcessResult; outdir: string }> {
  if (!existsSync(path.join(ROOT, 'lib', 'bin', 'dts-sync-check.js'))) {
    throw new Error('the bundled scripts are missing: run "npx projen bundle" (the test task does it before jest)');
  }
  const outdir = path.join(tempDir('dts-demo-'), 'cdktf.out');
  const env: NodeJS.ProcessEnv = { ...process.env, DTS_DEMO_OUTDIR: outdir, ...extra };
  // The demo must not need a developer's credentials or proxy; prove it by removing them.
  for (const k of Object.keys(env)) if (/^(TENCENTCLOUD_|DTS_SYNC_CHECK_|https?_proxy$|HTTPS?_PROXY$)/.test(k)) delete env[k];
  const r = await runProcess(path.join(ROOT, 'node_modules', '.bin', 'ts-node'), ['--project', 'test/tsconfig.json', 'examples/demo.ts'], { cwd: ROOT, env, timeoutMs: DEMO_TIMEOUT_MS });
  return { r, outdir };
}

/** What the demo shows whichever way it applies: the emulator, both syntheses. */
function expectSynthesis(stdout: string): void {
  expect(stdout).toMatch(/== 1\. The embedded DTS emulator/);
  expect(stdout).toMatch(/✓ passed +10 {2}检查实例冷备数据 +校验成功/);
  expect(stdout).toMatch(/✓ synthesis succeeded and wrote /);
  // The built-in failing job is of the 2021-12-06 family, whose steps carry an id, a solution and a help link.
  expect(stdout).toMatch(/✗ step 7 检查目标实例是否为空 \[DstEmptyCheck\]: 目标实例不为空/);
  expect(stdout).toMatch(/✓ synthesis failed, naming step 7/);
  expect(stdout).toMatch(/✓ the apply-only synthesis succeeded/);
  expect(stdout).not.toMatch(/NOT AS EXPECTED/);
}

test('the demo applies the passing stack with terraform, and the failing job\'s gate stops the apply before the DNS switch', async () => {
  const terraform = await terraformOnPath();
  const { r, outdir } = await runDemo();
  expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: '' });
  expectSynthesis(r.stdout);
  expect(existsSync(path.join(outdir, 'stacks', 'dr-cutover', 'cdk.tf.json'))).toBe(true);
  if (!terraform) {
    // Said plainly: this run could not apply, so it proves the fallback only.
    process.stdout.write('demo.test: no terraform >= 1.4 on PATH, so the demo ran the gates\' commands instead of terraform apply\n');
    expect(r.stdout).toMatch(/(no terraform found|older than 1\.4).*, so the demo runs the gates' commands itself/);
    return;
  }
  expect(r.stdout).toMatch(new RegExp(`== 4\\. Apply with terraform ${terraform.replace(/\./g, '\\.')}: terraform init and terraform apply`));
  expect(r.stdout).toMatch(/terraform_data\.primary-sync-check_gate_\w+ \(local-exec\): DTS sync check of job sync-blj8wnt1 in ap-guangzhou passed/);
  expect(r.stdout).toMatch(/Apply complete! Resources: 4 added, 0 changed, 0 destroyed\./);
  expect(r.stdout).toMatch(/✓ terraform apply of the passing stack succeeded/);
  expect(r.stdout).toMatch(/✓ the DNS switch and the standby config exist/);
  expect(r.stdout).toMatch(/terraform_data\.primary-sync-check_gate_\w+ \(local-exec\): DTS sync check of job sync-fail0001 in ap-guangzhou has not passed/);
  expect(r.stdout).toMatch(/Error: local-exec provisioner error/);
  expect(r.stdout).toMatch(/✓ terraform apply of the failing job failed at its gate, naming step 7/);
  expect(r.stdout).toMatch(/✓ the DNS switch that depends on the failed gate was not created/);
  expect(r.stdout).toMatch(/== Result: all 7 expectations met in [\d.]+ s/);
  // The passing stack's state stays next to it, for `terraform show`.
  expect(existsSync(path.join(outdir, 'stacks', 'dr-cutover', 'terraform.tfstate'))).toBe(true);
}, DEMO_TIMEOUT_MS + 10_000);

test('without terraform the demo says so and runs each gate\'s command as local-exec would', async () => {
  const { r } = await runDemo({ DTS_DEMO_TERRAFORM: 'none' });
  expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: '' });
  expectSynthesis(r.stdout);
  expect(r.stdout).toMatch(/DTS_DEMO_TERRAFORM=none, so the demo runs the gates' commands itself; nothing else of the stacks is applied\./);
  expect(r.stdout).toMatch(/✓ terraform_data\.primary-sync-check_gate_\w+ let the apply go on/);
  expect(r.stdout).toMatch(/✓ terraform_data\.standby-sync-check_gate_\w+ let the apply go on/);
  expect(r.stdout).toMatch(/✓ terraform_data\.primary-sync-check_gate_\w+ stopped the apply with exit 1, naming step 7/);
  expect(r.stdout).toMatch(/== Result: all 7 expectations met in [\d.]+ s/);
  expect(r.stdout).not.toMatch(/terraform init/);
}, DEMO_TIMEOUT_MS + 10_000);
