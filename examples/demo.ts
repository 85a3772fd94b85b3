/**
 * `npm run demo`: the example app against the embedded DTS emulator, offline.
 *
 *   1. start the emulator (built-in jobs: sync-blj8wnt1 passes, sync-fail0001 fails at step 7)
 *      and point the credentials and endpoint at it;
 *   2. synthesize examples/app against the passing job (the steps table, the output directory);
 *   3. synthesize it against the failing job (synthesis fails, naming step 7);
 *   4. apply: with a terraform >= 1.4 on PATH, a real `terraform init` and `terraform apply
 *      -auto-approve` of the passing stack (every gate passes, every resource is created), then of
 *      the failing job synthesized with apply-only enforcement (its gate stops the apply, naming
 *      step 7, and the DNS switch that depends on it is not created). Only the built-in
 *      `terraform_data` resource is used, so nothing is downloaded. Without such a terraform the
 *      demo says so and runs each gate's command itself, as Terraform's local-exec would.
 *
 * Exits 0 only when every expectation held. Synthesis runs in a child process, as under
 * `cdktf synth`.
 *
 * Environment: DTS_DEMO_OUTDIR, where the passing synthesis is written (default examples/app/cdktf.out);
 * DTS_DEMO_TERRAFORM, the terraform to run (default `terraform` on PATH; `none` runs the gates' commands instead).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { EMULATOR_DEFAULT_CREDENTIALS, startEmulator } from '../src/emulator';

const APP_DIR = path.join(__dirname, 'app');
const STACK = 'dr-cutover';
const PASSING_JOB = 'sync-blj8wnt1';
const FAILING_JOB = 'sync-fail0001';
/** terraform_data, the only resource the example uses, is built into Terraform from 1.4. */
const MIN_TERRAFORM = [1, 4];

interface Run {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** stdout and stderr interleaved as they arrived, as a terminal would show them. */
  readonly output: string;
}

interface Gate {
  readonly address: string;
  readonly command: string;
  readonly environment: Record<string, string>;
  readonly stackDir: string;
}

const results: Array<{ ok: boolean; what: string }> = [];

async function main(): Promise<number> {
  const started = Date.now();
  const outdir = path.resolve(process.env.DTS_DEMO_OUTDIR || path.join(APP_DIR, 'cdktf.out'));
  const scratch = mkdtempSync(path.join(tmpdir(), 'dts-demo-'));
  const applyOnlyOutdir = path.join(scratch, 'apply-only.out');

  section('1. The embedded DTS emulator');
  const emulator = await startEmulator();
  try {
    const env = demoEnv(emulator.url, scratch);
    say(`listening on ${emulator.url}; built-in jobs: ${PASSING_JOB} passes, ${FAILING_JOB} fails at step 7`);
    say(`demo credentials: TENCENTCLOUD_SECRET_ID=${EMULATOR_DEFAULT_CREDENTIALS.secretId}, DTS_SYNC_CHECK_ENDPOINT=${emulator.url}`);

    section(`2. Synthesize examples/app, job ${PASSING_JOB} (passing)`);
    const passing = await synth({ ...env, DTS_DEMO_JOB_ID: PASSING_JOB }, outdir);
    show(passing);
    const stackDir = path.join(outdir, 'stacks', STACK);
    expect(passing.status === 0 && existsSync(path.join(stackDir, 'cdk.tf.json')), `synthesis succeeded and wrote ${path.relative(process.cwd(), stackDir) || stackDir}`);

    section(`3. Synthesize examples/app, job ${FAILING_JOB} (failing)`);
    const failing = await synth({ ...env, DTS_DEMO_JOB_ID: FAILING_JOB }, path.join(scratch, 'failing.out'));
    show(failing);
    expect(failing.status !== 0 && /step 7 检查目标实例是否为空/.test(failing.stderr), 'synthesis failed, naming step 7');

    say('');
    say(`Synthesized again against ${FAILING_JOB} with DTS_DEMO_ENFORCEMENT=apply-only, so the synth-time check is skipped and only the gate stands:`);
    const applyOnly = await synth({ ...env, DTS_DEMO_JOB_ID: FAILING_JOB, DTS_DEMO_ENFORCEMENT: 'apply-only' }, applyOnlyOutdir);
    const applyOnlyDir = path.join(applyOnlyOutdir, 'stacks', STACK);
    expect(applyOnly.status === 0 && existsSync(path.join(applyOnlyDir, 'cdk.tf.json')), 'the apply-only synthesis succeeded: nothing was looked up');
    if (applyOnly.status !== 0) show(applyOnly);

    const terraform = await findTerraform(env);
    if (terraform.path) {
      section(`4. Apply with ${terraform.version}: terraform init and terraform apply -auto-approve in each stack directory`);
      if (passing.status === 0) await applyPassing(terraform.path, stackDir, env);
      if (applyOnly.status === 0) await applyFailing(terraform.path, applyOnlyDir, env);
    } else {
      section('4. Apply: each gate run as Terraform\'s local-exec runs it (/bin/sh -c, in the stack directory)');
      say(`${terraform.why}, so the demo runs the gates' commands itself; nothing else of the stacks is applied.`);
      if (passing.status === 0) await runPassingGates(stackDir, env);
      if (applyOnly.status === 0) await runFailingGate(applyOnlyDir, env);
    }
  } finally {
    await emulator.close();
    rmSync(scratch, { recursive: true, force: true });
  }

  const failed = results.filter((r) => !r.ok);
  section(failed.length === 0
    ? `Result: all ${results.length} expectations met in ${((Date.now() - started) / 1000).toFixed(1)} s`
    : `Result: ${failed.length} of ${results.length} expectations NOT met`);
  for (const r of failed) say(`✗ ${r.what}`);
  return failed.length === 0 ? 0 : 1;
}

