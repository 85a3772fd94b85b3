/**
 * `npm run test:loaded`: the whole suite (`npx projen test`, what `npm test` runs) with
 * CPU-bound processes beside it, as on a shared CI runner, run after run.
 *
 *   LOAD_PROCS  CPU-bound processes beside the suite (default 2; the guide's hard check is 6)
 *   LOAD_RUNS   consecutive runs, stopping at the first failure (default 3)
 *
 * Arguments are passed on to jest, e.g. `npm run test:loaded -- test/cli`. Exits with the first
 * failing run's code, 0 when every run passed.
 */
import { ChildProcess, spawn } from 'node:child_process';

function count(name: string, fallback: number): number {
  const raw = process.env[name];
  const n = raw === undefined || raw === '' ? fallback : Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a whole number (got ${JSON.stringify(raw)})`);
  return n;
}

const hogs: ChildProcess[] = [];
const stopHogs = () => {
  for (const h of hogs.splice(0)) h.kill('SIGKILL');
};
process.on('exit', stopHogs);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    stopHogs();
    process.exit(130);
  });
}

function runSuite(args: string[]): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn('npx', ['projen', 'test', ...args], { stdio: 'inherit' });
    child.on('close', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

async function main(): Promise<number> {
  const procs = count('LOAD_PROCS', 2);
  const runs = count('LOAD_RUNS', 3);
  for (let i = 0; i < procs; i++) hogs.push(spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }));
  process.stdout.write(`test:loaded: ${procs} CPU-bound process${procs === 1 ? '' : 'es'} beside the suite, ${runs} run${runs === 1 ? '' : 's'}\n`);
  for (let run = 1; run <= runs; run++) {
    const started = Date.now();
    const code = await runSuite(process.argv.slice(2));
    const took = ((Date.now() - started) / 1000).toFixed(0);
    process.stdout.write(`test:loaded: run ${run} of ${runs} ${code === 0 ? 'passed' : `FAILED (exit ${code})`} in ${took} s\n`);
    if (code !== 0) return code;
  }
  return 0;
}

main().then(
  (code) => {
    stopHogs();
    process.exit(code);
  },
  (e: unknown) => {
    stopHogs();
    process.stderr.write(`test:loaded: ${(e as Error).message}\n`);
    process.exit(2);
  },
);
