/**
 * `dts-sync-check emulator [--port N] [--config FILE] [--verbose] [--help]`.
 *
 * Prints exactly one line on stdout once listening (`dts emulator listening on URL`), so a
 * script can read the URL; request logs (with `--verbose`) and errors go to stderr.
 * Resolves with the exit code once stopped by SIGINT/SIGTERM: 0 after a clean stop,
 * 2 for a usage error, 1 when the configuration is invalid or the port cannot be bound.
 */
import { parseArgs } from 'node:util';
import { EmulatorConfig, EmulatorConfigError, loadConfigFile } from './config';
import { startEmulator } from './server';

export const EMULATOR_USAGE = `Usage: dts-sync-check emulator [--port N] [--config FILE] [--verbose] [--help]

Serves a local stand-in for the Tencent Cloud DTS sync-check API on 127.0.0.1
(DescribeSyncCheckJob and CreateSyncCheckJob 2018-03-30, DescribeCheckSyncJobResult and
CreateCheckSyncJob 2021-12-06). Clients that sign the first label of their endpoint as the
service (the official SDKs) keep host dts.tencentcloudapi.com over http:// and use the
emulator's URL as their HTTP proxy.

  --port N       port to listen on; 0 (the default) picks a free one
  --config FILE  JSON configuration (credentials, jobs, faults, ...); default: the built-in set
  --verbose      log each request to stderr
  --help         print this help

Prints "dts emulator listening on http://127.0.0.1:PORT" once ready; stops on SIGINT/SIGTERM.
Default credentials: TENCENTCLOUD_SECRET_ID=AKIDEXAMPLE TENCENTCLOUD_SECRET_KEY=SECRETEXAMPLE
`;

/** Where the CLI writes and what stops it; tests replace these, the real CLI uses the process's. */
export interface EmulatorCliIo {
  readonly stdout?: NodeJS.WritableStream;
  readonly stderr?: NodeJS.WritableStream;
  /** Stops the emulator when aborted, like SIGINT/SIGTERM. */
  readonly stop?: AbortSignal;
}

export async function runEmulatorCli(argv: string[], io: EmulatorCliIo = {}): Promise<number> {
  const stdout = io.stdout ?? process.stdout;
  const stderr = io.stderr ?? process.stderr;

  let values: { port?: string; config?: string; verbose?: boolean; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        port: { type: 'string' },
        config: { type: 'string' },
        verbose: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      allowPositionals: false,
      strict: true,
    }));
  } catch (e) {
    stderr.write(`dts-sync-check emulator: ${(e as Error).message}\n\n${EMULATOR_USAGE}`);
    return 2;
  }
  if (values.help) {
    stdout.write(EMULATOR_USAGE);
    return 0;
  }
  let port: number | undefined;
  if (values.port !== undefined) {
    port = /^\d{1,5}$/.test(values.port) ? Number(values.port) : NaN;
    if (!(port >= 0 && port <= 65535)) {
      stderr.write(`dts-sync-check emulator: --port must be an integer 0..65535 (got ${JSON.stringify(values.port)})\n`);
      return 2;
    }
  }

  let config: EmulatorConfig = {};
  try {
    if (values.config !== undefined) config = loadConfigFile(values.config);
    const emulator = await startEmulator(port === undefined ? config : { ...config, port }, values.verbose ? (entry) => {
      stderr.write(`${JSON.stringify(entry)}\n`);
    } : undefined);
    // Handle the signals before announcing the URL: a caller may send SIGTERM as soon as it reads the line.
    const stopped = waitForStop(io.stop);
    stdout.write(`dts emulator listening on ${emulator.url}\n`);
    await stopped;
    await emulator.close();
    return 0;
  } catch (e) {
    const why = e instanceof EmulatorConfigError ? `invalid configuration: ${e.message}` : (e as Error).message;
    stderr.write(`dts-sync-check emulator: ${why}\n`);
    return 1;
  }
}

/** Resolves on SIGINT, SIGTERM or the abort of `stop`, and removes its listeners. */
function waitForStop(stop?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      process.off('SIGINT', done);
      process.off('SIGTERM', done);
      stop?.removeEventListener('abort', done);
      resolve();
    };
    if (stop?.aborted) return done();
    process.on('SIGINT', done);
    process.on('SIGTERM', done);
    stop?.addEventListener('abort', done);
  });
}
