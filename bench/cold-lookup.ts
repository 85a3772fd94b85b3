/**
 * Cold lookup: one `dts-sync-check check ... --output json` process for one job, against the
 * official SDK's CommonClient doing the same action and a floor of one bare node:http request.
 * The three run interleaved (A B C, B C A, C A B, ...) against one emulator process, so machine
 * noise lands on all of them alike; the ratios of medians are reported.
 */
import { statSync } from 'node:fs';
import * as path from 'node:path';
import { CLI, cleanEnv, startEmulatorProc, timeNode } from './procs';
import { BenchResult, fmtMs, median, ratioRow, Row } from './stats';

const JOB = 'sync-blj8wnt1';

export async function coldLookup(opts: { runs: number }): Promise<BenchResult> {
  const emulator = await startEmulatorProc('cold', { rateLimitPerSecond: 0, jobs: [{ jobId: JOB, region: 'ap-guangzhou', family: '2018' as const }] });
  const env = cleanEnv();
  const check = [CLI, 'check', '--job-id', JOB, '--region', 'ap-guangzhou', '--endpoint', emulator.url, '--output', 'json'];
  const contenders: Record<string, string[]> = {
    ours: check,
    // The same lookup pacing only itself, as every release before the shared limit did: the
    // shared limit's cost on the fast path (one lookup, no contention) is ours / alone.
    alone: check,
    official: [path.join(__dirname, 'scripts', 'official-lookup.js'), String(emulator.port), JOB],
    floor: [path.join(__dirname, 'scripts', 'floor-lookup.js'), String(emulator.port), JOB],
    // Not contenders: they split our time into node's start, the bundle's load and the lookup.
    bare: ['-e', '0'],
    help: [CLI, '--help'],
  };
  const names = Object.keys(contenders);
  const envs: Record<string, NodeJS.ProcessEnv> = { alone: { ...env, DTS_SYNC_CHECK_SHARED_RATE_LIMIT: 'false' } };
  const times: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
  try {
    // One untimed run each: the first start-up pays for the file system cache.
    for (const n of names) expectExit0(n, timeNode(contenders[n], envs[n] ?? env));
    for (let i = 0; i < opts.runs; i++) {
      for (let k = 0; k < names.length; k++) {
        const n = names[(i + k) % names.length];
        const r = timeNode(contenders[n], envs[n] ?? env);
        expectExit0(n, r);
        times[n].push(r.ms);
      }
    }
  } finally {
    await emulator.close();
  }
  const m = Object.fromEntries(names.map((n) => [n, median(times[n])])) as Record<string, number>;
  const rows: Row[] = [
    { measure: 'dts-sync-check check (median wall)', value: fmtMs(m.ours) },
    { measure: 'official CommonClient script (median wall)', value: fmtMs(m.official) },
    { measure: 'floor: bare node:http request (median wall)', value: fmtMs(m.floor) },
    ratioRow('ours / official', m.ours / m.official, 1.0),
    ratioRow('ours / floor', m.ours / m.floor, 1.3),
    ratioRow('shared rate limit / each process alone (the shared limit\'s fast-path cost)', m.ours / m.alone, 1.05),
    { measure: 'breakdown: node start (node -e 0)', value: fmtMs(m.bare) },
    { measure: 'breakdown: + loading the bundle (dts-sync-check --help)', value: fmtMs(m.help - m.bare) },
    { measure: 'breakdown: + the lookup (check modules, undici, signing, request, exit)', value: fmtMs(m.ours - m.help) },
    { measure: 'breakdown: the floor\'s request (floor - node start)', value: fmtMs(m.floor - m.bare) },
  ];
  const notes: string[] = [];
  if (m.ours / m.floor > 1.3) {
    const bundleKiB = Math.round(statSync(CLI).size / 1024);
    notes.push(`ours is ${fmtMs(m.ours - m.floor)} above the floor. Loading the ${bundleKiB} KiB bundle costs ${fmtMs(m.help - m.bare)}; `
      + 'the lookup then loads undici\'s Pool and HTTP/1 client and compiles its llhttp WebAssembly (at the baseline tier: '
      + 'preferFastStartup is on), where the floor uses node:http\'s built-in native parser. Meeting the target would take a '
      + 'node:http transport for the one-shot, no-proxy case.');
  }
  return {
    name: 'Cold lookup (one process, one job, exit 0)',
    method: `${opts.runs} rounds of the three contenders, ours pacing itself alone, and two breakdown runs, interleaved in rotating order, each a fresh node process against one emulator process; medians.`,
    rows,
    notes,
  };
}

function expectExit0(name: string, r: { status: number | null; stderr: string }): void {
  if (r.status !== 0) throw new Error(`cold lookup: ${name} exited ${r.status}: ${r.stderr.slice(0, 500)}`);
}
