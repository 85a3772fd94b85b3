/**
 * How a lookup process lives and dies: it answers once, fails closed if it ever ends without an
 * answer, and trades start-up work it does not need for time (it is one-shot).
 */
/* eslint-disable @typescript-eslint/no-require-imports -- the transport loads lazily: cold start is what a CLI user feels */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { EXIT } from './protocol';

/**
 * Run `main` as the process's whole job. Until it answers, the exit code says "error": if the
 * event loop ever ran dry before an answer (a bug), the process must not exit 0, which a gate
 * would read as passed.
 */
export function runAsProcess(name: string, main: (argv: string[]) => Promise<number>): void {
  let answered = false;
  process.exitCode = EXIT.LOOKUP_ERROR;
  process.on('exit', () => {
    if (!answered) process.stderr.write(`${name}: ended before the lookup answered; treated as not passed\n`);
  });
  main(process.argv.slice(2)).then(
    (code) => {
      answered = true;
      process.exitCode = code;
    },
    (e: unknown) => {
      // Last resort; our errors carry no secrets, and no stack is printed.
      answered = true;
      process.stderr.write(`${name}: unexpected failure: ${e instanceof Error ? e.message : String(e)}\n`);
      process.exitCode = EXIT.LOOKUP_ERROR;
    },
  );
}

/**
 * A lookup process lives for one answer: it may trade V8's optimizing WebAssembly compile (which
 * the process would otherwise wait for at exit) for start-up time, and it closes its kept-alive
 * connections as soon as it has answered.
 */
export async function oneShot(run: () => Promise<number>): Promise<number> {
  const http = require('../dts/http') as typeof import('../dts/http');
  http.preferFastStartup();
  try {
    return await run();
  } finally {
    await http.closeConnections();
  }
}

interface PackageJson {
  readonly name?: unknown;
  readonly version?: unknown;
}

/**
 * The version of the package this code ships in, read when asked: esbuild copies package.json
 * into a bundle when it is built, and a release sets the version after that. The bundles
 * (lib/bin/), the compiled modules (lib/lookup/) and the sources (src/lookup/) all sit two folders
 * below the package's package.json. A copy outside the package (the gate's asset in cdktf.out)
 * finds none there, and tells the version it was built from.
 */
export function packageVersion(): string {
  const built = require('../../package.json') as PackageJson;
  try {
    const shipped = JSON.parse(readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')) as PackageJson;
    if (shipped.name === built.name && typeof shipped.version === 'string') return shipped.version;
  } catch {
    // not inside the package
  }
  return String(built.version);
}
