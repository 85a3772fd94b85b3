/**
 * The human-readable answer of `dts-sync-check check`: a pure function from a report to text.
 * One row per step, then what to do about the failed steps and any warnings, last the verdict
 * and the request id. The wording of steps and verdicts comes from message.ts.
 */
import type { SyncCheckReport, SyncCheckStep, SyncCheckStepTip } from '../dts/types';
import { statusSummary, stepLines, verdictLine } from '../lookup/message';

/** A mark per step state, with the state's name next to it so the table reads without a legend. */
export const STATE_MARKS: Readonly<Record<string, string>> = {
  passed: '✓',
  failed: '✗',
  running: '…',
  pending: '·',
  skipped: '↷',
};

/** Render a report as a table for people (terminal or CI log). Ends with a newline. */
export function formatReportTable(report: SyncCheckReport): string {
  const lines: string[] = [];
  lines.push(`DTS sync check of job ${report.jobId} in ${report.region}: ${clean(statusSummary(report))}`);
  lines.push('');

  if (report.steps.length === 0) {
    lines.push('  (no steps reported yet)');
  } else {
    const header = ['STATE', 'STEP', 'NAME', 'MESSAGE'];
    const rows = report.steps.map((s) => [
      `${STATE_MARKS[s.state] ?? '?'} ${s.state}`,
      String(s.stepNo),
      clean(s.name),
      clean(stepMessage(s)),
    ]);
    const widths = [0, 1, 2].map((col) => Math.max(...[header, ...rows].map((r) => displayWidth(r[col]))));
    const render = (cells: string[]) =>
      `  ${padEnd(cells[0], widths[0])}  ${padStart(cells[1], widths[1])}  ${padEnd(cells[2], widths[2])}  ${cells[3]}`.trimEnd();
    lines.push(render(header));
    for (const row of rows) lines.push(render(row));
  }

  if (report.failedSteps.length > 0) {
    lines.push('', 'Failed steps:');
    for (const step of report.failedSteps) lines.push(...stepLines(step, '  ').map(clean));
  }

  const warned = report.steps.filter((s) => s.warnings.length > 0 && s.state !== 'failed');
  if (warned.length > 0) {
    lines.push('', 'Warnings:');
    for (const step of warned) {
      lines.push(clean(`  ! step ${step.stepNo} ${step.name}${step.stepId ? ` [${step.stepId}]` : ''}`));
      for (const tip of step.warnings) lines.push(...tipLines(tip, '      '));
    }
  }

  lines.push('', clean(verdictLine(report)));
  // A passed verdict already names the request id; otherwise it is the last line, for tickets.
  if (!report.passed) lines.push(`request id: ${clean(report.requestId)}`);
  return `${lines.join('\n')}\n`;
}

function stepMessage(step: SyncCheckStep): string {
  if (step.message) return step.message;
  const first = step.errors[0] ?? step.warnings[0];
  return first?.message ?? '';
}

function tipLines(tip: SyncCheckStepTip, indent: string): string[] {
  const lines: string[] = [];
  if (tip.message) lines.push(`${indent}${tip.code ? `${tip.code}: ` : ''}${tip.message}`);
  if (tip.solution) lines.push(`${indent}solution: ${tip.solution}`);
  if (tip.helpDoc) lines.push(`${indent}help: ${tip.helpDoc}`);
  if (tip.skipInfo) lines.push(`${indent}if skipped: ${tip.skipInfo}`);
  return lines.map(clean);
}

/**
 * Text from the API goes to a terminal: line breaks would break the columns and escape
 * sequences could rewrite the screen, so control characters become spaces.
 */
export function clean(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ');
}

/**
 * Columns on a terminal: East Asian wide and fullwidth characters (CJK, Hangul, fullwidth
 * forms, most emoji) take two, combining marks and zero-width characters none, the rest one.
 */
export function displayWidth(text: string): number {
  let width = 0;
  for (const ch of text) width += charWidth(ch.codePointAt(0)!);
  return width;
}

function charWidth(cp: number): number {
  if (cp === 0x200b || cp === 0x200c || cp === 0x200d || cp === 0xfeff) return 0;
  if ((cp >= 0x0300 && cp <= 0x036f) || (cp >= 0xfe00 && cp <= 0xfe0f)) return 0;
  return WIDE_RANGES.some(([lo, hi]) => cp >= lo && cp <= hi) ? 2 : 1;
}

// Unicode East Asian Width W and F blocks (UAX #11), coarse-grained by block.
const WIDE_RANGES: ReadonlyArray<readonly [number, number]> = [
  [0x1100, 0x115f], // Hangul Jamo initials
  [0x2e80, 0x303e], // CJK radicals, Kangxi, ideographic description, CJK symbols and punctuation
  [0x3041, 0x33ff], // Hiragana, Katakana, Bopomofo, Hangul compatibility Jamo, Kanbun, CJK compatibility
  [0x3400, 0x4dbf], // CJK extension A
  [0x4e00, 0x9fff], // CJK unified ideographs
  [0xa000, 0xa4cf], // Yi
  [0xa960, 0xa97f], // Hangul Jamo extended A
  [0xac00, 0xd7a3], // Hangul syllables
  [0xf900, 0xfaff], // CJK compatibility ideographs
  [0xfe10, 0xfe19], // vertical forms
  [0xfe30, 0xfe6f], // CJK compatibility forms, small form variants
  [0xff00, 0xff60], // fullwidth forms
  [0xffe0, 0xffe6], // fullwidth signs
  [0x1f300, 0x1f64f], // pictographs, emoticons
  [0x1f900, 0x1f9ff], // supplemental symbols and pictographs
  [0x20000, 0x2fffd], // CJK extensions B..F, compatibility supplement
  [0x30000, 0x3fffd], // CJK extension G and later
];

function padEnd(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - displayWidth(text)));
}

function padStart(text: string, width: number): string {
  return ' '.repeat(Math.max(0, width - displayWidth(text))) + text;
}