/** The passing stack: both gates pass, so every resource is created. */
async function applyPassing(terraform: string, stackDir: string, env: NodeJS.ProcessEnv): Promise<void> {
  const r = await terraformApply(terraform, stackDir, env);
  const created = await stateList(terraform, stackDir, env);
  expect(r.status === 0 && /Apply complete! Resources: 4 added/.test(r.output), 'terraform apply of the passing stack succeeded: both gates passed and all 4 resources were created');
  expect(created.includes('terraform_data.dns-switch') && created.includes('terraform_data.standby-app-config'), 'the DNS switch and the standby config exist, each created after its gate');
}

/** The failing job with only the gate standing: the gate stops the apply before the DNS switch. */
async function applyFailing(terraform: string, stackDir: string, env: NodeJS.ProcessEnv): Promise<void> {
  say('');
  say(`The apply-only stack of ${FAILING_JOB}:`);
  const r = await terraformApply(terraform, stackDir, env);
  const created = await stateList(terraform, stackDir, env);
  expect(r.status !== 0 && /step 7 检查目标实例是否为空/.test(r.output), `terraform apply of the failing job failed at its gate, naming step 7`);
  expect(!created.includes('terraform_data.dns-switch'), 'the DNS switch that depends on the failed gate was not created');
}

/** A fresh `terraform init` and `terraform apply -auto-approve`, state kept in the stack directory. */
async function terraformApply(terraform: string, stackDir: string, env: NodeJS.ProcessEnv): Promise<Run> {
  // Fresh each run. cdktf's local backend points at the app directory, shared by every outdir:
  // the state goes next to the stack instead.
  for (const f of ['.terraform', '.terraform.lock.hcl', 'terraform.tfstate', 'terraform.tfstate.backup']) rmSync(path.join(stackDir, f), { recursive: true, force: true });
  const options = { cwd: stackDir, env };
  const shown = path.relative(process.cwd(), stackDir);
  say(`$ cd ${shown.startsWith('..') ? stackDir : shown}`);
  say('$ terraform init -input=false -backend-config=path=terraform.tfstate');
  const init = await run(terraform, ['init', '-input=false', '-no-color', '-backend-config=path=terraform.tfstate'], options);
  if (init.status !== 0) {
    show(init);
    return init;
  }
  say('$ terraform apply -auto-approve -input=false');
  const apply = await run(terraform, ['apply', '-auto-approve', '-input=false', '-no-color'], options);
  show(apply);
  return apply;
}

