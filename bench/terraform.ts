/**
 * Real `terraform apply` of gate stacks for the apply benchmarks: N `terraform_data` resources,
 * each with a local-exec provisioner, written as Terraform JSON (what `cdktf synth` produces for
 * a terraform_data gate, without synthesizing N constructs first). `terraform_data` is built
 * into Terraform, so init and apply work offline.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { OUT } from './procs';

/** `terraform version`'s first line, or undefined when there is no terraform on PATH. */
export function terraformVersion(env: NodeJS.ProcessEnv): string | undefined {
  const r = spawnSync('terraform', ['version'], { env, encoding: 'utf8' });
  if (r.error || r.status !== 0) return undefined;
  return r.stdout.split('\n')[0].trim();
}

/** What each gate runs: its command (our own paths only) and its environment. */
export interface GateCommand {
  readonly command: string;
  readonly environment: (index: number) => Record<string, string>;
}

/** A folder holding an initialized gate stack. */
export interface GateStack {
  readonly dir: string;
  readonly gates: number;
  remove(): void;
}

/** Write an N-gate stack into a fresh folder under bench/out and `terraform init` it. */
export function gateStack(name: string, gates: number, gate: GateCommand, env: NodeJS.ProcessEnv): GateStack {
  mkdirSync(OUT, { recursive: true });
  const dir = mkdtempSync(path.join(OUT, `tf-${name}-`));
  const resources: Record<string, unknown> = {};
  for (let i = 0; i < gates; i++) {
    resources[`gate_${i}`] = {
      triggers_replace: { index: String(i) },
      provisioner: [{ 'local-exec': { command: gate.command, environment: gate.environment(i) } }],
    };
  }
  writeFileSync(path.join(dir, 'main.tf.json'), JSON.stringify({ resource: { terraform_data: resources } }, null, 1));
  const init = spawnSync('terraform', ['init', '-input=false', '-no-color'], { cwd: dir, env, encoding: 'utf8' });
  if (init.status !== 0) throw new Error(`terraform init in ${dir} failed: ${init.stderr.slice(-800)}`);
  return { dir, gates, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface ApplyRun {
  readonly ms: number;
  readonly status: number | null;
  /** Gates whose provisioner failed (terraform's "local-exec provisioner error"). */
  readonly failedGates: number;
  readonly output: string;
}

/**
 * `terraform apply` from an empty state (every gate is created, so every provisioner runs),
 * timed from spawn to exit. Async, so this process stays free to read the emulator's log.
 */
export async function applyStack(stack: GateStack, parallelism: number, env: NodeJS.ProcessEnv): Promise<ApplyRun> {
  for (const f of ['terraform.tfstate', 'terraform.tfstate.backup']) rmSync(path.join(stack.dir, f), { force: true });
  const started = process.hrtime.bigint();
  const child = spawn('terraform', ['apply', '-auto-approve', '-input=false', '-no-color', `-parallelism=${parallelism}`], {
    cwd: stack.dir,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => (output += c));
  child.stderr.setEncoding('utf8').on('data', (c: string) => (output += c));
  const status = await new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  const failedGates = (output.match(/local-exec provisioner error/g) ?? []).length;
  return { ms, status, failedGates, output };
}
