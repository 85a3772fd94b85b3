/**
 * Small statistics and formatting for the benchmarks: medians, ratios, and the result tables
 * printed to the console and written to bench/RESULTS.md.
 */

export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export function min(values: readonly number[]): number {
  return Math.min(...values);
}

export function max(values: readonly number[]): number {
  return Math.max(...values);
}

export const fmtMs = (ms: number): string => (ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`);
export const fmtRatio = (r: number): string => `${r.toFixed(2)}x`;
export const fmtMiB = (kib: number): string => `${(kib / 1024).toFixed(1)} MiB`;

/** One row of a result table: what was measured, the value, the target, and whether it was met. */
export interface Row {
  readonly measure: string;
  readonly value: string;
  readonly target?: string;
  /** true met, false missed, undefined for context rows without a target. */
  readonly met?: boolean;
  /** For a miss: by how much, in words ("by 0.12x (12%)"). */
  readonly by?: string;
}

export interface BenchResult {
  readonly name: string;
  /** One sentence: what was run, how many times, in what order. */
  readonly method: string;
  readonly rows: readonly Row[];
  /** Explanations, e.g. why a target was missed. */
  readonly notes?: readonly string[];
}

export function verdict(row: Row): string {
  if (row.met === undefined) return '';
  return row.met ? 'met' : `MISSED${row.by ? ` ${row.by}` : ''}`;
}

/** A ratio target `value <= limit`: the row, with the miss in words when missed. */
export function ratioRow(measure: string, value: number, limit: number): Row {
  const met = value <= limit;
  return {
    measure,
    value: fmtRatio(value),
    target: `<= ${fmtRatio(limit)}`,
    met,
    by: met ? undefined : `by ${(value - limit).toFixed(2)}x (${Math.round(((value - limit) / limit) * 100)}% over)`,
  };
}

export function markdownTable(rows: readonly Row[]): string {
  const lines = ['| Measure | Value | Target | Result |', '|---|---|---|---|'];
  for (const r of rows) lines.push(`| ${r.measure} | ${r.value} | ${r.target ?? ''} | ${verdict(r)} |`);
  return lines.join('\n');
}

export function consoleTable(result: BenchResult): string {
  const widths = [0, 0, 0];
  for (const r of result.rows) {
    widths[0] = Math.max(widths[0], r.measure.length);
    widths[1] = Math.max(widths[1], r.value.length);
    widths[2] = Math.max(widths[2], (r.target ?? '').length);
  }
  const lines = [`== ${result.name}`, `   ${result.method}`];
  for (const r of result.rows) {
    lines.push(`   ${r.measure.padEnd(widths[0])}  ${r.value.padStart(widths[1])}  ${(r.target ?? '').padEnd(widths[2])}  ${verdict(r)}`);
  }
  for (const n of result.notes ?? []) lines.push(`   note: ${n}`);
  return lines.join('\n');
}
