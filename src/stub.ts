/**
 * Offline synthesis for users' own unit tests: the `dts-sync-check:stub-reports` context maps a
 * job id to `"passed"`, `"failed"` or a whole report. Only an explicit entry is stubbed;
 * every other job is looked up for real. The apply-time gate is never stubbed.
 */
import { Construct } from 'constructs';
import { CheckPhase, StepState, SyncCheckReport, SyncCheckStep } from './dts/types';
import type { BatchResult } from './lookup/protocol';

export const STUB_CONTEXT_KEY = 'dts-sync-check:stub-reports';

export function stubbedResult(scope: Construct, jobId: string, region: string): BatchResult | undefined {
  const stubs = scope.node.tryGetContext(STUB_CONTEXT_KEY) as Record<string, unknown> | undefined;
  if (stubs === undefined || stubs === null) return undefined;
  if (typeof stubs !== 'object') {
    throw new Error(`the "${STUB_CONTEXT_KEY}" context must map job ids to "passed", "failed" or a report (got ${typeof stubs})`);
  }
  const entry = (stubs as Record<string, unknown>)[jobId];
  if (entry === undefined) return undefined;
  if (entry === 'passed' || entry === 'failed') return { report: syntheticReport(jobId, region, entry === 'passed') };
  if (entry && typeof entry === 'object' && typeof (entry as SyncCheckReport).passed === 'boolean') {
    return { report: { ...(entry as SyncCheckReport), jobId, region } };
  }
  throw new Error(`the "${STUB_CONTEXT_KEY}" context entry for ${jobId} must be "passed", "failed" or a report object`);
}

function syntheticReport(jobId: string, region: string, passed: boolean): SyncCheckReport {
  const failed: SyncCheckStep = {
    stepNo: 1,
    name: 'stubbed step',
    state: StepState.FAILED,
    rawStatus: 'failed',
    message: 'stubbed as failed by the test context',
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
    reason: passed ? 'stubbed as passed by the test context' : 'stubbed as failed by the test context',
    steps: passed ? [] : [failed],
    failedSteps: passed ? [] : [failed],
    requestId: 'stubbed',
    checkedAt: new Date(0).toISOString(),
  };
}
