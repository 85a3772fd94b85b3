import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { build, stop as stopEsbuild } from 'esbuild';
import { call } from './raw-client';
import { runEmulatorCli } from '../../src/emulator';
import { expectWithinRule, SLACK_MS } from '../support/time';

/** Poll `ready` until it holds or `withinMs` has passed (a busy machine starts things late). */
async function until(ready: () => boolean, withinMs: number): Promise<void> {
  const deadline = Date.now() + withinMs;
  while (!ready() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'dts-emulator-cli-'));
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await stopEsbuild(); // esbuild's service process would outlive the test file
});

const LISTENING = /^dts emulator listening on (http:\/\/127\.0\.0\.1:\d+)\n$/;

/** Run the CLI in-process with captured output and an abort switch instead of signals. */
function runInProcess(argv: string[]) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d) => (out += d));
  stderr.on('data', (d) => (err += d));
  const stop = new AbortController();
  const exit = runEmulatorCli(argv, { stdout, stderr, stop: stop.signal });
  const url = async (): Promise<string> => {
    await until(() => LISTENING.test(out), SLACK_MS.inProcess);
    const m = LISTENING.exec(out);
    if (!m) throw new Error(`the emulator did not print its URL within ${SLACK_MS.inProcess} ms (stdout ${JSON.stringify(out)}, stderr ${JSON.stringify(err)})`);
    return m[1];
  };
  return { exit, url, stop: () => stop.abort(), out: () => out, err: () => err };
}

describe('dts-sync-check emulator (in process)', () => {
  test('prints exactly one line with the URL, serves, and exits 0 when stopped', async () => {
    const cli = runInProcess(['--port', '0']);
    const url = await cli.url();
    expect((await call(url)).response.CheckFlag).toBe(1);
    cli.stop();
    expect(await cli.exit).toBe(0);
    expect(cli.out()).toMatch(LISTENING);
    expect(cli.err()).toBe('');
  });

  test('--verbose logs each request to stderr as JSON, never the key', async () => {
    const cli = runInProcess(['--verbose']);
    await call(await cli.url(), { jobId: 'sync-fail0002' });
    cli.stop();
    expect(await cli.exit).toBe(0);
    const entry = JSON.parse(cli.err().trim());
    expect(entry).toMatchObject({ action: 'DescribeSyncCheckJob', jobId: 'sync-fail0002', secretId: 'AKIDEXAMPLE', outcome: 'Success' });
    expect(cli.err()).not.toMatch(/SECRETEXAMPLE/);
  });

  test('--config serves the file\'s jobs', async () => {
    const file = join(dir, 'jobs.json');
    writeFileSync(file, JSON.stringify({ jobs: [{ jobId: 'sync-mine0001', region: 'ap-seoul', family: '2018', outcome: 'failed', failStep: 4 }] }));
    const cli = runInProcess(['--config', file]);
    const url = await cli.url();
    expect((await call(url, { jobId: 'sync-mine0001', region: 'ap-seoul' })).response.StepInfo).toHaveLength(4);
    expect((await call(url, { jobId: 'sync-blj8wnt1' })).code).toBe('ResourceNotFound.JobNotExist');
    cli.stop();
    expect(await cli.exit).toBe(0);
  });

  test('--help prints the usage and exits 0', async () => {
    const cli = runInProcess(['--help']);
    expect(await cli.exit).toBe(0);
    expect(cli.out()).toMatch(/^Usage: dts-sync-check emulator \[--port N\]/);
  });

  test.each([
    [['--bogus'], /Unknown option '--bogus'/],
    [['--port', 'eighty'], /--port must be an integer 0\.\.65535 \(got "eighty"\)/],
    [['--port', '70000'], /--port must be an integer 0\.\.65535/],
    [['extra'], /Unexpected argument 'extra'/],
  ])('%j is a usage error: message on stderr, exit 2', async (argv, message) => {
    const cli = runInProcess(argv);
    expect(await cli.exit).toBe(2);
    expect(cli.err()).toMatch(message);
    expect(cli.out()).toBe('');
  });

  test('an invalid config file exits 1 naming the field', async () => {
    const file = join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify({ rateLimitPerSecond: -1 }));
    const cli = runInProcess(['--config', file]);
    expect(await cli.exit).toBe(1);
    expect(cli.err()).toMatch(/invalid configuration: rateLimitPerSecond must be an integer 0\.\.100000 \(got -1\)/);
  });

  test('a port in use exits 1', async () => {
    const first = runInProcess([]);
    const port = new URL(await first.url()).port;
    const second = runInProcess(['--port', port]);
    expect(await second.exit).toBe(1);
    expect(second.err()).toMatch(/EADDRINUSE/);
    first.stop();
    await first.exit;
  });
});

describe('dts-sync-check emulator (a real process)', () => {
  test('starts, prints the URL line, serves, and exits 0 on SIGTERM', async () => {
    // Bundle a two-line entry around runEmulatorCli, as the lookup script will call it.
    const outfile = join(dir, 'emulator-cli.js');
    await build({
      stdin: {
        contents: `require(${JSON.stringify(join(__dirname, '../../src/emulator/cli'))}).runEmulatorCli(process.argv.slice(2)).then((code) => { process.exitCode = code; });`,
        resolveDir: __dirname,
        loader: 'js',
      },
      bundle: true,
      platform: 'node',
      target: 'node20',
      outfile,
      logLevel: 'warning',
    });

    const started = Date.now();
    const child = spawn(process.execPath, [outfile, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      await until(() => LISTENING.test(out), SLACK_MS.childProcess);
      const ready = Date.now() - started;
      expect(out).toMatch(LISTENING);
      // A liveness bound, not a speed: how fast it starts is the benchmarks' business.
      expectWithinRule(ready, 0, SLACK_MS.childProcess, 'the emulator\'s start');
      expect((await call(LISTENING.exec(out)![1])).response.Status).toBe('finished');
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
    expect(out.split('\n').filter(Boolean)).toHaveLength(1);
    expect(err).toBe('');
  });
});
