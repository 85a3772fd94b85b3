/**
 * Seeded fault runs through the process paths: the `check` CLI, the apply-time gate run as
 * Terraform's local-exec runs it, and synthesis (the construct's synth-time lookup). Fewer runs
 * than the client suite (each costs a node start), same rules: the true report or a clear error
 * naming the fault, never a false "passed" (exit 0), within the deadline plus process start-up.
 * `RELIABILITY_SEED=<seed>` reproduces a failure.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { TerraformStack, Testing } from 'cdktf';
import {
  describePlan, Draw, drawFaults, drawOutcome, expectedCall, faultEffect, FAULT_WEIGHTS, Outcome, pool, runJobId, runSeed, SEED,
} from './support';
import { Enforcement, GateResourceType, SyncCheckResult } from '../../src';
import { DEADLINE_MARGIN_MS } from '../../src/dts/deadline';
import { closeConnections } from '../../src/dts/http';
import { BACKOFF_BASE_MS, BACKOFF_CAP_MS } from '../../src/dts/retry';
import { ApiVersion } from '../../src/dts/types';
import { EmulatorConfig, EmulatorFaultConfig, EmulatorJobConfig, RunningEmulator, startEmulator, startEmulatorProcess } from '../../src/emulator';
import { fullSynth, testingApp } from '../support/cdktf';
import { ProcessResult, runProcess } from '../support/run-process';
import { scriptFor } from '../support/scripts';
import { tempDir } from '../support/temp';
import { SLACK_MS } from '../support/time';

const CREDS = { secretId: 'AKIDRELIABILITYPROC', secretKey: 'reliability-process-secret-01' };
const REGION = 'ap-guangzhou';
/** Node start, the bundle's load and the exit, on a busy 2-core machine (test/README.md). */
const PROCESS_SLACK_MS = SLACK_MS.childProcess;
/**
 * Attempt timeouts: a check that must finish gets a short one, so its stalls heal within the wait;
 * a check that never finishes gets one far longer than its wait, so a look not cut at the wait's
 * end would overshoot the bound by far more than the room.
 */
const ATTEMPT_S = { finishing: 3, running: 30 } as const;
const WAIT_S = { finishing: 30, running: 2 } as const;
/** Slow bodies that must not time out a 3 s attempt (at most 1/50 of it), and one that must (twice it and more). */
const SLOW_BODY_MS = [20, 60, 8_000];

/** The most a call's pauses between `attempts` attempts can add: the backoff ceilings (src/dts/retry.ts). */
function pauseCeilingsMs(attempts: number): number {
  let sum = 0;
  for (let k = 1; k < attempts; k++) sum += Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** (k - 1));
  return sum;
}
const home = tempDir('dts-reliability-home-');

/** Run a command without blocking this process (the in-process emulator must keep answering). */
function run(command: string, args: string[], env: NodeJS.ProcessEnv, cwd?: string): Promise<ProcessResult> {
  return runProcess(command, args, { env, cwd, timeoutMs: 60_000 });
}

/** Only what a CI runner or Terraform would have: PATH, a clean HOME, the credentials. */
function baseEnv(): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH, HOME: home, TENCENTCLOUD_SECRET_ID: CREDS.secretId, TENCENTCLOUD_SECRET_KEY: CREDS.secretKey };
}

interface Planned {
  readonly index: number;
  readonly seed: number;
  readonly jobId: string;
  readonly outcome: Outcome;
  readonly faults: EmulatorFaultConfig[];
  readonly apiVersion: string;
  readonly checkSeconds?: number;
}

function plan(group: string, prefix: string, index: number, kinds: typeof FAULT_WEIGHTS, slowBodyMs: number[]): Planned {
  const seed = runSeed(group, index);
  const d = new Draw(seed);
  const outcome = drawOutcome(d);
  // A check that never finishes has a long attempt timeout: only slow bodies far shorter than it.
  const slow = outcome === 'running' ? slowBodyMs.filter((ms) => ms <= (ATTEMPT_S.running * 1000) / 50) : slowBodyMs;
  return {
    index,
    seed,
    jobId: runJobId(prefix, index),
    outcome,
    faults: drawFaults(d, { maxFaults: 3, kinds, slowBodyMs: slow }),
    apiVersion: d.pick(['2018-03-30', '2021-12-06', 'auto']),
    checkSeconds: d.pick([0.1, 0.2]),
  };
}

