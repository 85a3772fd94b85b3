/**
 * The README's samples are produced by the code as documented: each marked sample (see
 * samples.ts and test/README.md) runs for real, offline, against an emulator started here.
 *
 * - `app`: the block is a complete CDKTF app; it is type-checked and run with ts-node, as
 *   `cdktf synth` runs an app, and must synthesize (or end with the marker's `exit`).
 * - `jest`: the block is a complete jest test file; jest runs it, and every test must pass.
 * - `output`: the block is what a command (the bundled `dts-sync-check`) or a marked app prints.
 *
 * A sample imports the package by its name: `cdktf-dts-sync-check` and
 * `cdktf-dts-sync-check/lib/<module>` are pointed at this repository's sources.
 */
import { existsSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { matchesSample, normalizeOutput, readSamples, Sample } from './samples';
import { EMULATOR_DEFAULT_CREDENTIALS, EmulatorConfig, startEmulator } from '../../src/emulator';
import { ProcessResult, runProcess } from '../support/run-process';
import { cliScriptPath } from '../support/scripts';
import { tempDir } from '../support/temp';

const ROOT = path.join(__dirname, '..', '..');
const README = path.join(ROOT, 'README.md');
const samples = readSamples(readFileSync(README, 'utf8'));
const apps = new Map(samples.filter((s) => s.kind === 'app' && s.options.id).map((s) => [s.options.id!, s]));
// ts-node type-checks; jest starts slowly: generous, for a busy machine.
const RUN_TIMEOUT_MS = 240_000;

/**
 * A project folder a sample runs in: it finds this repository's packages (cdktf, constructs,
 * jest), and its tsconfig.json has the tests' compiler settings, for files outside the repository.
 */
function sampleDir(): string {
  const dir = tempDir('dts-doc-sample-');
  symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({
    extends: path.join(ROOT, 'test', 'tsconfig.json'),
    compilerOptions: { rootDir: '/', outDir: path.join(dir, 'out') },
    include: ['*.ts'],
  }));
  return dir;
}

