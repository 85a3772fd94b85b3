/**
 * `dts-sync-check.json`: a machine-readable record of every synth-time verdict, written next to
 * `cdk.tf.json` in the stack's output folder (`<outdir>/stacks/<stack>/`), so CI can post it to
 * a review. Written also when synthesis fails on a check, which is when a review needs it most.
 *
 * cdktf writes a stack through its `synthesizer` (`stack.synthesizer.synthesize(session)`, with
 * `session.outdir` and `session.manifest.forStack(stack).workingDirectory`); the same API exists
 * in cdktn. The stack's synthesizer is wrapped once, and a synthesizer the user sets later is
 * wrapped too. No secret is in it: only what the messages already say.
 */
import { writeFileSync, mkdirSync } from 'node:fs';
import * as path from 'node:path';
import { IStackSynthesizer, ISynthesisSession, TerraformStack } from './core';
import { CheckPhase, SyncCheckStep, SyncCheckStepTip } from './dts/types';
import type { Acknowledgement } from './lookup/acknowledgement';
import type { BatchResult } from './lookup/protocol';

export const RECORD_FILE = 'dts-sync-check.json';
export const RECORD_SCHEMA = 'cdktf-dts-sync-check/record';
export const RECORD_VERSION = 1;

/** The whole file. */
export interface StackRecord {
  readonly schema: typeof RECORD_SCHEMA;
  readonly version: typeof RECORD_VERSION;
  /** The stack's id (its folder under `stacks/`). */
  readonly stack: string;
  readonly writtenAt: string;
  /** `completed`, or `failed` when synthesis of the stack threw (a check that failed, or anything else). */
  readonly synthesis: 'completed' | 'failed';
  /** One entry per SyncCheckResult of the stack, by construct path. */
  readonly checks: CheckRecord[];
}

/** What synthesis knew about one check and what it did with it. */
export interface CheckRecord {
  readonly constructPath: string;
  /** The job id, or the Terraform expression it resolves from (e.g. `${terraform_data.job.output}`). */
  readonly jobId: string;
  readonly region: string;
  readonly enforcement: string;
  readonly requestedApiVersion: string;
  /** The apply-time gate, or null with synth-only enforcement. */
  readonly gate: { readonly resourceType: string; readonly address: string; readonly recheckOnEveryApply: boolean } | null;
  /**
   * How the check was read at synth time: `looked-up`, `stubbed` (test context), `not-looked-up`
   * (validations did not run), `token` (job id or region known at apply time only), `apply-only`,
   * `start-check` (the gate starts a new check at apply time; no code read the stored one).
   */
  readonly synthLookup: 'looked-up' | 'stubbed' | 'not-looked-up' | 'token' | 'apply-only' | 'start-check';
  /** What the API said: `passed`, `failed`, `not-finished`, `lookup-error`, or `none` (no synth-time lookup). */
  readonly verdict: 'passed' | 'failed' | 'not-finished' | 'lookup-error' | 'none';
  /**
   * What synthesis did with it: `passed`; `failed` (synthesis fails on it); `waived` (not passed,
   * synthesis goes on, see `waivedBy`); `deferred-to-apply` (no synth-time lookup by design);
   * `not-decided` (a synth-time lookup was due but did not run, e.g. validations were skipped).
   */
  readonly decision: 'passed' | 'failed' | 'waived' | 'deferred-to-apply' | 'not-decided';
  readonly waivedBy: 'report-only' | 'acknowledgement' | null;
  /** One sentence: why it passed or why not. */
  readonly reason: string;
  /** The status as the API spelled it, the normalized phase, the answering API version, its request id and time. */
  readonly status: string | null;
  readonly phase: string | null;
  readonly apiVersion: string | null;
  readonly requestId: string | null;
  readonly checkedAt: string | null;
  readonly failedSteps: RecordedStep[];
  /** The lookup error, when the check could not be read. */
  readonly error: { readonly kind: string; readonly code: string; readonly message: string; readonly requestId: string | null } | null;
  readonly acknowledgement: { readonly reason: string; readonly expires: string; readonly expiresAt: string; readonly heldAtSynth: boolean } | null;
  /** Whether the verdict came from the `dts-sync-check:stub-reports` context, not the API. */
  readonly stubbed: boolean;
}

export interface RecordedStep {
  readonly stepNo: number;
  readonly name: string;
  readonly stepId: string | null;
  readonly message: string | null;
  readonly errors: SyncCheckStepTip[];
}

/** What a SyncCheckResult knows about itself at synthesis. */
export interface CheckFacts {
  readonly constructPath: string;
  readonly jobId: string;
  readonly region: string;
  readonly enforcement: string;
  readonly requestedApiVersion: string;
  readonly gate: CheckRecord['gate'];
  readonly synthLookup: CheckRecord['synthLookup'];
  /** The synth-time result, when there is one. */
  readonly result?: BatchResult;
  readonly decision: CheckRecord['decision'];
  readonly waivedBy: CheckRecord['waivedBy'];
  readonly acknowledgement?: Acknowledgement & { readonly heldAtSynth: boolean };
  readonly stubbed: boolean;
}