function jobsOf(plans: readonly Planned[], timed: boolean): EmulatorJobConfig[] {
  return plans.map((p) => ({
    jobId: p.jobId,
    region: REGION,
    // The family of the version the run asks (AUTO asks 2018-03-30 first), so the plan's counts hold.
    family: p.apiVersion === '2021-12-06' ? '2021' : '2018',
    outcome: p.outcome,
    ...(timed && p.outcome !== 'running' ? { checkSeconds: p.checkSeconds } : {}),
    faults: p.faults,
  }));
}

function line(group: string, p: Planned, extra: string, problems: string[]): string | undefined {
  if (problems.length === 0) return undefined;
  return `[seed ${SEED} ${group} run ${p.index} (run seed ${p.seed}) ${p.apiVersion} ${p.jobId} ${p.outcome}; ${describePlan(p.faults)}; ${extra}] ${problems.join('; ')}`;
}

/** The exit code a verdict maps to (src/lookup/protocol.ts EXIT). */
function exitFor(outcome: Outcome): number {
  return outcome === 'passed' ? 0 : outcome === 'failed' ? 1 : 3;
}

const emulators: RunningEmulator[] = [];

afterAll(async () => {
  await closeConnections();
  await Promise.all(emulators.map((e) => e.close()));
});

async function emulator(config: EmulatorConfig): Promise<RunningEmulator> {
  const e = await startEmulator({ credentials: [CREDS], rateLimitPerSecond: 0, ...config });
  emulators.push(e);
  return e;
}

describe('the check CLI under seeded faults', () => {
  test('40 runs of `check --output json` exit with the true verdict or exit 4 naming the exact error, never 0 wrongly', async () => {
    // `check` has no attempt-timeout flag (10 s per attempt), so no stalls or slow bodies that time out here.
    const kinds = [...FAULT_WEIGHTS.filter(([k]) => k !== 'stall'), ['clockSkew', 3]] as const;
    const plans = Array.from({ length: 40 }, (_, i) => plan('cli', 'c', i, kinds, [20, 40]));
    // Half the jobs live on an emulator whose clock is 15 minutes off: a fresh process learns it once.
    const skew = (p: Planned) => (p.index % 2 === 0 ? 0 : 900);
    const straight = await emulator({ jobs: jobsOf(plans.filter((p) => skew(p) === 0), false) });
    const skewed = await emulator({ jobs: jobsOf(plans.filter((p) => skew(p) !== 0), false), clockSkewSeconds: 900 });
    const failures: string[] = [];
    await pool(plans.map((p) => async () => {
      const e = skew(p) === 0 ? straight : skewed;
      const args = ['check', '--job-id', p.jobId, '--region', REGION, '--endpoint', e.url, '--output', 'json', '--api-version', p.apiVersion];
      const r = await run(process.execPath, [scriptFor(args[0]), ...args], baseEnv());
      // AUTO asks 2018-03-30 first, which serves these jobs, so the plan reads the same.
      const expected = expectedCall(p.faults, { maxAttempts: 5, attemptTimeoutMs: 10_000, serverSkewSeconds: skew(p), clientSkewSeconds: 0 });
      const problems: string[] = [];
      if (r.status === 0 && p.outcome !== 'passed') problems.push(`FALSE PASS: exit 0 for a ${p.outcome} check`);
      let json: { passed?: boolean; error?: { code?: string; requestId?: string | null } } = {};
      try {
        json = JSON.parse(r.stdout);
      } catch {
        problems.push(`stdout is not JSON: ${r.stdout.slice(0, 200)}`);
      }
      if (expected.kind === 'report') {
        if (r.status !== exitFor(p.outcome)) problems.push(`exit ${r.status}, expected ${exitFor(p.outcome)}; stderr: ${r.stderr.slice(0, 300)}`);
        if (json.passed !== (p.outcome === 'passed')) problems.push(`JSON passed=${json.passed}`);
      } else {
        if (r.status !== 4) problems.push(`exit ${r.status}, expected 4 for ${expected.code}`);
        if (json.error?.code !== expected.code) problems.push(`JSON error code ${json.error?.code}, expected ${expected.code}`);
        if (!r.stderr.includes(`code ${expected.code}`)) problems.push(`stderr does not name code ${expected.code}: ${r.stderr.slice(0, 300)}`);
        if (expected.hasRequestId && !(json.error?.requestId && r.stderr.includes(`request id: ${json.error.requestId}`))) {
          problems.push('the request id of the error answer is not printed');
        }
      }
      // Retries of one look: at most the backoff ceilings plus start-up.
      const bound = pauseCeilingsMs(expected.attempts) + PROCESS_SLACK_MS;
      if (r.elapsedMs > bound) problems.push(`took ${r.elapsedMs} ms, over ${bound} ms`);
      const l = line('cli', p, `server skew ${skew(p)} s, exit ${r.status}, ${r.elapsedMs} ms`, problems);
      if (l) failures.push(l);
    }), 4);
    expect(failures).toEqual([]);
  });
});