async function stateList(terraform: string, stackDir: string, env: NodeJS.ProcessEnv): Promise<string[]> {
  const r = await run(terraform, ['state', 'list'], { cwd: stackDir, env });
  return r.status === 0 ? r.stdout.split('\n').filter(Boolean) : [];
}

/** Without terraform: both gates of the passing stack, run as local-exec runs them. */
async function runPassingGates(stackDir: string, env: NodeJS.ProcessEnv): Promise<void> {
  const gates = readGates(stackDir);
  for (const gate of gates) {
    const r = await runGate(gate, env);
    say(`${gate.address} (job ${gate.environment.DTS_SYNC_CHECK_JOB_ID}) exited ${r.status}`);
    show(r, '      ');
    expect(r.status === 0, `${gate.address} let the apply go on`);
  }
  expect(gates.length === 2, 'both gates of the passing stack ran (the job id of the standby one comes from a variable)');
}

/** Without terraform: the gate of the failing job. */
async function runFailingGate(stackDir: string, env: NodeJS.ProcessEnv): Promise<void> {
  const gate = readGates(stackDir).find((g) => g.environment.DTS_SYNC_CHECK_JOB_ID === FAILING_JOB);
  if (!gate) return expect(false, 'the apply-only synthesis produced a gate for the failing job');
  const r = await runGate(gate, env);
  say(`${gate.address} (job ${FAILING_JOB}) exited ${r.status}`);
  show(r, '      ');
  expect(r.status === 1 && /step 7/.test(r.stderr), `${gate.address} stopped the apply with exit 1, naming step 7`);
}

/** A terraform that has terraform_data (>= 1.4), or why there is none. */
async function findTerraform(env: NodeJS.ProcessEnv): Promise<{ path?: string; version?: string; why?: string }> {
  const wanted = process.env.DTS_DEMO_TERRAFORM || 'terraform';
  if (wanted === 'none') return { why: 'DTS_DEMO_TERRAFORM=none' };
  const r = await run(wanted, ['version', '-json'], { cwd: APP_DIR, env });
  if (r.status !== 0) return { why: `no terraform found (${wanted}: ${r.status === null ? r.stderr.trim() : `exit ${r.status}`})` };
  let version: string;
  try {
    version = String((JSON.parse(r.stdout) as { terraform_version: unknown }).terraform_version);
  } catch {
    return { why: `${wanted} version -json gave no version` };
  }
  const [major, minor] = version.split('.').map(Number);
  if (major < MIN_TERRAFORM[0] || (major === MIN_TERRAFORM[0] && minor < MIN_TERRAFORM[1])) {
    return { why: `terraform ${version} is older than ${MIN_TERRAFORM.join('.')}, the first with terraform_data` };
  }
  return { path: wanted, version: `terraform ${version}` };
}

/**
 * The demo's own environment: only the emulator's credentials, no proxy, the emulator endpoint,
 * and a terraform that stays offline (an empty CLI configuration, no checkpoint calls).
 */
function demoEnv(url: string, scratch: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const k of ['TENCENTCLOUD_SESSION_TOKEN', 'TENCENTCLOUD_TOKEN', 'HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy']) delete env[k];
  for (const k of Object.keys(env)) if (k.startsWith('TF_VAR_') || k === 'TF_CLI_ARGS' || k.startsWith('TF_CLI_ARGS_')) delete env[k];
  const cliConfig = path.join(scratch, 'terraformrc');
  writeFileSync(cliConfig, '');
  return {
    ...env,
    TENCENTCLOUD_SECRET_ID: EMULATOR_DEFAULT_CREDENTIALS.secretId,
    TENCENTCLOUD_SECRET_KEY: EMULATOR_DEFAULT_CREDENTIALS.secretKey,
    DTS_SYNC_CHECK_ENDPOINT: url,
    CHECKPOINT_DISABLE: '1',
    TF_CLI_CONFIG_FILE: cliConfig,
    TF_IN_AUTOMATION: '1',
  };
}