/** The package's name pointed at the sources: `cdktf-dts-sync-check[/lib/x]` -> `<repo>/src[/x]`. */
function pointImportsAtSources(source: string): string {
  return source.replace(/(['"])cdktf-dts-sync-check(?:\/lib\/([\w/-]+))?\1/g, (_m, quote: string, sub?: string) =>
    `${quote}${path.join(ROOT, 'src', sub ?? '')}${quote}`);
}

/** What a user's shell would hold: the emulator's endpoint and key pair, and nothing of the developer's. */
function sampleEnv(url: string, config: EmulatorConfig, dir: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const k of Object.keys(env)) if (/^(TENCENTCLOUD_|DTS_|CDKTF_|https?_proxy$|HTTPS?_PROXY$|no_proxy$|NO_PROXY$)/.test(k)) delete env[k];
  const creds = config.credentials?.[0] ?? EMULATOR_DEFAULT_CREDENTIALS;
  return {
    ...env,
    HOME: dir,
    TMPDIR: dir,
    CHECKPOINT_DISABLE: '1',
    TENCENTCLOUD_SECRET_ID: creds.secretId,
    TENCENTCLOUD_SECRET_KEY: creds.secretKey,
    DTS_SYNC_CHECK_ENDPOINT: url,
  };
}

async function withEmulator<T>(config: EmulatorConfig, run: (url: string) => Promise<T>): Promise<T> {
  const emulator = await startEmulator(config);
  try {
    return await run(emulator.url);
  } finally {
    await emulator.close();
  }
}

/** Run an app sample as `cdktf synth` runs an app: ts-node, type-checked, CDKTF_OUTDIR set. */
async function runApp(sample: Sample, replace: Readonly<Record<string, string>> = {}): Promise<{ r: ProcessResult; outdir: string }> {
  const dir = sampleDir();
  let source = pointImportsAtSources(sample.body);
  for (const [from, to] of Object.entries(replace)) {
    if (!source.includes(from)) throw new Error(`the app sample of README line ${sample.line} does not contain ${JSON.stringify(from)} to replace`);
    source = source.split(from).join(to);
  }
  writeFileSync(path.join(dir, 'main.ts'), source);
  const outdir = path.join(dir, 'cdktf.out');
  const config = (sample.options.emulator ?? {}) as EmulatorConfig;
  const r = await withEmulator(config, (url) => runProcess(
    path.join(ROOT, 'node_modules', '.bin', 'ts-node'), ['--project', path.join(dir, 'tsconfig.json'), 'main.ts'],
    { cwd: dir, env: { ...sampleEnv(url, config, dir), CDKTF_OUTDIR: outdir }, timeoutMs: RUN_TIMEOUT_MS },
  ));
  return { r, outdir };
}

/** Run `dts-sync-check ...` (or `npx dts-sync-check ...`) with the bundled CLI. */
async function runCommand(command: string, config: EmulatorConfig): Promise<ProcessResult> {
  const words = command.trim().split(/\s+/);
  if (words[0] === 'npx') words.shift();
  if (words[0] !== 'dts-sync-check') throw new Error(`output samples run dts-sync-check commands (got ${JSON.stringify(command)})`);
  const dir = tempDir('dts-doc-command-');
  return withEmulator(config, (url) =>
    runProcess(process.execPath, [cliScriptPath(), ...words.slice(1)], { cwd: dir, env: sampleEnv(url, config, dir), timeoutMs: RUN_TIMEOUT_MS }));
}

/** Run a jest sample with jest and ts-jest (type-checked), as a user's project would. */
async function runJest(sample: Sample): Promise<ProcessResult> {
  const dir = sampleDir();
  writeFileSync(path.join(dir, 'sample.test.ts'), pointImportsAtSources(sample.body));
  const config = {
    rootDir: dir,
    testEnvironment: 'node',
    testMatch: ['<rootDir>/sample.test.ts'],
    transform: { '^.+\\.ts$': [path.join(ROOT, 'node_modules', 'ts-jest'), { tsconfig: path.join(dir, 'tsconfig.json'), isolatedModules: false }] },
    cacheDirectory: path.join(dir, '.jest-cache'),
    watchman: false,
  };
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: dir, TMPDIR: dir, CHECKPOINT_DISABLE: '1' };
  for (const k of Object.keys(env)) if (/^(TENCENTCLOUD_|DTS_|CDKTF_)/.test(k)) delete env[k];
  const jest = path.join(ROOT, 'node_modules', 'jest', 'bin', 'jest.js');
  return runProcess(process.execPath, [jest, '--ci', '--coverage=false', '--config', JSON.stringify(config)], { cwd: dir, env, timeoutMs: RUN_TIMEOUT_MS });
}

