#!/usr/bin/env node
/**
 * The executable entry of `dts-sync-check` (and of the bundle Terraform runs). Kept apart from
 * main.ts because a bundled module cannot tell whether it is the entry (`require.main`).
 */
import { main } from './main';
import { EXIT } from './protocol';

// Fail closed: until main() answers, the exit code says "error". If the event loop ever ran dry
// before an answer (a bug), the process must not exit 0, which a gate would read as passed.
let answered = false;
process.exitCode = EXIT.LOOKUP_ERROR;
process.on('exit', () => {
  if (!answered) process.stderr.write('dts-sync-check: ended before the lookup answered; treated as not passed\n');
});

main(process.argv.slice(2)).then(
  (code) => {
    answered = true;
    process.exitCode = code;
  },
  (e: unknown) => {
    // Last resort; our errors carry no secrets, and no stack is printed.
    answered = true;
    process.stderr.write(`dts-sync-check: unexpected failure: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = EXIT.LOOKUP_ERROR;
  },
);
