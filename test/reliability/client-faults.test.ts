/**
 * Seeded fault runs through the client path: DtsClient and lookupMany in this process against
 * in-process emulators (nothing here blocks the event loop, so the emulator keeps answering).
 *
 * Every run gets its own job (its own outcome and its own faults, consumed in order), so runs
 * can go concurrently and still be exact. Each run must end in the true report or in the error
 * the fault plan implies (code, request id when the answer had one, attempts), never in a false
 * "passed", and within its deadline. Failures print the suite seed and the run's plan;
 * `RELIABILITY_SEED=<seed>` reproduces them.
 */
import {
  describePlan, Draw, drawFaults, drawOutcome, expectedCall, Expected, faultEffect, FAULT_WEIGHTS, Outcome, pool, runJobId, runSeed, SEED,
} from './support';
import { lookupMany } from '../../src/dts/batch';
import { DtsClient } from '../../src/dts/client';
import { DEADLINE_MARGIN_MS } from '../../src/dts/deadline';
import { forgetLearnedVersions } from '../../src/dts/endpoints';
import { DtsError } from '../../src/dts/errors';
import { closeConnections } from '../../src/dts/http';
import { ApiVersion, CheckPhase, SyncCheckReport } from '../../src/dts/types';
import { EmulatorConfig, EmulatorFaultConfig, EmulatorJobConfig, RunningEmulator, startEmulator } from '../../src/emulator';
import { SLACK_MS } from '../support/time';

const CREDS = { secretId: 'AKIDRELIABILITY01', secretKey: 'reliability-secret-key-01' };
/**
 * Each run signs with a SecretId of its own: a throttled answer slows the request pace everyone
 * on one SecretId shares (src/dts/pace.ts), so runs on one key would slow each other and their
 * outcomes would no longer follow from their own plans alone.
 */
const credsFor = (run: { jobId: string }) => ({ secretId: `AKIDRELIABILITY-${run.jobId}`, secretKey: CREDS.secretKey });
const REGION = 'ap-guangzhou';
const FAIL_STEP = 4;

interface ClientRun {
  readonly group: string;
  readonly index: number;
  readonly seed: number;
  readonly jobId: string;
  readonly outcome: Outcome;
  readonly faults: EmulatorFaultConfig[];
  readonly apiVersion: ApiVersion;
  readonly via: 'client' | 'lookupMany';
  readonly maxAttempts: number;
  readonly attemptTimeoutMs: number;
  readonly deadlineMs: number;
  readonly wait?: { readonly timeoutSeconds: number; readonly pollIntervalSeconds: number };
  readonly checkSeconds?: number;
}

interface RunResult {
  readonly report?: SyncCheckReport;
  readonly error?: { code: string; requestId?: string; attempts?: number; message: string; described: string };
  readonly elapsedMs: number;
}

const emulators: RunningEmulator[] = [];
let runsDone = 0;

afterAll(async () => {
  await closeConnections();
  await Promise.all(emulators.map((e) => e.close()));
});

async function emulatorFor(runs: readonly ClientRun[], extra: EmulatorConfig = {}): Promise<RunningEmulator> {
  const jobs: EmulatorJobConfig[] = runs.map((r) => ({
    jobId: r.jobId,
    region: REGION,
    // The family of the version the run asks, so each look is one request as the plan counts it;
    // AUTO asks 2018-03-30 first, unless that action is retired.
    family: r.apiVersion === ApiVersion.V2021_12_06 || (r.apiVersion === ApiVersion.AUTO && extra.retired2018) ? '2021' : '2018',
    outcome: r.outcome,
    ...(r.outcome === 'failed' ? { failStep: FAIL_STEP } : {}),
    ...(r.checkSeconds !== undefined && r.outcome !== 'running' ? { checkSeconds: r.checkSeconds } : {}),
    ...(r.outcome === 'running' ? { checkSeconds: 0.05 } : {}),
    faults: r.faults,
  }));
  const e = await startEmulator({ credentials: [CREDS, ...runs.map(credsFor)], jobs, rateLimitPerSecond: 0, ...extra });
  emulators.push(e);
  return e;
}

