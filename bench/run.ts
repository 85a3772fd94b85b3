/**
 * `npm run bench` (full, writes bench/RESULTS.md) and `npm run bench:smoke` (a very short run of
 * every benchmark, no file). Each benchmark reports ratios measured side by side in the same run.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, release, type } from 'node:os';
import * as path from 'node:path';
import { applyThrottle } from './apply-throttle';
import { applyWall } from './apply-wall';
import { coldLookup } from './cold-lookup';
import { manyChecks } from './many-checks';
import { memory } from './memory';
import { BenchResult, consoleTable, markdownTable } from './stats';
import { sustained } from './sustained';
import { synthGates } from './synth-gates';
import { synthOverhead } from './synth-overhead';

async function main(): Promise<number> {
  const smoke = process.argv.includes('--smoke');
  const only = process.argv.find((a) => a.startsWith('--only='))?.slice('--only='.length);
  const benchmarks: Array<[string, () => Promise<BenchResult>]> = [
    ['cold', () => coldLookup({ runs: smoke ? 2 : 21 })],
    ['synth', () => synthOverhead({ runs: smoke ? 1 : 10 })],
    ['gates', () => synthGates({ runs: smoke ? 1 : 10 })],
    ['sustained', () => sustained({ lookups: smoke ? 60 : 1000 })],
    ['memory', () => memory({ runs: smoke ? 1 : 10 })],
    ['apply', () => applyWall({ sizes: smoke ? [10] : [10, 100], runs: smoke ? 1 : 5 })],
    ['throttle', () => applyThrottle({ gates: smoke ? 20 : 100, runs: smoke ? 1 : 3 })],
    ['many', () => manyChecks({ checks: smoke ? 60 : 2000 })],
  ];
  const machine = `${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores, ${type()} ${release()}, node ${process.version}`;
  process.stdout.write(`benchmarks${smoke ? ' (smoke)' : ''} on ${machine}\n\n`);
  const results: BenchResult[] = [];
  const loads = new Map<BenchResult, string>();
  for (const [name, bench] of benchmarks) {
    if (only && only !== name) continue;
    const started = Date.now();
    // The machine may be shared: its load average says how much the absolute numbers can be trusted.
    const loadBefore = loadavg()[0];
    const result = await bench();
    results.push(result);
    loads.set(result, `load average (1 min) ${loadBefore.toFixed(1)} at the start, ${loadavg()[0].toFixed(1)} at the end`);
    process.stdout.write(`${consoleTable(result)}\n   (${((Date.now() - started) / 1000).toFixed(1)} s, ${loads.get(result)})\n\n`);
  }
  if (!smoke) {
    const sections = results.map((r) => ({
      heading: `## ${r.name}`,
      body: [`${r.method} Machine: ${loads.get(r)}.`, '', markdownTable(r.rows), '', ...(r.notes ?? []).map((n) => `Note: ${n}\n`)].join('\n').trimEnd(),
    }));
    const file = path.join(__dirname, 'RESULTS.md');
    const today = new Date().toISOString().slice(0, 10);
    if (only) {
      // One benchmark: its section is replaced (or added), the others keep the full run's numbers.
      writeFileSync(file, withSection(readFileSync(file, 'utf8'), sections[0], `Updated alone by \`npm run bench -- --only=${only}\` on ${today}.`));
      process.stdout.write(`updated its section of bench/RESULTS.md\n`);
    } else {
      const md = ['# Benchmark results', '', `Written by \`npm run bench\` on ${today}.`, '', `Machine: ${machine}.`, '', ...sections.flatMap((x) => [x.heading, '', x.body, ''])].join('\n');
      writeFileSync(file, `${md.trimEnd()}\n`);
      process.stdout.write('wrote bench/RESULTS.md\n');
    }
  }
  const missed = results.flatMap((r) => r.rows.filter((row) => row.met === false).map((row) => `${r.name}: ${row.measure}`));
  if (missed.length > 0) process.stdout.write(`targets missed:\n${missed.map((m) => `  - ${m}`).join('\n')}\n`);
  // A missed target is reported, not an error: the run itself worked.
  return 0;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`benchmark failed: ${(e as Error)?.stack ?? String(e)}\n`);
    process.exit(1);
  },
);

/**
 * RESULTS.md with one section (`## heading` up to the next `## `) replaced by `section`, or added
 * at the end, stamped so a reader sees it was measured apart from the rest.
 */
function withSection(md: string, section: { heading: string; body: string }, stamp: string): string {
  const parts = md.trimEnd().split(/\n(?=## )/);
  const text = [section.heading, '', stamp, '', section.body].join('\n');
  const i = parts.findIndex((p) => p.split('\n')[0] === section.heading);
  if (i >= 0) parts[i] = text;
  else parts.push(text);
  return `${parts.map((p) => p.trimEnd()).join('\n\n')}\n`;
}
