/**
 * Apply wall time: `terraform apply -parallelism=100` of N terraform_data gates that run the
 * bundled lookup script (`node <lookup> gate` against an emulator process at the documented
 * 20 requests/s), against the same stack whose gates run `node -e 0`. The two stacks of each
 * size run interleaved in rotating order, each apply from an empty state; medians and their ratio.
 */
import { cleanEnv, freshRateDir, LOOKUP, pause, startEmulatorProc } from './procs';
import { BenchResult, fmtMs, median, ratioRow, Row } from './stats';
import { applyStack, GateStack, gateStack, terraformVersion } from './terraform';

const PARALLELISM = 100;
const LIMIT = 20;
const RATIO_TARGET = 1.3;
export const gateJobId = (i: number): string => `sync-g${String(i).padStart(7, '0')}`;

export async function applyWall(opts: { sizes: readonly number[]; runs: number }): Promise<BenchResult> {
  const name = `Apply wall time (terraform_data gates, -parallelism=${PARALLELISM}, emulator at ${LIMIT} requests/s)`;
  const env = cleanEnv({ TF_IN_AUTOMATION: '1' });
  const tf = terraformVersion(env);
  if (!tf) return skipped(name);
  const largest = Math.max(...opts.sizes);
  const emulator = await startEmulatorProc('apply-wall', {
    rateLimitPerSecond: LIMIT,
    jobs: Array.from({ length: largest }, (_, i) => ({ jobId: gateJobId(i), region: 'ap-guangzhou', family: '2018' as const })),
  });
  const gateEnv = (i: number) => ({ DTS_SYNC_CHECK_JOB_ID: gateJobId(i), DTS_SYNC_CHECK_REGION: 'ap-guangzhou', DTS_SYNC_CHECK_ENDPOINT: emulator.url });
  const stacks: Array<{ size: number; variant: 'lookup' | 'bare'; stack: GateStack }> = [];
  const times = new Map<string, number[]>();
  let failed = 0;
  let throttled = 0;
  try {
    for (const size of opts.sizes) {
      stacks.push({ size, variant: 'lookup', stack: gateStack(`lookup${size}`, size, { command: `node "${LOOKUP}" gate`, environment: gateEnv }, env) });
      stacks.push({ size, variant: 'bare', stack: gateStack(`bare${size}`, size, { command: 'node -e 0', environment: gateEnv }, env) });
    }
    const once = async (s: (typeof stacks)[number]) => {
      // A fresh shared-limit folder per apply: each apply meets an idle limit, as one apply after another would.
      const runEnv = { ...env, DTS_SYNC_CHECK_RATE_DIR: freshRateDir() };
      const before = emulator.entries().length;
      const r = await applyStack(s.stack, PARALLELISM, runEnv);
      if (r.status !== 0 && r.failedGates === 0) throw new Error(`terraform apply of ${s.variant} x${s.size} exited ${r.status}: ${r.output.slice(-1500)}`);
      failed += r.failedGates;
      await pause(1200); // the emulator's window empties; its last log lines cross a pipe
      throttled += emulator.entries().slice(before).filter((e) => e.outcome === 'RequestLimitExceeded').length;
      return r.ms;
    };
    for (const s of stacks) await once(s); // untimed warm-up: provider schema, file system cache
    for (let i = 0; i < opts.runs; i++) {
      for (let k = 0; k < stacks.length; k++) {
        const s = stacks[(i + k) % stacks.length];
        const key = `${s.variant}${s.size}`;
        times.set(key, [...(times.get(key) ?? []), await once(s)]);
      }
    }
  } finally {
    for (const s of stacks) s.stack.remove();
    await emulator.close();
  }
  const m = (key: string) => median(times.get(key) ?? []);
  const rows: Row[] = opts.sizes.flatMap((size) => [
    { measure: `${size} gates running the lookup (median wall)`, value: fmtMs(m(`lookup${size}`)) },
    { measure: `${size} gates running node -e 0 (median wall)`, value: fmtMs(m(`bare${size}`)) },
    ratioRow(`${size} gates: lookup / node -e 0`, m(`lookup${size}`) / m(`bare${size}`), RATIO_TARGET),
  ]);
  rows.push(
    { measure: 'failed gates (all runs)', value: String(failed), target: '0', met: failed === 0, by: `by ${failed}` },
    { measure: 'RequestLimitExceeded answers (all runs)', value: String(throttled) },
  );
  const notes: string[] = [];
  const minimumMs = ((largest - 1) * 1000) / LIMIT;
  if (opts.sizes.includes(largest)) {
    notes.push(`${largest} gates cannot finish in less than ${fmtMs(minimumMs)} at ${LIMIT} requests/s: the limit, shared by every gate process, spaces their requests.`);
  }
  return {
    name,
    method: `${opts.runs} rounds of ${opts.sizes.length * 2} stacks (${opts.sizes.join(', ')} gates; the lookup and node -e 0), interleaved in rotating order after an untimed warm-up, each \`terraform apply\` from an empty state with ${tf}; medians.`,
    rows,
    notes,
  };
}

function skipped(name: string): BenchResult {
  process.stdout.write('terraform was not found on PATH: the apply benchmark is skipped\n');
  return { name, method: 'skipped: terraform was not found on PATH.', rows: [{ measure: 'terraform on PATH', value: 'absent (skipped)' }] };
}
