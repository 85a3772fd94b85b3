/**
 * Progress while a check runs: a live line on a terminal, plain lines otherwise (only when
 * something changed, so CI logs stay short), nothing when quiet. Always stderr: stdout carries
 * results.
 */
import type { SyncCheckReport } from '../dts/types';

export type ProgressSink = (label: string, report: SyncCheckReport) => void;

export interface ProgressOptions {
  readonly quiet?: boolean;
  /** Defaults to whether the stream is a TTY. */
  readonly live?: boolean;
}

export function progressReporter(stream: NodeJS.WriteStream, options: ProgressOptions = {}): { sink: ProgressSink; done(): void } {
  if (options.quiet) return { sink: () => undefined, done: () => undefined };
  const live = options.live ?? Boolean(stream.isTTY);
  const last = new Map<string, string>();
  let liveLineOpen = false;
  const waited = new Set<string>();
  const sink: ProgressSink = (label, report) => {
    // A check already finished at the first look needs no progress: its verdict says it all.
    if (report.phase !== 'finished') waited.add(label);
    else if (!waited.has(label)) return;
    const text = progressText(label, report);
    if (last.get(label) === text) return;
    last.set(label, text);
    if (live) {
      stream.write(`\r\u001b[2K${text}`);
      liveLineOpen = true;
    } else {
      stream.write(`${text}\n`);
    }
  };
  const done = () => {
    if (liveLineOpen) stream.write('\n');
    liveLineOpen = false;
  };
  return { sink, done };
}

export function progressText(label: string, report: SyncCheckReport): string {
  if (report.startedCheck && !report.startedCheck.seen) {
    return `dts-sync-check ${label}: waiting for the check started at ${report.startedCheck.sentAt} to show up (the service still reports an earlier one)`;
  }
  if (report.phase === 'finished') {
    return `dts-sync-check ${label}: ${report.status}, ${report.passed ? 'passed' : 'not passed'}`;
  }
  const done = report.steps.filter((s) => s.state === 'passed' || s.state === 'skipped').length;
  const bits = [`${label}: ${report.status}`];
  if (report.stepCount !== undefined && report.stepCount > 0) {
    bits.push(`step ${Math.min(done + 1, report.stepCount)}/${report.stepCount}`);
  } else if (report.steps.length > 0) {
    // 2018-03-30 gives no step count and lists only the steps reported so far: count what passed.
    bits.push(`${done} of ${report.steps.length} reported step${report.steps.length === 1 ? '' : 's'} passed`);
  }
  if (report.progress !== undefined) bits.push(`${report.progress}%`);
  return `dts-sync-check ${bits.join(', ')}`;
}
