/**
 * Synthesis cost of the gate resource type: one stack of 100 SyncCheckResults with
 * terraform_data gates against the same stack with null_resource gates, both with stubbed
 * verdicts (the `dts-sync-check:stub-reports` context), so only synthesis is measured. A third,
 * context-only variant writes the same 100 resources with cdktf's `DataResource`, as the gate
 * did before, to show what its per-resource `terraform version` validation cost.
 *
 * Each run is a fresh node process running an esbuild bundle of this file (`--app`), the three
 * variants interleaved in rotating order, so they share the machine's state side by side.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import { App, DataResource, TerraformStack } from 'cdktf';
// eslint-disable-next-line import/no-extraneous-dependencies -- benchmarks are development tooling, like the tests
import { buildSync } from 'esbuild';
import { cleanEnv, OUT, ROOT, timeNode } from './procs';
import { BenchResult, fmtMs, median, ratioRow, Row } from './stats';
import { GateResourceType } from '../src/gate';
import { SyncCheckResult } from '../src/sync-check-result';

const GATES = 100;
const VARIANTS = ['null_resource', 'terraform_data', 'DataResource (before)'] as const;
type Variant = (typeof VARIANTS)[number];

const jobId = (i: number): string => `sync-gate${String(i).padStart(4, '0')}`;

export async function synthGates(opts: { runs: number }): Promise<BenchResult> {
  const bundle = path.join(OUT, 'synth-gates-app.js');
  buildSync({
    entryPoints: [__filename],
    outfile: bundle,
    bundle: true,
    platform: 'node',
    target: 'node20',
    external: ['cdktf', 'constructs', '@cdktf/provider-null', 'undici', 'esbuild'],
    // src/bundles.ts finds lib/bin/ relative to its own folder; in this bundle that is bench/out/.
    define: { __dirname: JSON.stringify(path.join(ROOT, 'src')) },
    logLevel: 'error',
  });
  // No endpoint and no credentials: a lookup that escaped the stubs would fail the run.
  const env = cleanEnv({ NODE_PATH: path.join(ROOT, 'node_modules'), TENCENTCLOUD_SECRET_ID: '', TENCENTCLOUD_SECRET_KEY: '' });
  const outdir = mkdtempSync(path.join(OUT, 'synth-gates-'));
  const times: Record<Variant, number[]> = { 'null_resource': [], 'terraform_data': [], 'DataResource (before)': [] };
  const failed: Partial<Record<Variant, string>> = {};
  try {
    for (const v of VARIANTS) run(bundle, v, outdir, env); // untimed warm-up of each variant
    for (let i = 0; i < opts.runs; i++) {
      for (let k = 0; k < VARIANTS.length; k++) {
        const v = VARIANTS[(i + k) % VARIANTS.length];
        const r = run(bundle, v, outdir, env);
        if (typeof r === 'number') times[v].push(r);
        else failed[v] = r;
      }
    }
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
  for (const v of ['null_resource', 'terraform_data'] as const) {
    if (failed[v]) throw new Error(`synth of ${GATES} ${v} gates failed: ${failed[v]}`);
  }
  const m = Object.fromEntries(VARIANTS.map((v) => [v, median(times[v])])) as Record<Variant, number>;
  const rows: Row[] = [
    { measure: `${GATES} null_resource gates: median synth wall`, value: fmtMs(m.null_resource) },
    { measure: `${GATES} terraform_data gates: median synth wall`, value: fmtMs(m.terraform_data) },
    ratioRow('terraform_data / null_resource', m.terraform_data / m.null_resource, 1.2),
    failed['DataResource (before)']
      ? { measure: `${GATES} DataResource gates (before): median synth wall`, value: `not measured: ${failed['DataResource (before)'].slice(0, 120)}` }
      : { measure: `${GATES} DataResource gates (before) / null_resource`, value: `${(m['DataResource (before)'] / m.null_resource).toFixed(2)}x (${fmtMs(m['DataResource (before)'])})` },
  ];
  return {
    name: `Synthesis of ${GATES} gates by resource type (stubbed verdicts)`,
    method: `${opts.runs} rounds of the three variants, interleaved in rotating order, each a fresh node process running an esbuild bundle of bench/synth-gates.ts; medians.`,
    rows,
    notes: ['DataResource runs `terraform version` in a child process for each instance when the stack is validated; the gate is now a plain TerraformResource and runs none.'],
  };
}

function run(bundle: string, variant: Variant, outdir: string, env: NodeJS.ProcessEnv): number | string {
  const r = timeNode([bundle, '--app', variant, outdir], env);
  return r.status === 0 ? r.ms : `exit ${r.status}: ${r.stderr.slice(-600)}`;
}

/** The measured app: one stack, 100 gates of one variant, synthesized to `outdir`. */
function app(variant: Variant, outdir: string): void {
  const jobs = Array.from({ length: GATES }, (_, i) => jobId(i));
  const stubs = Object.fromEntries(jobs.map((j) => [j, 'passed']));
  const a = new App({ outdir, context: { 'dts-sync-check:stub-reports': stubs } });
  const stack = new TerraformStack(a, 'gates');
  for (const j of jobs) {
    if (variant === 'DataResource (before)') {
      new DataResource(stack, j, { triggersReplace: { job_id: j }, provisioners: [{ type: 'local-exec', command: 'true', environment: { DTS_SYNC_CHECK_JOB_ID: j } }] });
    } else {
      const gateResourceType = variant === 'terraform_data' ? GateResourceType.TERRAFORM_DATA : GateResourceType.NULL_RESOURCE;
      new SyncCheckResult(stack, j, { jobId: j, region: 'ap-guangzhou', gateResourceType });
    }
  }
  a.synth();
}

if (process.argv[2] === '--app') app(process.argv[3] as Variant, process.argv[4]);