const title = (s: Sample) => `README line ${s.line} (${s.section}): ${s.kind}${s.options.id ? ` ${s.options.id}` : ''}${s.options.command ? ` of \`${s.options.command}\`` : ''}${s.options.app ? ` of app ${s.options.app}` : ''}`;

test('the README marks its samples: the construct as an app, the CLI\'s output, a jest test of a stack', () => {
  expect(samples.filter((s) => s.kind === 'app')).not.toHaveLength(0);
  expect(samples.filter((s) => s.kind === 'jest')).not.toHaveLength(0);
  expect(samples.filter((s) => s.kind === 'output' && s.options.command)).not.toHaveLength(0);
  for (const s of samples.filter((x) => x.options.app)) expect({ line: s.line, app: apps.has(s.options.app!) }).toEqual({ line: s.line, app: true });
});

test.each(samples.filter((s) => s.kind === 'app').map((s) => [title(s), s] as const))('%s synthesizes against the emulator', async (_t, sample) => {
  const { r, outdir } = await runApp(sample);
  const exit = sample.options.exit ?? 0;
  expect({ status: r.status, output: r.status === exit ? '' : `${r.stdout}\n${r.stderr}` }).toEqual({ status: exit, output: '' });
  if (exit !== 0) return;
  const manifest = JSON.parse(readFileSync(path.join(outdir, 'manifest.json'), 'utf8')) as { stacks: Record<string, { synthesizedStackPath: string }> };
  const stacks = Object.values(manifest.stacks);
  expect(stacks.length).toBeGreaterThan(0);
  for (const stack of stacks) expect(existsSync(path.join(outdir, stack.synthesizedStackPath))).toBe(true);
}, RUN_TIMEOUT_MS + 10_000);

test.each(samples.filter((s) => s.kind === 'jest').map((s) => [title(s), s] as const))('%s passes under jest', async (_t, sample) => {
  const r = await runJest(sample);
  expect({ status: r.status, output: r.status === 0 ? '' : `${r.stdout}\n${r.stderr}` }).toEqual({ status: 0, output: '' });
  expect(r.stderr).toMatch(/Tests: +\d+ passed, \d+ total/);
}, RUN_TIMEOUT_MS + 10_000);

test.each(samples.filter((s) => s.kind === 'output').map((s) => [title(s), s] as const))('%s is what it prints', async (_t, sample) => {
  const config = (sample.options.emulator ?? {}) as EmulatorConfig;
  const app = apps.get(sample.options.app ?? '');
  const r = sample.options.command
    ? await runCommand(sample.options.command, config)
    : (await runApp({ ...app!, options: { ...app!.options, emulator: sample.options.emulator } }, sample.options.replace)).r;
  const stream = sample.options.stream ?? 'both';
  const shown = stream === 'stdout' ? r.stdout : stream === 'stderr' ? r.stderr : `${r.stdout}${r.stderr}`;
  expect(r.status).toBe(sample.options.exit ?? 0);
  // On a mismatch, show both sides as compared.
  if (!matchesSample(shown, sample.body, sample.options.part)) {
    expect(normalizeOutput(shown)).toBe(normalizeOutput(sample.body));
  }
}, RUN_TIMEOUT_MS + 10_000);

describe('the sample comparison', () => {
  test('placeholders for request ids, times and ports; `...` for skipped lines and text', () => {
    const actual = 'head 2f89041e-dd50-4512-a2b9-a3eef24d0255 at 2026-11-28T06:00:00.000Z on http://127.0.0.1:4321\n  a\n  b\n  c\nend (solution: long text)\n';
    expect(matchesSample(actual, 'head 65897242-276d-4fee-8688-50af68d34c4f at 2025-01-01 10:00:00 on http://127.0.0.1:8080\n  ...\nend (solution: ...)')).toBe(true);
    expect(matchesSample(actual, 'head <request-id> at <time> on http://127.0.0.1:<port>\n  a\n  ...\n  c\nend (solution: long text)')).toBe(true);
    expect(matchesSample(actual, '  b\n  c', true)).toBe(true);
  });

  test('a changed word, a missing line or an extra line is a mismatch', () => {
    const actual = 'one\ntwo\nthree\n';
    expect(matchesSample(actual, 'one\ntwo\nthree')).toBe(true);
    expect(matchesSample(actual, 'one\nTWO\nthree')).toBe(false);
    expect(matchesSample(actual, 'one\nthree')).toBe(false);
    expect(matchesSample(actual, 'one\ntwo\nthree\nfour')).toBe(false);
    expect(matchesSample(actual, 'two\nthree')).toBe(false);
    expect(matchesSample(actual, 'wo\nthree', true)).toBe(true); // a part may start within a line
    expect(matchesSample(actual, 'tw\nthree', true)).toBe(false);
  });

  test('a malformed marker is refused, naming its line', () => {
    expect(() => readSamples('text\n<!-- doc-test: movie -->\n```ts\nx\n```\n')).toThrow(/README line 2: unknown doc-test kind "movie"/);
    expect(() => readSamples('<!-- doc-test: output {"exit": 1} -->\n```text\nx\n```\n')).toThrow(/either a "command" or an "app"/);
    expect(() => readSamples('<!-- doc-test: app -->\nnot a fence\n')).toThrow(/must be followed by a fenced block/);
    expect(() => readSamples('<!-- doc-test: app {"exit": 1, "colour": "red"} -->\n```ts\nx\n```\n')).toThrow(/app samples take id, emulator, exit \(got colour\)/);
  });
});