async function execute(e: RunningEmulator, run: ClientRun): Promise<RunResult> {
  const options = {
    credentials: credsFor(run),
    maxAttempts: run.maxAttempts,
    attemptTimeoutSeconds: run.attemptTimeoutMs / 1000,
    deadlineSeconds: run.deadlineMs / 1000,
    requestsPerSecond: 1000,
  };
  const started = Date.now();
  if (run.via === 'lookupMany') {
    const [outcome] = await lookupMany([{ jobId: run.jobId, region: REGION, endpoint: e.url, apiVersion: run.apiVersion, wait: run.wait }], options);
    const elapsedMs = Date.now() - started;
    if (outcome.report) return { report: outcome.report, elapsedMs };
    const err = outcome.error as Record<string, unknown>;
    return {
      error: {
        code: String(err.code),
        requestId: err.requestId as string | undefined,
        attempts: err.attempts as number | undefined,
        message: String(err.message),
        described: `${String(err.message)} (code ${String(err.code)}${err.requestId ? `, request id ${String(err.requestId)}` : ''})`,
      },
      elapsedMs,
    };
  }
  const client = new DtsClient({ ...options, region: REGION, endpoint: e.url, apiVersion: run.apiVersion });
  try {
    const result = run.wait ? await client.waitForSyncCheck(run.jobId, run.wait) : await client.describeSyncCheck(run.jobId);
    return { report: result, elapsedMs: Date.now() - started };
  } catch (err) {
    const elapsedMs = Date.now() - started;
    if (!(err instanceof DtsError)) return { error: { code: 'NOT-A-DTS-ERROR', message: String(err), described: String(err) }, elapsedMs };
    const { code, requestId, attempts, message } = err;
    return { error: { code, requestId, attempts, message, described: err.describe() }, elapsedMs };
  }
}

/** Checks every run must pass whatever its plan: no false "passed", a true report, a clear error. */
function safety(run: ClientRun, r: RunResult, problems: string[]): void {
  if (r.report) {
    const rep = r.report;
    if (rep.passed && run.outcome !== 'passed') problems.push(`FALSE PASS: configured ${run.outcome}, reported passed`);
    if (rep.jobId !== run.jobId) problems.push(`report is for ${rep.jobId}`);
    if (run.outcome === 'running') {
      if (rep.phase === CheckPhase.FINISHED || rep.passed) problems.push(`a running check was reported ${rep.phase}/${rep.passed}`);
    } else if (rep.phase === CheckPhase.FINISHED) {
      if (rep.passed !== (run.outcome === 'passed')) problems.push(`finished check reported passed=${rep.passed}, configured ${run.outcome}`);
      if (run.outcome === 'failed' && rep.failedSteps[0]?.stepNo !== FAIL_STEP) problems.push(`the failed step is not ${FAIL_STEP}`);
    }
  } else if (r.error) {
    if (!r.error.code || !r.error.message) problems.push('an error without code or message');
    if (!r.error.described.includes(r.error.code)) problems.push(`the error does not name its code: ${r.error.described}`);
    if (r.error.requestId !== undefined && !r.error.described.includes(r.error.requestId)) problems.push('the error does not name its request id');
  } else {
    problems.push('neither a report nor an error');
  }
}

/** The exact end a single call must reach (describe mode). */
function exact(run: ClientRun, r: RunResult, expected: Expected, problems: string[], requestsSeen: number): void {
  if (expected.kind === 'report') {
    if (!r.report) problems.push(`expected the true report after ${expected.attempts} attempt(s), got error ${r.error?.code}: ${r.error?.message}`);
    else if (run.outcome !== 'running' && r.report.phase !== CheckPhase.FINISHED) problems.push(`expected a finished report, got ${r.report.phase}`);
  } else {
    if (!r.error) {
      problems.push(`expected error ${expected.code}, got a report (passed=${r.report?.passed})`);
      return;
    }
    if (r.error.code !== expected.code) problems.push(`expected error ${expected.code}, got ${r.error.code}: ${r.error.message}`);
    if (expected.hasRequestId && !r.error.requestId) problems.push(`error ${r.error.code} lacks the request id of its answer`);
    if (r.error.attempts !== expected.attempts) problems.push(`error after ${r.error.attempts} attempts, expected ${expected.attempts}`);
  }
  if (requestsSeen !== expected.attempts) problems.push(`the emulator saw ${requestsSeen} requests, expected ${expected.attempts}`);
}