/** Run the app command of examples/app/cdktf.json the way `cdktf synth` runs it. */
async function synth(env: NodeJS.ProcessEnv, outdir: string): Promise<Run> {
  const { app } = JSON.parse(readFileSync(path.join(APP_DIR, 'cdktf.json'), 'utf8')) as { app: string };
  say(`$ ${['DTS_DEMO_JOB_ID', 'DTS_DEMO_ENFORCEMENT'].filter((k) => env[k]).map((k) => `${k}=${env[k]}`).join(' ')} ${app}`);
  return run('/bin/sh', ['-c', app], { cwd: APP_DIR, env: { ...env, CDKTF_OUTDIR: outdir } });
}

/** The gates of a synthesized stack: terraform_data/null_resource resources whose local-exec runs the lookup script. */
function readGates(stackDir: string): Gate[] {
  const tf = JSON.parse(readFileSync(path.join(stackDir, 'cdk.tf.json'), 'utf8'));
  const variables = (tf.variable ?? {}) as Record<string, { default?: unknown }>;
  const gates: Gate[] = [];
  for (const [type, byName] of Object.entries((tf.resource ?? {}) as Record<string, Record<string, any>>)) {
    for (const [name, resource] of Object.entries(byName)) {
      const local = resource.provisioner?.find((p: any) => p['local-exec'])?.['local-exec'];
      if (!local || !/ gate$/.test(local.command)) continue;
      // Terraform interpolates `${var.x}` before the provisioner runs; so does the demo, with the defaults.
      const environment = Object.fromEntries(Object.entries(local.environment as Record<string, string>).map(([k, v]) => [
        k, v.replace(/\$\{var\.([\w-]+)\}/g, (_, n: string) => String(variables[n]?.default ?? '')),
      ]));
      gates.push({ address: `${type}.${name}`, command: local.command, environment, stackDir });
    }
  }
  return gates;
}

/** What Terraform's local-exec does on Linux: `/bin/sh -c command`, its environment merged over Terraform's. */
function runGate(gate: Gate, env: NodeJS.ProcessEnv): Promise<Run> {
  return run('/bin/sh', ['-c', gate.command], { cwd: gate.stackDir, env: { ...env, ...gate.environment } });
}

/** Spawn asynchronously: the emulator keeps answering meanwhile. */
function run(command: string, args: string[], options: { cwd: string; env: NodeJS.ProcessEnv }): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let output = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString('utf8');
      output += d.toString('utf8');
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString('utf8');
      output += d.toString('utf8');
    });
    const timer = setTimeout(() => child.kill('SIGTERM'), 300_000);
    child.on('error', (e) => {
      clearTimeout(timer);
      resolve({ status: null, stdout, stderr: `${stderr}${e.message}\n`, output: `${output}${e.message}\n` });
    });
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr, output });
    });
  });
}

function section(title: string): void {
  process.stdout.write(`\n== ${title} ${'='.repeat(Math.max(3, 96 - title.length))}\n`);
}

function say(text: string): void {
  process.stdout.write(`${text}\n`);
}

/** A child's output, indented, without runs of blank lines or cdktf's hint to skip validations (never do that to a gate). */
function show(r: Run, indent = '    '): void {
  const lines = r.output
    .split('\n')
    .filter((l) => !l.startsWith('If you wish to ignore these validations'))
    .filter((l, i, all) => l.trim() !== '' || (i > 0 && all[i - 1].trim() !== ''));
  while (lines.length > 0 && lines[lines.length - 1].trim() === '') lines.pop();
  for (const line of lines) say(line.trim() === '' ? '' : `${indent}${line}`);
}

function expect(ok: boolean, what: string): void {
  results.push({ ok, what });
  say(`${ok ? '✓' : '✗ NOT AS EXPECTED:'} ${what}`);
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`demo failed: ${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
    process.exitCode = 1;
  },
);