/** One entry of the record file. */
export function checkRecord(f: CheckFacts): CheckRecord {
  const { result, acknowledgement: ack } = f;
  const report = result?.report;
  const verdict: CheckRecord['verdict'] = !result
    ? 'none'
    : !report ? 'lookup-error' : report.passed ? 'passed' : report.phase === CheckPhase.FINISHED ? 'failed' : 'not-finished';
  return {
    constructPath: f.constructPath,
    jobId: f.jobId,
    region: f.region,
    enforcement: f.enforcement,
    requestedApiVersion: f.requestedApiVersion,
    gate: f.gate,
    synthLookup: f.synthLookup,
    verdict,
    decision: f.decision,
    waivedBy: f.waivedBy,
    reason: result ? (report ? report.reason : `the check could not be read: ${result.error!.message}`) : notLookedUpReason(f.synthLookup),
    status: report?.status ?? null,
    phase: report?.phase ?? null,
    apiVersion: report?.apiVersion ?? null,
    requestId: report?.requestId ?? result?.error?.requestId ?? null,
    checkedAt: report?.checkedAt ?? null,
    failedSteps: (report?.failedSteps ?? []).map(recordedStep),
    error: result?.error
      ? { kind: result.error.kind, code: result.error.code, message: result.error.message, requestId: result.error.requestId ?? null }
      : null,
    acknowledgement: ack ? { reason: ack.reason, expires: ack.expires, expiresAt: ack.expiresAt, heldAtSynth: ack.heldAtSynth } : null,
    stubbed: f.stubbed,
  };
}

function recordedStep(step: SyncCheckStep): RecordedStep {
  return { stepNo: step.stepNo, name: step.name, stepId: step.stepId ?? null, message: step.message ?? null, errors: step.errors };
}

function notLookedUpReason(how: CheckRecord['synthLookup']): string {
  if (how === 'apply-only') return 'not looked up at synth time (Enforcement.APPLY_ONLY): the apply-time gate checks';
  if (how === 'token') return 'not looked up at synth time: the job id or region is only known at apply time; the apply-time gate checks';
  if (how === 'start-check') return 'not looked up at synth time (`startCheck`): the apply-time gate starts a new check and passes only on its verdict';
  return 'not looked up at synth time: the validations did not run';
}

const entriesOf = new WeakMap<TerraformStack, Array<() => CheckRecord>>();

/** Have `stack` write `entry()` (read when the stack is synthesized) into its record file. */
export function recordInStack(stack: TerraformStack, entry: () => CheckRecord): void {
  let entries = entriesOf.get(stack);
  if (!entries) {
    entries = [];
    entriesOf.set(stack, entries);
    recordOnSynthesis(stack, entries);
  }
  entries.push(entry);
}

function recordOnSynthesis(stack: TerraformStack, entries: Array<() => CheckRecord>): void {
  const base: IStackSynthesizer = stack.synthesizer;
  let inner = base;
  let active = false;
  const recording: IStackSynthesizer = {
    synthesize(session: ISynthesisSession): void {
      // A synthesizer set later that wraps the one it read (this one) calls back in here: give it cdktf's own.
      if (active) return base.synthesize(session);
      active = true;
      let completed = false;
      try {
        inner.synthesize(session);
        completed = true;
      } finally {
        active = false;
        writeRecord(stack, session, entries, completed);
      }
    },
  };
  // A synthesizer set after our constructs replaces the inner one and is still recorded around.
  Object.defineProperty(stack, 'synthesizer', {
    configurable: true,
    enumerable: true,
    get: () => recording,
    set: (next: IStackSynthesizer) => {
      inner = next;
    },
  });
}

function writeRecord(stack: TerraformStack, session: ISynthesisSession, entries: Array<() => CheckRecord>, completed: boolean): void {
  const stackDir = path.join(session.outdir, session.manifest ? session.manifest.forStack(stack).workingDirectory : path.join('stacks', stack.node.id));
  const file = path.join(stackDir, RECORD_FILE);
  try {
    const record: StackRecord = {
      schema: RECORD_SCHEMA,
      version: RECORD_VERSION,
      stack: stack.node.id,
      writtenAt: new Date().toISOString(),
      synthesis: completed ? 'completed' : 'failed',
      checks: entries.map((e) => e()).sort((a, b) => a.constructPath.localeCompare(b.constructPath)),
    };
    mkdirSync(stackDir, { recursive: true });
    writeFileSync(file, `${JSON.stringify(record, null, 2)}\n`);
  } catch (e) {
    const message = `${stack.node.path}: could not write the DTS sync check record ${file}: ${(e as Error).message}`;
    // A failed synthesis keeps its own error; this one is only added to it.
    if (!completed) process.stderr.write(`${message}\n`);
    else throw new Error(message);
  }
}