function failureLine(run: ClientRun, r: RunResult, problems: string[]): string | undefined {
  if (problems.length === 0) return undefined;
  return `[seed ${SEED} group ${run.group} run ${run.index} (run seed ${run.seed}) ${run.via} ${run.apiVersion} job ${run.jobId} `
    + `${run.outcome}; ${describePlan(run.faults)}; ${r.elapsedMs} ms] ${problems.join('; ')}`;
}

function drawRun(group: string, index: number, prefix: string, shape: (d: Draw) => Partial<ClientRun>): ClientRun {
  const seed = runSeed(group, index);
  const d = new Draw(seed);
  const outcome = drawOutcome(d);
  const base: ClientRun = {
    group,
    index,
    seed,
    jobId: runJobId(prefix, index),
    outcome,
    faults: [],
    apiVersion: d.pick([ApiVersion.V2018_03_30, ApiVersion.V2021_12_06]),
    via: d.random() < 0.3 ? 'lookupMany' : 'client',
    maxAttempts: 4,
    // Some 60 runs share this process's event loop with their emulators on two busy cores: an
    // answer can take seconds to be read. Faults that must (not) time out an attempt are drawn
    // by the margins of test/README.md against this timeout (faultEffect).
    attemptTimeoutMs: 5_000,
    // Long enough that backoff never decides (expectedCall's assumption): 7 attempts, 6 pauses.
    deadlineMs: 120_000,
  };
  return { ...base, ...shape(d) };
}

/** The client's pool has 8 connections per origin (src/dts/http.ts). */
const PER_ORIGIN = 8;

/** One answered lookup per emulator before the timed runs, so first-use compilation is not timed. */
async function warmUp(e: RunningEmulator): Promise<void> {
  const client = new DtsClient({ region: REGION, endpoint: e.url, credentials: CREDS, requestsPerSecond: 1000, apiVersion: ApiVersion.V2021_12_06 });
  await client.describeSyncCheck('sync-warm0001').catch(() => undefined);
}

/**
 * Run `runs` over `shards` emulators (one origin each), at most PER_ORIGIN at a time per origin:
 * a run queued behind another run's stall would spend its attempt timeout waiting for one of the
 * client's 8 connections per origin, and its plan would no longer say exactly what happens.
 */
type RunCheck = (e: RunningEmulator, run: ClientRun) => Promise<string | undefined>;

async function sharded(runs: readonly ClientRun[], shards: number, extra: EmulatorConfig, check: RunCheck): Promise<string[]> {
  const failures: string[] = [];
  await Promise.all(Array.from({ length: shards }, async (_, s) => {
    const shard = runs.filter((r) => r.index % shards === s);
    const e = await emulatorFor(shard, extra);
    await warmUp(e);
    await pool(shard.map((run) => async () => {
      const line = await check(e, run);
      if (line) failures.push(line);
      runsDone++;
    }), PER_ORIGIN);
  }));
  return failures;
}

/**
 * A run's deadline rule held: it ended by its deadline plus the margin, with the room a busy
 * machine needs (test/README.md). The parameters of each group make a broken rule overshoot this.
 */
function withinRule(ruleMs: number, r: RunResult, problems: string[], what: string): void {
  const bound = ruleMs + DEADLINE_MARGIN_MS + SLACK_MS.inProcess;
  if (r.elapsedMs > bound) problems.push(`took ${r.elapsedMs} ms, over ${what} (${ruleMs} ms) + margin + room = ${bound} ms`);
}

