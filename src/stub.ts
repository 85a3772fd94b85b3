/**
 * Offline synthesis for users' own unit tests: the `dts-sync-check:stub-reports` context maps a
 * job id to `"passed"`, `"failed"` or a report (fields not given are filled in). Only an explicit
 * entry is stubbed; every other job is looked up for real. The apply-time gate is never stubbed.
 *
 * Anything else in that context is an error naming the key: a stub that silently did nothing
 * would send a unit test to the real service.
 */
import { Construct } from 'constructs';
import { JOB_ID_PATTERN } from './dts/regions';
import { CheckPhase, StepState, SyncCheckReport, SyncCheckStep } from './dts/types';
import type { BatchResult } from './lookup/protocol';

export const STUB_CONTEXT_KEY = 'dts-sync-check:stub-reports';

const SHAPE = 'an object mapping job ids to "passed", "failed" or a report object';

/** The stubbed result for `jobId`, or undefined when the context does not stub it. */
export function stubbedResult(scope: Construct, jobId: string, region: string): BatchResult | undefined {
  const stubs = scope.node.tryGetContext(STUB_CONTEXT_KEY) as unknown;
  if (stubs === undefined) return undefined;
  const where = `${scope.node.path}: the "${STUB_CONTEXT_KEY}" context`;
  if (stubs === null || typeof stubs !== 'object' || Array.isArray(stubs)) {
    throw new Error(`${where} must be ${SHAPE} (got ${describe(stubs)})`);
  }
  const badKeys = Object.keys(stubs).filter((k) => !JOB_ID_PATTERN.test(k));
  if (badKeys.length > 0) {
    throw new Error(`${where} has keys that are not job ids (sync- followed by 8 lowercase letters or digits): ${badKeys.map((k) => JSON.stringify(k)).join(', ')}`);
  }
  const entry = (stubs as Record<string, unknown>)[jobId];
  if (entry === undefined) return undefined;
  if (entry === 'passed' || entry === 'failed') return { report: stubReport(jobId, region, entry === 'passed') };
  if (entry !== null && typeof entry === 'object' && !Array.isArray(entry) && typeof (entry as { passed?: unknown }).passed === 'boolean') {
    return { report: fromGivenReport(entry as Partial<SyncCheckReport> & { passed: boolean }, jobId, region, `${where} entry for ${jobId}`) };
  }
  throw new Error(`${where} entry for ${jobId} must be "passed", "failed" or a report object with a boolean \`passed\` (got ${describe(entry)})`);
}

/** A report given in the context, completed from the stub defaults and checked where a wrong type would break the messages. */
function fromGivenReport(given: Partial<SyncCheckReport> & { passed: boolean }, jobId: string, region: string, where: string): SyncCheckReport {
  for (const field of ['steps', 'failedSteps'] as const) {
    if (given[field] !== undefined && !Array.isArray(given[field])) throw new Error(`${where}: \`${field}\` must be an array of steps (got ${describe(given[field])})`);
  }
  for (const field of ['status', 'reason', 'requestId', 'apiVersion'] as const) {
    if (given[field] !== undefined && typeof given[field] !== 'string') throw new Error(`${where}: \`${field}\` must be a string (got ${describe(given[field])})`);
  }
  if (given.phase !== undefined && !(Object.values(CheckPhase) as string[]).includes(given.phase)) {
    throw new Error(`${where}: \`phase\` must be one of ${Object.values(CheckPhase).join(', ')} (got ${describe(given.phase)})`);
  }
  const base = stubReport(jobId, region, given.passed);
  // A check that has not finished has no failed step to show, only its phase.
  const unfinished = given.phase !== undefined && given.phase !== CheckPhase.FINISHED ? { status: given.phase, steps: [], failedSteps: [] } : {};
  return { ...base, ...unfinished, ...given, jobId, region };
}

function stubReport(jobId: string, region: string, passed: boolean): SyncCheckReport {
  const how = `stubbed as ${passed ? 'passed' : 'failed'} by the "${STUB_CONTEXT_KEY}" context`;
  const failed: SyncCheckStep = {
    stepNo: 1,
    name: 'stubbed check',
    stepId: 'StubbedFailure',
    state: StepState.FAILED,
    rawStatus: 'failed',
    message: `${how}; no DTS check step ran`,
    errors: [],
    warnings: [],
  };
  return {
    jobId,
    region,
    apiVersion: 'stub',
    action: 'stub',
    status: passed ? 'success' : 'failed',
    phase: CheckPhase.FINISHED,
    passed,
    reason: `${how} (a test double: no DTS API was called; the apply-time gate checks for real)`,
    steps: passed ? [] : [failed],
    failedSteps: passed ? [] : [failed],
    requestId: 'none (stubbed)',
    checkedAt: new Date().toISOString(),
  };
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  return typeof value === 'object' ? 'an object' : `${typeof value} ${String(value)}`;
}
