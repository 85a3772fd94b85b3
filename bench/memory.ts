/**
 * Peak memory (maximum resident set size) of one cold lookup process, from `/usr/bin/time -v`
 * where present, else from `process.resourceUsage().maxRSS` reported by the process itself at exit.
 * The official client and the floor are measured alongside for context.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { CLI, cleanEnv, startEmulatorProc } from './procs';
import { BenchResult, fmtMiB, max, median, Row } from './stats';

const JOB = 'sync-blj8wnt1';
const LIMIT_MIB = 70;

/** Max RSS of one run, in KiB. */
function maxRssKiB(args: string[], env: NodeJS.ProcessEnv): number {
  if (existsSync('/usr/bin/time')) {
    const r = spawnSync('/usr/bin/time', ['-v', process.execPath, ...args], { env, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`memory: exit ${r.status}: ${r.stderr.slice(-500)}`);
    const m = /Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr);
    if (!m) throw new Error('memory: /usr/bin/time -v printed no maximum resident set size');
    return Number(m[1]);
  }
  // The process reports its own peak RSS as it exits.
  const r = spawnSync(process.execPath, ['-r', path.join(__dirname, 'scripts', 'report-rss.js'), ...args], { env, encoding: 'utf8' });
  const m = /MAXRSS_KIB=(\d+)/.exec(r.stderr);
  if (r.status !== 0 || !m) throw new Error(`memory: exit ${r.status}: ${r.stderr.slice(-500)}`);
  return Number(m[1]);
}

export async function memory(opts: { runs: number }): Promise<BenchResult> {
  const emulator = await startEmulatorProc('memory', { rateLimitPerSecond: 0, jobs: [{ jobId: JOB, region: 'ap-guangzhou', family: '2018' as const }] });
  const env = cleanEnv();
  const contenders: Record<string, string[]> = {
    ours: [CLI, 'check', '--job-id', JOB, '--region', 'ap-guangzhou', '--endpoint', emulator.url, '--output', 'json'],
    official: [path.join(__dirname, 'scripts', 'official-lookup.js'), String(emulator.port), JOB],
    floor: [path.join(__dirname, 'scripts', 'floor-lookup.js'), String(emulator.port), JOB],
  };
  const rss: Record<string, number[]> = { ours: [], official: [], floor: [] };
  try {
    for (let i = 0; i < opts.runs; i++) for (const n of Object.keys(contenders)) rss[n].push(maxRssKiB(contenders[n], env));
  } finally {
    await emulator.close();
  }
  const peak = max(rss.ours);
  const rows: Row[] = [
    {
      measure: 'dts-sync-check check: peak RSS (max of runs)',
      value: fmtMiB(peak),
      target: `<= ${LIMIT_MIB} MiB`,
      met: peak <= LIMIT_MIB * 1024,
      by: `by ${fmtMiB(peak - LIMIT_MIB * 1024)}`,
    },
    { measure: 'dts-sync-check check: peak RSS (median)', value: fmtMiB(median(rss.ours)) },
    { measure: 'official CommonClient script: peak RSS (median)', value: fmtMiB(median(rss.official)) },
    { measure: 'floor: bare node:http request: peak RSS (median)', value: fmtMiB(median(rss.floor)) },
  ];
  return {
    name: 'Peak memory of one cold lookup',
    method: `${opts.runs} runs of each, ${existsSync('/usr/bin/time') ? '/usr/bin/time -v' : 'process.resourceUsage().maxRSS'} "Maximum resident set size".`,
    rows,
  };
}
