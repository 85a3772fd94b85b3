/**
 * The one place that words a verdict. The construct's validation at synth time, the gate at
 * apply time and the CLI all print these, so a user sees the same text wherever it fails.
 */
import type { BatchError } from './protocol';
import { CREATE_ACTIONS } from '../dts/report';
import type { SyncCheckReport, SyncCheckStep, SyncCheckStepTip } from '../dts/types';

export interface VerdictContext {
  readonly jobId: string;
  readonly region: string;
  /** The construct path, when a construct asked. */
  readonly constructPath?: string;
  /** How long we waited for a check that had not finished. */
  readonly waitedSeconds?: number;
}

/** One line: passed (and which API said so), or why not. */
export function verdictLine(report: SyncCheckReport): string {
  const head = `DTS sync check of job ${report.jobId} in ${report.region}`;
  return report.passed
    ? `${head} passed (request id ${report.requestId}), answered by ${answeredBy(report)}${startedNote(report)}`
    : `${head} has not passed: ${report.reason}`;
}

/** For a verdict of a check this run started: which create started it. */
function startedNote(report: SyncCheckReport): string {
  const started = report.startedCheck;
  if (!started?.seen) return '';
  const create = started.requestId ? `${started.action}, request id ${started.requestId}` : `${started.action}, whose answer was lost`;
  return `, on the check this run started (${create}, at ${started.sentAt})`;
}

/** Which action and API version answered: under AUTO either family's action may have. */
export function answeredBy(report: SyncCheckReport): string {
  return `${report.action} (API ${report.apiVersion})`;
}

/**
 * The multi-line message for a check that has not passed: the construct, job, region, status,
 * each failed step with its message, solution and help link, and the request id.
 */
export function notPassedMessage(report: SyncCheckReport, ctx: VerdictContext): string {
  const lines: string[] = [];
  const unfinished = report.phase !== 'finished';
  if (unfinished && ctx.waitedSeconds !== undefined) {
    lines.push(`DTS sync check of job ${report.jobId} in ${report.region} has not finished after waiting ${ctx.waitedSeconds} s: ${report.reason}`);
  } else {
    lines.push(`DTS sync check of job ${report.jobId} in ${report.region} has not passed: ${report.reason}`);
  }
  if (ctx.constructPath) lines.push(`  construct: ${ctx.constructPath}`);
  lines.push(`  status: ${statusSummary(report)}`);
  if (report.failedSteps.length > 0) {
    lines.push('  failed steps:');
    for (const step of report.failedSteps) lines.push(...stepLines(step, '    '));
  }
  lines.push(`  request id: ${report.requestId}`);
  if (report.startedCheck && !report.startedCheck.seen) {
    lines.push(`  The check started at ${report.startedCheck.sentAt} must finish and pass before dependent resources are created; wait longer (waitTimeoutSeconds / --timeout), or apply again.`);
  } else if (unfinished) {
    lines.push('  The check must finish and pass before dependent resources are created; wait longer (waitTimeoutSeconds / --timeout) or look again later.');
  } else if (report.stale) {
    lines.push('  The check passed too long ago to count: run it again (startCheck / --start-check, CreateCheckSyncJob or the DTS console), then synthesize or apply again.');
  } else {
    lines.push('  Fix the job configuration (ModifySyncJob / the DTS console), re-run the check, then synthesize or apply again.');
  }
  return lines.join('\n');
}

/** The message for a lookup that failed: fail closed, say why, name the request id when there is one. */
export function lookupErrorMessage(error: BatchError, ctx: VerdictContext): string {
  const starting = error.action !== undefined && CREATE_ACTIONS.includes(error.action);
  const lines = [
    starting
      ? `A new DTS sync check of job ${ctx.jobId} in ${ctx.region} could not be started, so the check is treated as not passed: ${error.message}`
      : `DTS sync check of job ${ctx.jobId} in ${ctx.region} could not be read, so it is treated as not passed: ${error.message}`,
  ];
  if (ctx.constructPath) lines.push(`  construct: ${ctx.constructPath}`);
  const details = [
    `kind ${error.kind}`,
    `code ${error.code}`,
    error.action && `action ${error.action}`,
    error.attempts && error.attempts > 1 ? `after ${error.attempts} attempts` : undefined,
  ].filter(Boolean);
  lines.push(`  error: ${details.join(', ')}`);
  if (error.requestId) lines.push(`  request id: ${error.requestId}`);
  if (starting && error.kind === 'api') {
    lines.push('  The service refused to start a check (one may be running already, or the job\'s state does not allow it, or the credentials lack the create permission); see the job in the DTS console, then apply again.');
  }
  return lines.join('\n');
}

export function statusSummary(report: SyncCheckReport): string {
  if (report.startedCheck && !report.startedCheck.seen) {
    return `the check started at ${report.startedCheck.sentAt} has not shown up (API ${report.apiVersion}; the service reports an earlier check: ${report.status})`;
  }
  const parts = [report.status === report.phase ? `API ${report.apiVersion}` : `${report.phase}, API ${report.apiVersion}`];
  if (report.checkFlag !== undefined) parts.push(`CheckFlag ${report.checkFlag}`);
  if (report.progress !== undefined) parts.push(`progress ${report.progress}%`);
  parts.push(stepCounts(report));
  return `${report.status} (${parts.join(', ')})`;
}

/** "steps: 6 passed, 1 failed of 10": counts by state, the total only when the API gave one. */
export function stepCounts(report: SyncCheckReport): string {
  const counts = new Map<string, number>();
  for (const s of report.steps) counts.set(s.state, (counts.get(s.state) ?? 0) + 1);
  const listed = [...counts].map(([state, n]) => `${n} ${state}`).join(', ') || 'no steps reported';
  return report.stepCount !== undefined ? `steps: ${listed} of ${report.stepCount}` : `steps reported: ${listed}`;
}

export function stepLines(step: SyncCheckStep, indent: string): string[] {
  const lines = [`${indent}✗ step ${step.stepNo} ${step.name}${step.stepId ? ` [${step.stepId}]` : ''}${step.message ? `: ${step.message}` : ''}`];
  const tips: SyncCheckStepTip[] = [...step.errors, ...step.warnings.map((w) => ({ ...w, message: w.message && `warning: ${w.message}` }))];
  for (const tip of tips) {
    if (tip.message && tip.message !== step.message) lines.push(`${indent}    ${tip.code ? `${tip.code}: ` : ''}${tip.message}`);
    if (tip.solution) lines.push(`${indent}    solution: ${tip.solution}`);
    if (tip.helpDoc) lines.push(`${indent}    help: ${tip.helpDoc}`);
    if (tip.skipInfo) lines.push(`${indent}    if skipped: ${tip.skipInfo}`);
  }
  return lines;
}
