/**
 * Synthesis overhead: the same stack with 0, 1, 20 and 100 SyncCheckResults, each size in a fresh
 * node process, against an emulator process at its default 20 requests/s. Sizes are interleaved
 * in rotating order; between two runs the benchmark waits 1.2 s (untimed) so each run meets an
 * empty rate-limit window, as one synthesis after another would.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import { buildApp, cleanEnv, OUT, pause, startEmulatorProc, timeNode } from './procs';
import { BenchResult, fmtMs, median, Row } from './stats';
import { benchJobId } from './synth-app';

const SIZES = [0, 1, 20, 100];

export async function synthOverhead(opts: { runs: number }): Promise<BenchResult> {
  const app = buildApp('synth-app');
  const emulator = await startEmulatorProc('synth', {
    jobs: Array.from({ length: 100 }, (_, i) => ({ jobId: benchJobId(i), region: 'ap-guangzhou', family: '2018' as const })),
  });
  // The app resolves cdktf and constructs from the repository's node_modules.
  const env = cleanEnv({ DTS_SYNC_CHECK_ENDPOINT: emulator.url, NODE_PATH: path.join(__dirname, '..', 'node_modules') });
  const times: Record<number, number[]> = Object.fromEntries(SIZES.map((n) => [n, []]));
  const outdir = mkdtempSync(path.join(OUT, 'synth-'));
  let throttled = 0;
  try {
    for (const n of SIZES) run(app, n, outdir, env); // untimed warm-up of each size
    await pause(1200);
    for (let i = 0; i < opts.runs; i++) {
      for (let k = 0; k < SIZES.length; k++) {
        const n = SIZES[(i + k) % SIZES.length];
        const before = emulator.entries().length;
        times[n].push(run(app, n, outdir, env));
        await pause(1200);
        throttled += emulator.entries().slice(before).filter((e) => e.outcome === 'RequestLimitExceeded').length;
      }
    }
  } finally {
    await emulator.close();
    rmSync(outdir, { recursive: true, force: true });
  }
  const m = Object.fromEntries(SIZES.map((n) => [n, median(times[n])])) as Record<number, number>;
  const oneOver = m[1] - m[0];
  const hundredLimit = 1.1 * (100 / 20) * 1000 + 1000;
  const rows: Row[] = [
    ...SIZES.map((n) => ({ measure: `${n} checks: median synth wall`, value: fmtMs(m[n]) })),
    {
      measure: '1 check over 0 checks',
      value: fmtMs(oneOver),
      target: '<= 150 ms',
      met: oneOver <= 150,
      by: `by ${fmtMs(oneOver - 150)}`,
    },
    {
      measure: '100 checks vs 1.1 x (100/20 s) + 1 s',
      value: `${(m[100] / hundredLimit).toFixed(2)}x of ${fmtMs(hundredLimit)}`,
      target: '<= 1.00x',
      met: m[100] <= hundredLimit,
      by: `by ${fmtMs(m[100] - hundredLimit)}`,
    },
    { measure: '20 checks over 0 checks', value: fmtMs(m[20] - m[0]) },
    {
      measure: 'RequestLimitExceeded answers (all runs)',
      value: String(throttled),
      target: '0',
      met: throttled === 0,
      by: `by ${throttled}`,
    },
  ];
  return {
    name: 'Synthesis overhead (0, 1, 20, 100 checks; emulator at 20 requests/s)',
    method: `${opts.runs} rounds of the four sizes, interleaved in rotating order, each a fresh node process running an esbuild bundle of bench/synth-app.ts; medians.`,
    rows,
  };
}

function run(app: string, n: number, outdir: string, env: NodeJS.ProcessEnv): number {
  const r = timeNode([app, String(n), outdir], env);
  if (r.status !== 0) throw new Error(`synth of ${n} checks exited ${r.status}: ${r.stderr.slice(-800)}`);
  return r.ms;
}
