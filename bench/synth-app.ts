/**
 * The app of the synthesis-overhead benchmark: one stack with N SyncCheckResults on distinct,
 * passing jobs (`sync-bench000` ...). Bundled by esbuild (cdktf and constructs external) so each
 * measured process loads plain JavaScript, as a user's compiled app would.
 * Usage: node synth-app.js N OUTDIR   (the endpoint comes from DTS_SYNC_CHECK_ENDPOINT)
 */
import { App, TerraformStack } from 'cdktf';
import { SyncCheckResult } from '../src/sync-check-result';

export const benchJobId = (i: number): string => `sync-bench${String(i).padStart(3, '0')}`;

if (require.main === module) {
  const n = Number(process.argv[2]);
  const app = new App({ outdir: process.argv[3] });
  const stack = new TerraformStack(app, 'bench');
  for (let i = 0; i < n; i++) new SyncCheckResult(stack, `check-${i}`, { jobId: benchJobId(i), region: 'ap-guangzhou' });
  app.synth();
}
