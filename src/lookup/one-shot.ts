/**
 * How a lookup process lives and dies: it answers once, fails closed if it ever ends without an
 * answer, and trades start-up work it does not need for time (it is one-shot).
 */
/* eslint-disable @typescript-eslint/no-require-imports -- the transport loads lazily: cold start is what a CLI user feels */
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

declare const __PACKAGE_VERSION__: string | undefined;

/** The version of the package this code ships in. */
export function packageVersion(): string {
  if (typeof __PACKAGE_VERSION__ === 'string') return __PACKAGE_VERSION__;
  return (require('../../package.json') as { version: string }).version;
}