describe('the apply-time gate under seeded faults', () => {
  let command: string;
  let gateEnv: Record<string, string>;
  let stackDir: string;

  beforeAll(() => {
    // The real command and environment of a synthesized gate (APPLY_ONLY: no lookup at synth).
    const app = testingApp();
    const stack = new TerraformStack(app, 'stack');
    new SyncCheckResult(stack, 'dr-check', {
      jobId: 'sync-blj8wnt1',
      region: REGION,
      enforcement: Enforcement.APPLY_ONLY,
      gateResourceType: GateResourceType.TERRAFORM_DATA,
    });
    stackDir = path.join(fullSynth(stack), 'stacks', 'stack');
    const tf = JSON.parse(readFileSync(path.join(stackDir, 'cdk.tf.json'), 'utf8'));
    const local = Object.values(tf.resource.terraform_data as Record<string, any>)[0].provisioner[0]['local-exec'];
    command = local.command;
    gateEnv = local.environment;
  });

  test('30 gates run as local-exec exit 0 only for a passed check, and otherwise name the failure, within the wait plus start-up', async () => {
    const plans = Array.from({ length: 30 }, (_, i) => plan('gate', 'g', i, FAULT_WEIGHTS, SLOW_BODY_MS));
    const e = await emulator({ jobs: jobsOf(plans, true), clockSkewSeconds: -700 });
    const failures: string[] = [];
    await pool(plans.map((p) => async () => {
      const kind = p.outcome === 'running' ? 'running' : 'finishing';
      const waitSeconds = WAIT_S[kind];
      const poll = 0.05;
      const env = {
        ...baseEnv(),
        ...gateEnv,
        DTS_SYNC_CHECK_JOB_ID: p.jobId,
        DTS_SYNC_CHECK_API_VERSION: p.apiVersion,
        DTS_SYNC_CHECK_ENDPOINT: e.url,
        DTS_SYNC_CHECK_ATTEMPT_TIMEOUT_SECONDS: String(ATTEMPT_S[kind]),
        DTS_SYNC_CHECK_WAIT_TIMEOUT_SECONDS: String(waitSeconds),
        DTS_SYNC_CHECK_POLL_INTERVAL_SECONDS: String(poll),
      };
      const r = await run('/bin/sh', ['-c', command], env, stackDir);
      const problems: string[] = [];
      if (r.status === 0 && p.outcome !== 'passed') problems.push(`FALSE PASS: exit 0 for a ${p.outcome} check`);
      const effects = p.faults.map((f) => faultEffect(f, ATTEMPT_S[kind] * 1000));
      const counted = p.faults.filter((f) => !faultEffect(f, ATTEMPT_S[kind] * 1000).throttled).reduce((n, f) => n + (f.times ?? 1), 0);
      const healable = effects.every((x) => x.code === undefined || x.retryable) && counted < 5;
      if (r.status === 4) {
        const codes = [...effects.map((x) => x.code), 'DeadlineExceeded'].filter(Boolean) as string[];
        if (!codes.some((c) => r.stderr.includes(`code ${c}`))) problems.push(`exit 4 without a code from the plan: ${r.stderr.slice(0, 300)}`);
        if (healable && p.outcome !== 'running') problems.push('retryable faults fewer than the attempts still failed the gate');
      } else if (r.status !== exitFor(p.outcome)) {
        problems.push(`exit ${r.status}, expected ${exitFor(p.outcome)}; stderr: ${r.stderr.slice(0, 300)}`);
      }
      if (r.status === 1 && !/step \d/.test(r.stderr)) problems.push('a failed check without its failed step');
      const bound = (waitSeconds + poll) * 1000 + DEADLINE_MARGIN_MS + PROCESS_SLACK_MS;
      if (r.elapsedMs > bound) problems.push(`took ${r.elapsedMs} ms, over wait + poll + start-up = ${bound} ms`);
      const l = line('gate', p, `exit ${r.status}, ${r.elapsedMs} ms`, problems);
      if (l) failures.push(l);
    }), 4);
    expect(failures).toEqual([]);
  });
});

