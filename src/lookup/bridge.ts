/**
 * The synth-time caller of the lookup script. Constructs are synchronous and the client is not,
 * so the construct hands all pending lookups of an app to ONE run of the same script Terraform
 * runs at apply time (`batch`), and waits for it. Credentials reach the child through the
 * inherited environment only; the request carries none.
 */
import { spawnSync } from 'node:child_process';
import type { BatchOutput, BatchRequest, BatchResult } from './protocol';
import { lookupScriptPath } from '../bundles';
import { batchRuleMs } from '../dts/deadline';
import { DEFAULTS } from '../dts/options';

/** Beyond the batch's deadline rule: node's start, reading the bundle, a slow exit on a busy machine. */
const WEDGED_CHILD_ROOM_MS = 120_000;

/** Look all requests up in one child process; never throws, every failure is an error result. */
export function lookupSync(requests: readonly BatchRequest[]): BatchResult[] {
  if (requests.length === 0) return [];
  const fail = (code: string, message: string): BatchResult[] =>
    requests.map(() => ({ error: { kind: 'internal', code, message } }));
  let script: string;
  try {
    script = lookupScriptPath();
  } catch (e) {
    return fail('LookupScriptMissing', (e as Error).message);
  }
  // The child enforces every deadline itself (the batch's rule, which grows with its size); this
  // only guards against a wedged child, so it allows the rule plus generous room to start and stop.
  const rule = batchRuleMs(
    requests.map((r) => ({ apiVersion: r.apiVersion, wait: { timeoutSeconds: r.waitTimeoutSeconds, pollIntervalSeconds: r.pollIntervalSeconds } })),
    DEFAULTS.requestsPerSecond,
    DEFAULTS.deadlineSeconds,
  );
  const guardMs = rule + WEDGED_CHILD_ROOM_MS;
  const child = spawnSync(process.execPath, [script, 'batch'], {
    input: JSON.stringify({ requests }),
    // The child's progress goes to our stdout: cdktf synth labels every line an app writes to
    // stderr "[ERROR]", and waiting for a check is no error. Failures reach the user as the
    // construct's validation message, which the app reports on stderr.
    stdio: ['pipe', 'pipe', 1],
    maxBuffer: 64 * 1024 * 1024,
    timeout: guardMs,
    env: process.env,
    windowsHide: true,
  });
  if (child.error) return fail('LookupScriptFailed', `the lookup script could not run: ${child.error.message}`);
  if (child.status !== 0) {
    return fail('LookupScriptFailed', `the lookup script exited with ${child.status ?? child.signal} (its output is above)`);
  }
  try {
    const output = JSON.parse(child.stdout.toString('utf8')) as BatchOutput;
    if (!Array.isArray(output.results) || output.results.length !== requests.length) throw new Error('wrong number of results');
    return output.results;
  } catch (e) {
    return fail('LookupScriptFailed', `the lookup script answered something that is not a batch result: ${(e as Error).message}`);
  }
}
