/**
 * Throttling during an apply: `terraform apply -parallelism=N` of N terraform_data gates (real
 * gate processes, one request each) against emulator processes that allow 20 and 5 requests/s
 * per SecretId. The shared limit (the default) runs side by side with each gate pacing only
 * itself (`DTS_SYNC_CHECK_SHARED_RATE_LIMIT=false`, what every release before it did).
 */
import { gateJobId } from './apply-wall';
import { cleanEnv, EmulatorProc, freshRateDir, LOOKUP, pause, startEmulatorProc } from './procs';
import { BenchResult, fmtMs, median, Row } from './stats';
import { applyStack, gateStack, terraformVersion } from './terraform';

const THROTTLED_SHARE_TARGET = 0.02;

interface Tally {
  failedGates: number;
  requests: number;
  throttled: number;
  walls: number[];
}

export async function applyThrottle(opts: { gates: number; runs: number }): Promise<BenchResult> {
  const name = `Throttling during an apply (${opts.gates} terraform_data gates, -parallelism=${opts.gates})`;
  const env = cleanEnv({ TF_IN_AUTOMATION: '1' });
  const tf = terraformVersion(env);
  if (!tf) {
    process.stdout.write('terraform was not found on PATH: the throttling benchmark is skipped\n');
    return { name, method: 'skipped: terraform was not found on PATH.', rows: [{ measure: 'terraform on PATH', value: 'absent (skipped)' }] };
  }
  const jobs = Array.from({ length: opts.gates }, (_, i) => ({ jobId: gateJobId(i), region: 'ap-guangzhou', family: '2018' as const }));
  const emulators: Record<number, EmulatorProc> = {};
  for (const limit of [20, 5]) emulators[limit] = await startEmulatorProc(`throttle-${limit}`, { rateLimitPerSecond: limit, jobs });
  const stacks = Object.fromEntries([20, 5].map((limit) => [limit, gateStack(`throttle${limit}`, opts.gates, {
    command: `node "${LOOKUP}" gate`,
    environment: (i) => ({ DTS_SYNC_CHECK_JOB_ID: gateJobId(i), DTS_SYNC_CHECK_REGION: 'ap-guangzhou', DTS_SYNC_CHECK_ENDPOINT: emulators[limit].url }),
  }, env)]));
  const configs = [20, 5].flatMap((limit) => [{ limit, shared: true }, { limit, shared: false }]);
  const tallies = new Map<string, Tally>(configs.map((c) => [key(c), { failedGates: 0, requests: 0, throttled: 0, walls: [] }]));
  try {
    for (let i = 0; i < opts.runs; i++) {
      for (let k = 0; k < configs.length; k++) {
        const c = configs[(i + k) % configs.length];
        const emulator = emulators[c.limit];
        const before = emulator.entries().length;
        // A fresh folder per apply, so no backoff learned in one run carries into the next.
        const runEnv = { ...env, DTS_SYNC_CHECK_RATE_DIR: freshRateDir(), DTS_SYNC_CHECK_SHARED_RATE_LIMIT: String(c.shared) };
        const r = await applyStack(stacks[c.limit], opts.gates, runEnv);
        await pause(1500); // the emulator's window empties; its last log lines cross a pipe
        const entries = emulator.entries().slice(before);
        const t = tallies.get(key(c))!;
        t.failedGates += r.failedGates;
        t.requests += entries.length;
        t.throttled += entries.filter((e) => e.outcome === 'RequestLimitExceeded').length;
        t.walls.push(r.ms);
      }
    }
  } finally {
    for (const s of Object.values(stacks)) s.remove();
    for (const e of Object.values(emulators)) await e.close();
  }
  const rows: Row[] = [];
  for (const c of configs) {
    const t = tallies.get(key(c))!;
    const share = t.requests === 0 ? 0 : t.throttled / t.requests;
    const label = `${c.limit}/s, ${c.shared ? 'shared limit' : 'each gate alone (before)'}`;
    const failedRow: Row = c.shared
      ? { measure: `${label}: failed gates`, value: `${t.failedGates} of ${opts.gates * opts.runs}`, target: '0', met: t.failedGates === 0, by: `by ${t.failedGates}` }
      : { measure: `${label}: failed gates`, value: `${t.failedGates} of ${opts.gates * opts.runs}` };
    const shareRow: Row = c.shared && c.limit === 20
      ? {
        measure: `${label}: throttled answers`,
        value: `${t.throttled} of ${t.requests} (${(share * 100).toFixed(1)}%)`,
        target: `<= ${THROTTLED_SHARE_TARGET * 100}%`,
        met: share <= THROTTLED_SHARE_TARGET,
        by: `by ${((share - THROTTLED_SHARE_TARGET) * 100).toFixed(1)} points`,
      }
      : { measure: `${label}: throttled answers`, value: `${t.throttled} of ${t.requests} (${(share * 100).toFixed(1)}%)` };
    rows.push(failedRow, shareRow, { measure: `${label}: median apply wall`, value: fmtMs(median(t.walls)) });
  }
  return {
    name,
    method: `${opts.runs} rounds of four applies (emulator at 20/s and 5/s; shared limit and each gate alone), interleaved in rotating order, each from an empty state with ${tf}; totals over all rounds.`,
    rows,
    notes: [
      'A gate that is throttled retries with backoff; it fails when its attempts or its deadline run out. '
        + 'With the shared limit, a throttled answer also slows every gate (by a tenth, by half when throttled again within 4 s), and the pace recovers by 5% of the rate per second.',
    ],
  };
}

const key = (c: { limit: number; shared: boolean }) => `${c.limit}/${c.shared}`;