describe('synthesis under seeded faults', () => {
  test('10 apps of 3 checks each, looked up by one batch process against an emulator process, read every check truly or fail synthesis naming it', async () => {
    const plans = Array.from({ length: 30 }, (_, i) => plan('synth', 'y', i, FAULT_WEIGHTS, SLOW_BODY_MS));
    // A separate process: synthesis blocks this one while the batch lookup waits for answers.
    const e = await startEmulatorProcess({ credentials: [CREDS], rateLimitPerSecond: 0, jobs: jobsOf(plans, true), clockSkewSeconds: 400 });
    const saved = { ...process.env };
    Object.assign(process.env, baseEnv());
    const failures: string[] = [];
    try {
      for (let a = 0; a < 10; a++) {
        const app = testingApp();
        const stack = new TerraformStack(app, 'stack');
        const mine = plans.slice(a * 3, a * 3 + 3);
        const checks = mine.map((p) => new SyncCheckResult(stack, `check-${p.index}`, {
          jobId: p.jobId,
          region: REGION,
          endpoint: e.url,
          apiVersion: p.apiVersion as ApiVersion,
          enforcement: Enforcement.SYNTH_ONLY,
          attemptTimeoutSeconds: p.outcome === 'running' ? ATTEMPT_S.running : ATTEMPT_S.finishing,
          waitTimeoutSeconds: p.outcome === 'running' ? WAIT_S.running : WAIT_S.finishing,
          pollIntervalSeconds: 0.05,
        }));
        const started = Date.now();
        let synthError = '';
        try {
          Testing.synth(stack, true);
        } catch (err) {
          synthError = (err as Error).message;
        }
        const elapsedMs = Date.now() - started;
        mine.forEach((p, k) => {
          const c = checks[k];
          const problems: string[] = [];
          if (c.passed && p.outcome !== 'passed') problems.push(`FALSE PASS: construct passed for a ${p.outcome} check`);
          const readable = !/could not be read/.test(c.reason);
          const attemptMs = (p.outcome === 'running' ? ATTEMPT_S.running : ATTEMPT_S.finishing) * 1000;
          const counted = p.faults.filter((f) => !faultEffect(f, attemptMs).throttled).reduce((n, f) => n + (f.times ?? 1), 0);
          const healable = p.faults.every((f) => faultEffect(f, attemptMs).code === undefined || faultEffect(f, attemptMs).retryable) && counted < 5;
          if (healable && p.outcome !== 'running' && c.passed !== (p.outcome === 'passed')) problems.push(`read as ${c.reason}`);
          if (!c.passed && !synthError.includes(`[stack/check-${p.index}]`)) problems.push('synthesis did not fail naming this construct');
          if (!readable && !/code \S+/.test(synthError)) problems.push('the error does not name a code');
          if (c.passed && synthError.includes(`[stack/check-${p.index}]`)) problems.push('synthesis failed naming a passed check');
          const l = line('synth', p, `app ${a}, ${elapsedMs} ms`, problems);
          if (l) failures.push(l);
        });
        const longestWait = Math.max(...mine.map((p) => (p.outcome === 'running' ? WAIT_S.running : WAIT_S.finishing)));
        const bound = (longestWait + 0.05) * 1000 + DEADLINE_MARGIN_MS + PROCESS_SLACK_MS;
        if (elapsedMs > bound) failures.push(`[seed ${SEED} synth app ${a}] took ${elapsedMs} ms, over the longest wait + poll + margin + room = ${bound} ms`);
      }
    } finally {
      for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
      Object.assign(process.env, saved);
      await e.close();
    }
    expect(failures).toEqual([]);
  });
});
