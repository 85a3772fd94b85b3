/**
 * `npm run demo`: the example app against the embedded DTS emulator, offline, in about 20 s.
 *
 *   1. start the emulator in this process (built-in jobs: sync-blj8wnt1 passes, sync-fail0001
 *      fails at step 7) and point the credentials and endpoint at it;
 *   2. synthesize examples/app against the passing job (the steps table, the output directory);
 *   3. synthesize it against the failing job (synthesis fails, naming step 7);
 *   4. run each gate's local-exec command the way Terraform does at apply time.
 *
 * Exits 0 only when every step behaved as expected. Synthesis runs in a child process, as under
 * `cdktf synth`: the construct's synth-time lookup blocks its process, so the emulator must not
 * live in the same one.
 *
 * Environment: DTS_DEMO_OUTDIR, where the passing synthesis is written (default examples/app/cdktf.out).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { EMULATOR_DEFAULT_CREDENTIALS, startEmulator } from '../src/emulator';

const APP_DIR = path.join(__dirname, 'app');
const STACK = 'dr-cutover';
const PASSING_JOB = 'sync-blj8wnt1';
const FAILING_JOB = 'sync-fail0001';

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
  const applyOnlyOutdir = mkdtempSync(path.join(tmpdir(), 'dts-demo-apply-only-'));

  section('1. The embedded DTS emulator');
  const emulator = await startEmulator();
  try {
    const env = demoEnv(emulator.url);
    say(`listening on ${emulator.url}; built-in jobs: ${PASSING_JOB} passes, ${FAILING_JOB} fails at step 7`);
    say(`demo credentials: TENCENTCLOUD_SECRET_ID=${EMULATOR_DEFAULT_CREDENTIALS.secretId}, DTS_SYNC_CHECK_ENDPOINT=${emulator.url}`);

    section(`2. Synthesize examples/app, job ${PASSING_JOB} (passing)`);
    const passing = await synth({ ...env, DTS_DEMO_JOB_ID: PASSING_JOB }, outdir);
    show(passing);
    const stackDir = path.join(outdir, 'stacks', STACK);
    expect(passing.status === 0 && existsSync(path.join(stackDir, 'cdk.tf.json')), `synthesis succeeded and wrote ${path.relative(process.cwd(), stackDir) || stackDir}`);

    section(`3. Synthesize examples/app, job ${FAILING_JOB} (failing)`);
    const failing = await synth({ ...env, DTS_DEMO_JOB_ID: FAILING_JOB }, applyOnlyOutdir);
    show(failing);
    expect(failing.status !== 0 && /step 7 检查目标实例是否为空/.test(failing.stderr), 'synthesis failed, naming step 7');

    section('4. Apply: each gate run as Terraform\'s local-exec runs it (/bin/sh -c, in the stack directory)');
    const gates = passing.status === 0 ? readGates(stackDir) : [];
    for (const gate of gates) {
      const r = await runGate(gate, env);
      say(`${gate.address} (job ${gate.environment.DTS_SYNC_CHECK_JOB_ID}) exited ${r.status}`);
      show(r, '      ');
      expect(r.status === 0, `${gate.address} let the apply go on`);
    }
    expect(gates.length === 2, 'both gates of the passing stack ran (the job id of the standby one comes from a variable)');

    say('');
    say(`Synthesized again against ${FAILING_JOB} with DTS_DEMO_ENFORCEMENT=apply-only, so the synth-time check is skipped and only the gate stands:`);
    const applyOnly = await synth({ ...env, DTS_DEMO_JOB_ID: FAILING_JOB, DTS_DEMO_ENFORCEMENT: 'apply-only' }, applyOnlyOutdir);
    const failingGate = applyOnly.status === 0 ? readGates(path.join(applyOnlyOutdir, 'stacks', STACK)).find((g) => g.environment.DTS_SYNC_CHECK_JOB_ID === FAILING_JOB) : undefined;
    if (!failingGate) {
      show(applyOnly);
      expect(false, 'the apply-only synthesis produced a gate for the failing job');
    } else {
      const r = await runGate(failingGate, env);
      say(`${failingGate.address} (job ${FAILING_JOB}) exited ${r.status}`);
      show(r, '      ');
      expect(r.status === 1 && /step 7/.test(r.stderr), `${failingGate.address} stopped the apply with exit 1, naming step 7`);
    }
  } finally {
    await emulator.close();
    rmSync(applyOnlyOutdir, { recursive: true, force: true });
  }

  const failed = results.filter((r) => !r.ok);
  section(failed.length === 0
    ? `Result: all ${results.length} expectations met in ${((Date.now() - started) / 1000).toFixed(1)} s`
    : `Result: ${failed.length} of ${results.length} expectations NOT met`);
  for (const r of failed) say(`✗ ${r.what}`);
  return failed.length === 0 ? 0 : 1;
}

/** The demo's own environment: only the emulator's credentials, no proxy, the emulator endpoint. */
function demoEnv(url: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const k of ['TENCENTCLOUD_SESSION_TOKEN', 'TENCENTCLOUD_TOKEN', 'HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy']) delete env[k];
  return {
    ...env,
    TENCENTCLOUD_SECRET_ID: EMULATOR_DEFAULT_CREDENTIALS.secretId,
    TENCENTCLOUD_SECRET_KEY: EMULATOR_DEFAULT_CREDENTIALS.secretKey,
    DTS_SYNC_CHECK_ENDPOINT: url,
    CHECKPOINT_DISABLE: '1',
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

/** Spawn asynchronously: the emulator in this process must keep answering meanwhile. */
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
    const timer = setTimeout(() => child.kill('SIGTERM'), 120_000);
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