describe('the client under seeded faults', () => {
  test('1,400 single lookups with random faults end in the true report or the exact error their plan implies', async () => {
    const runs = Array.from({ length: 1400 }, (_, i) =>
      drawRun('describe', i, 'd', (d) => ({ faults: drawFaults(d, { maxFaults: 3, slowBodyMs: [20, 60, 100, 12_000] }) })));
    const failures = await sharded(runs, 8, {}, async (e, run) => {
      const r = await execute(e, run);
      const problems: string[] = [];
      safety(run, r, problems);
      exact(run, r, expectedCall(run.faults, run), problems, e.requests.filter((q) => q.jobId === run.jobId).length);
      withinRule(run.deadlineMs, r, problems, 'the deadline');
      return failureLine(run, r, problems);
    });
    expect(failures).toEqual([]);
  });

  test('150 AUTO lookups against a retired 2018 action fall back and still end exactly as their plan implies, within the one deadline', async () => {
    const runs = Array.from({ length: 150 }, (_, i) =>
      drawRun('auto', i, 'a', (d) => ({
        apiVersion: ApiVersion.AUTO,
        faults: drawFaults(d, { maxFaults: 3, slowBodyMs: [20, 12_000], action: 'DescribeCheckSyncJobResult' }),
      })));
    const failures = await sharded(runs, 4, { retired2018: true }, async (e, run) => {
      // The client remembers a retired action per host; forgetting it makes (almost) every run pay
      // the fallback inside its own deadline. Concurrent runs may learn it for one another: then
      // they go straight to 2021-12-06, which is the rule too.
      forgetLearnedVersions();
      const r = await execute(e, run);
      const problems: string[] = [];
      safety(run, r, problems);
      if (r.report && r.report.apiVersion !== '2021-12-06') problems.push(`answered by ${r.report.apiVersion}`);
      const seen = e.requests.filter((q) => q.jobId === run.jobId && q.action === 'DescribeCheckSyncJobResult').length;
      const asked2018 = e.requests.filter((q) => q.jobId === run.jobId && q.action === 'DescribeSyncCheckJob').length;
      if (asked2018 > 1) problems.push(`asked the retired 2018 action ${asked2018} times`);
      exact(run, r, expectedCall(run.faults, run), problems, seen);
      withinRule(run.deadlineMs, r, problems, 'the one deadline of the lookup and its fallback');
      return failureLine(run, r, problems);
    });
    expect(failures).toEqual([]);
  });

  test('160 lookups against skewed server clocks learn the skew once per host and end exactly as their plan implies', async () => {
    // The learned skew is process-wide per host, so each host's runs go one after another.
    const kinds = [...FAULT_WEIGHTS.filter(([k]) => k !== 'stall' && k !== 'slowBody'), ['clockSkew', 8]] as const;
    const skews = [900, -1200, 4000, 0, 3600, -600, 86_400, 450];
    const failures: string[] = [];
    await Promise.all(skews.map(async (serverSkew, h) => {
      const runs = Array.from({ length: 20 }, (_, i) =>
        drawRun(`skew${h}`, i, `s${h}`, (d) => ({ faults: drawFaults(d, { maxFaults: 2, kinds, slowBodyMs: [20] }) })));
      const e = await emulatorFor(runs, { clockSkewSeconds: serverSkew });
      let clientSkew = 0;
      for (const run of runs) {
        const expected = expectedCall(run.faults, { ...run, serverSkewSeconds: serverSkew, clientSkewSeconds: clientSkew });
        const r = await execute(e, run);
        const problems: string[] = [];
        safety(run, r, problems);
        exact(run, r, expected, problems, e.requests.filter((q) => q.jobId === run.jobId).length);
        clientSkew = expected.clientSkewAfter;
        const line = failureLine(run, r, problems);
        if (line) failures.push(`${line} (server skew ${serverSkew} s)`);
        runsDone++;
      }
    }));
    expect(failures).toEqual([]);
  });

  test('200 waits with random faults end in the true final report, the unfinished one at the timeout, or an error their plan explains, within timeout + one poll interval', async () => {
    // Margins of test/README.md: a check that must finish does so in a tenth of the wait at most,
    // and its faults heal quickly (no stall); a check that never finishes gets stalls too, which
    // the wait's end must cut short.
    const quick = FAULT_WEIGHTS.filter(([k]) => k !== 'stall');
    const runs = Array.from({ length: 200 }, (_, i) =>
      drawRun('wait', i, 'w', (d) => {
        const finishing = d.random() < 0.75;
        const outcome: Outcome = finishing ? d.pick(['passed', 'failed'] as const) : 'running';
        return {
          outcome,
          checkSeconds: d.pick([0.1, 0.2, 0.3]),
          faults: finishing
            ? drawFaults(d, { maxFaults: 3, kinds: quick, slowBodyMs: [20, 60] })
            : drawFaults(d, { maxFaults: 3, slowBodyMs: [20, 12_000] }),
          wait: { timeoutSeconds: finishing ? 30 : 6, pollIntervalSeconds: d.pick([0.05, 0.1, 0.2]) },
        };
      }));
    const failures = await sharded(runs, 4, {}, async (e, run) => {
      const r = await execute(e, run);
      const problems: string[] = [];
      safety(run, r, problems);
      const effects = run.faults.map((f) => faultEffect(f, run.attemptTimeoutMs));
      const retryableOnly = effects.every((effect) => effect.code === undefined || effect.retryable);
      const counted = run.faults.filter((f) => !faultEffect(f, run.attemptTimeoutMs).throttled).reduce((n, f) => n + (f.times ?? 1), 0);
      if (r.error) {
        // Faults are consumed in order across looks; the error must be one the plan can produce,
        // or the deadline reached before any look answered while it retried.
        const codes = new Set(effects.map((effect) => effect.code).filter(Boolean));
        if (effects.some((effect) => effect.retryable)) codes.add('DeadlineExceeded');
        if (!codes.has(r.error.code)) problems.push(`error ${r.error.code} is not one the plan (${[...codes].join(', ')}) can produce`);
        if (run.outcome !== 'running' && retryableOnly && counted < run.maxAttempts) {
          problems.push(`${counted} retryable faults cannot exhaust ${run.maxAttempts} attempts within a ${run.wait!.timeoutSeconds} s wait, yet: ${r.error.code}`);
        }
      } else if (r.report) {
        const ranOut = new RegExp(`the wait of ${run.wait!.timeoutSeconds} s ran out$`);
        if (run.outcome === 'running' && !ranOut.test(r.report.reason)) problems.push(`unfinished report without the timeout reason: ${r.report.reason}`);
        if (run.outcome !== 'running' && r.report.phase !== CheckPhase.FINISHED) problems.push(`the wait ended unfinished (${r.report.reason})`);
      }
      withinRule((run.wait!.timeoutSeconds + run.wait!.pollIntervalSeconds) * 1000, r, problems, 'timeout + one poll interval');
      return failureLine(run, r, problems);
    });
    expect(failures).toEqual([]);
  });

  test('120 lookups that keep stalling give up within their deadline, never passing', async () => {
    // Without a deadline these runs would go on for their stalls' attempt timeouts and backoff,
    // far past the deadline plus the room.
    const runs = Array.from({ length: 120 }, (_, i) =>
      drawRun('deadline', i, 't', (d) => ({
        faults: [{ kind: 'stall', times: d.int(3, 8) }],
        maxAttempts: 10,
        attemptTimeoutMs: d.pick([800, 1200, 2000]),
        deadlineMs: d.pick([1500, 2500, 4000]),
      })));
    const failures = await sharded(runs, 4, {}, async (e, run) => {
      const r = await execute(e, run);
      const problems: string[] = [];
      safety(run, r, problems);
      if (r.error && !['DeadlineExceeded', 'AttemptTimeout'].includes(r.error.code)) problems.push(`unexpected error ${r.error.code}`);
      withinRule(run.deadlineMs, r, problems, 'the deadline');
      return failureLine(run, r, problems);
    });
    expect(failures).toEqual([]);
  });

  test('the client groups together made at least 2,000 seeded runs', () => {
    expect(runsDone).toBeGreaterThanOrEqual(2000);
  });
});
