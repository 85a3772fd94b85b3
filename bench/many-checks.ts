/**
 * Many checks in one app: a stack of N SyncCheckResults synthesized in a fresh node process (one
 * synth-time batch of N lookups) against an emulator process at the documented 20 requests/s.
 * The rule: wall <= 1.15 x (N / 20 s) + 2 s, and no lookup fails on its deadline.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import { manyJobId } from './many-app';
import { buildApp, cleanEnv, freshRateDir, OUT, pause, startEmulatorProc, timeNode } from './procs';
import { BenchResult, fmtMs, Row } from './stats';

const LIMIT = 20;

export async function manyChecks(opts: { checks: number }): Promise<BenchResult> {
  const n = opts.checks;
  const app = buildApp('many-app');
  const emulator = await startEmulatorProc('many', {
    rateLimitPerSecond: LIMIT,
    jobs: Array.from({ length: n }, (_, i) => ({ jobId: manyJobId(i), region: 'ap-guangzhou', family: '2018' as const })),
  });
  const outdir = mkdtempSync(path.join(OUT, 'many-'));
  const env = cleanEnv({
    DTS_SYNC_CHECK_ENDPOINT: emulator.url,
    NODE_PATH: path.join(__dirname, '..', 'node_modules'),
    DTS_SYNC_CHECK_RATE_DIR: freshRateDir(),
  });
  let run;
  let throttled = 0;
  let requests = 0;
  try {
    run = timeNode([app, String(n), outdir], env, 30 * 60_000);
    await pause(300); // the last log lines cross a pipe
    const entries = emulator.entries();
    requests = entries.length;
    throttled = entries.filter((e) => e.outcome === 'RequestLimitExceeded').length;
  } finally {
    await emulator.close();
    rmSync(outdir, { recursive: true, force: true });
  }
  if (run.status !== 0) throw new Error(`the app of ${n} checks exited ${run.status}: ${run.stderr.slice(-800)}`);
  const summary = JSON.parse(run.stdout.trim().split('\n').pop()!) as { passed: number; failed: number; deadline: number; lookupMs: number; firstFailure?: string };
  const limitMs = 1.15 * (n / LIMIT) * 1000 + 2000;
  // A wall time with lookups that gave up early is no measure of the rule: it only counts when all passed.
  const allPassed = summary.passed === n;
  const rows: Row[] = [
    {
      measure: `${n} checks: app wall (construct, one batch, synth)`,
      value: fmtMs(run.ms),
      target: `<= ${fmtMs(limitMs)}, all passed`,
      met: allPassed && run.ms <= limitMs,
      by: allPassed ? `by ${fmtMs(run.ms - limitMs)}` : `(${n - summary.passed} lookups did not pass)`,
    },
    { measure: 'of which the synth-time batch', value: fmtMs(summary.lookupMs) },
    { measure: 'wall / (N / 20 s)', value: `${(run.ms / ((n / LIMIT) * 1000)).toFixed(2)}x` },
    { measure: 'lookups failed on their deadline (DeadlineExceeded)', value: String(summary.deadline), target: '0', met: summary.deadline === 0, by: `by ${summary.deadline}` },
    { measure: 'lookups passed / failed', value: `${summary.passed} / ${summary.failed}` },
    { measure: 'requests / throttled answers', value: `${requests} / ${throttled}` },
  ];
  const notes = summary.firstFailure ? [`first failure: ${summary.firstFailure.slice(0, 300)}`] : [];
  if (summary.deadline > 0) {
    notes.push(`At 20 per 1.1 s, ${n} lookups need about ${fmtMs((n / LIMIT) * 1100)}; a lookup whose turn comes after its call's deadline (deadlineSeconds, 60 s by default) fails at once with DeadlineExceeded instead of waiting.`);
  }
  return {
    name: `Many checks in one app (${n} SyncCheckResults, emulator at ${LIMIT} requests/s)`,
    method: `One fresh node process running an esbuild bundle of bench/many-app.ts: ${n} constructs, one synth-time batch, report-only enforcement so every outcome is counted.`,
    rows,
    notes,
  };
}
