/**
 * The app of the many-checks benchmark: one stack with N SyncCheckResults on distinct passing
 * jobs (`sync-m0000000` ...), report-only so a failed lookup is counted rather than fatal. Prints
 * one JSON line: how many passed, how many failed and of those how many on a deadline, and how
 * long the one synth-time batch took. Bundled by esbuild (cdktf and constructs external).
 * Usage: node many-app.js N OUTDIR   (the endpoint comes from DTS_SYNC_CHECK_ENDPOINT)
 */
import { App, TerraformStack } from 'cdktf';
import { Enforcement, SyncCheckResult } from '../src';

export const manyJobId = (i: number): string => `sync-m${String(i).padStart(7, '0')}`;

if (require.main === module) {
  const n = Number(process.argv[2]);
  const app = new App({ outdir: process.argv[3] });
  const stack = new TerraformStack(app, 'many');
  const checks = Array.from({ length: n }, (_, i) =>
    new SyncCheckResult(stack, `check-${i}`, { jobId: manyJobId(i), region: 'ap-guangzhou', enforcement: Enforcement.REPORT_ONLY }));
  const started = Date.now();
  const passed = checks.filter((c) => c.passed).length; // the first read looks every check up, in one batch
  const lookupMs = Date.now() - started;
  const reasons = checks.filter((c) => !c.passed).map((c) => c.reason);
  app.synth();
  process.stdout.write(`${JSON.stringify({ passed, failed: reasons.length, deadline: reasons.filter((r) => /deadline/i.test(r)).length, lookupMs, firstFailure: reasons[0] })}\n`);
}
