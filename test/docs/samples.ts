/**
 * README samples that the docs test runs, found by a marker: an HTML comment (invisible on
 * GitHub) on its own line right before a fenced block, blank lines allowed between them.
 *
 *   <!-- doc-test: app {"id": "migration"} -->      a complete CDKTF app (TypeScript)
 *   <!-- doc-test: jest -->                         a complete jest test file (TypeScript)
 *   <!-- doc-test: output {"command": "dts-sync-check check --job-id sync-fail0001 --region ap-guangzhou", "exit": 1} -->
 *   <!-- doc-test: output {"app": "migration", "replace": {"sync-blj8wnt1": "sync-fail0001"}, "exit": 1, "part": true} -->
 *
 * test/README.md documents the kinds, their options and how outputs are compared.
 */

export const SAMPLE_KINDS = ['app', 'jest', 'output'] as const;
export type SampleKind = (typeof SAMPLE_KINDS)[number];

export interface SampleOptions {
  /** `app`: a name for `output` samples to refer to. */
  readonly id?: string;
  /** `output`: the command that prints the block (`dts-sync-check ...`, `npx` allowed). */
  readonly command?: string;
  /** `output`: the `app` sample (by id) whose run prints the block. */
  readonly app?: string;
  /** `output` of an app: literal replacements in the app's source before it runs. */
  readonly replace?: Readonly<Record<string, string>>;
  /** The emulator's configuration for the run. @default the built-in jobs and key pair */
  readonly emulator?: Readonly<Record<string, unknown>>;
  /** The exit code the run must end with. @default 0 */
  readonly exit?: number;
  /** `output`: which of the run's streams the block shows. @default 'both' (stdout, then stderr) */
  readonly stream?: 'stdout' | 'stderr' | 'both';
  /** `output`: the block is a part of the output (in one piece) rather than all of it. @default false */
  readonly part?: boolean;
}

export interface Sample {
  readonly kind: SampleKind;
  readonly options: SampleOptions;
  /** The fence's language (`ts`, `text`, ...). */
  readonly lang: string;
  readonly body: string;
  /** 1-based line of the marker. */
  readonly line: number;
  /** The heading the sample is under. */
  readonly section: string;
}

const MARKER = /^<!--\s*doc-test:\s*(\S+)\s*(\{.*\})?\s*-->\s*$/;
const OPTION_NAMES: Record<SampleKind, readonly string[]> = {
  app: ['id', 'emulator', 'exit'],
  jest: [],
  output: ['command', 'app', 'replace', 'emulator', 'exit', 'stream', 'part'],
};

/** Every marked sample of a markdown text; a malformed marker throws, naming its line. */
export function readSamples(markdown: string): Sample[] {
  const lines = markdown.split('\n');
  const samples: Sample[] = [];
  let section = '';
  for (let i = 0; i < lines.length; i++) {
    if (/^#{1,6} /.test(lines[i])) section = lines[i].replace(/^#+ /, '');
    if (!lines[i].includes('doc-test:')) continue;
    const where = `README line ${i + 1}`;
    const m = MARKER.exec(lines[i]);
    if (!m) throw new Error(`${where}: a doc-test marker must read <!-- doc-test: KIND {json options} --> (got ${JSON.stringify(lines[i])})`);
    const kind = m[1] as SampleKind;
    if (!SAMPLE_KINDS.includes(kind)) throw new Error(`${where}: unknown doc-test kind ${JSON.stringify(m[1])}; expected one of ${SAMPLE_KINDS.join(', ')}`);
    let options: SampleOptions = {};
    if (m[2]) {
      try {
        options = JSON.parse(m[2]) as SampleOptions;
      } catch (e) {
        throw new Error(`${where}: the options are not JSON: ${(e as Error).message}`);
      }
    }
    const unknown = Object.keys(options).filter((k) => !OPTION_NAMES[kind].includes(k));
    if (unknown.length > 0) throw new Error(`${where}: ${kind} samples take ${OPTION_NAMES[kind].join(', ')} (got ${unknown.join(', ')})`);
    if (kind === 'output' && (options.command === undefined) === (options.app === undefined)) {
      throw new Error(`${where}: an output sample names either a "command" or an "app"`);
    }
    let j = i + 1;
    while (j < lines.length && lines[j].trim() === '') j++;
    const fence = /^(`{3,})(\w*)\s*$/.exec(lines[j] ?? '');
    if (!fence) throw new Error(`${where}: the marker must be followed by a fenced block (found ${JSON.stringify(lines[j] ?? 'the end')})`);
    const end = lines.findIndex((l, k) => k > j && l.startsWith(fence[1]) && l.trim() === fence[1]);
    if (end < 0) throw new Error(`${where}: the fenced block after the marker is not closed`);
    samples.push({ kind, options, lang: fence[2], body: lines.slice(j + 1, end).join('\n'), line: i + 1, section });
    i = end;
  }
  return samples;
}

/**
 * Output as the README may show it: request ids, times and the emulator's port replaced by
 * placeholders, trailing spaces and blank lines dropped.
 */
export function normalizeOutput(text: string): string {
  return text
    .replace(/\u001b\[[0-9;]*[A-Za-z]/g, '')
    .replace(/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/g, '<request-id>')
    .replace(/\b\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})?/g, '<time>')
    .replace(/http:\/\/127\.0\.0\.1:\d+/g, 'http://127.0.0.1:<port>')
    .split('\n')
    .map((l) => l.replace(/\s+$/, ''))
    .join('\n')
    .replace(/^\n+|\n+$/g, '');
}

/**
 * Whether `actual` reads as the sample shows it. In the sample, a line that is only `...` stands
 * for any number of lines (none included), and `...` within a line for any text on that line.
 * With `part`, the sample may be any piece of the output, in one piece (its first line may be
 * the end of a line).
 */
export function matchesSample(actual: string, sample: string, part = false): boolean {
  const pattern = normalizeOutput(sample)
    .split('\n')
    .map((line) => (line.trim() === '...' ? '(?:[^\\n]*\\n)*?' : `${line.split('...').map(escapeRegExp).join('[^\\n]*?')}\\n`))
    .join('');
  // A part may start within a line (after `Error: `, a log prefix, ...), and ends with one.
  const re = new RegExp(part ? `(?:^|\\n)[^\\n]*?${pattern}` : `^${pattern}$`);
  return re.test(`${normalizeOutput(actual)}\n`);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
