import { spawnSync } from 'node:child_process';
import { cliScriptPath, lookupScriptPath, scriptFor } from '../support/scripts';

function run(scriptPath: string, args: string[], input?: string) {
  return spawnSync(process.execPath, [scriptPath, ...args], { input, encoding: 'utf8', env: { PATH: process.env.PATH }, timeout: 30_000 });
}

function script(args: string[], input?: string) {
  return run(scriptFor(args[0]), args, input);
}

test.each(['gate', 'batch'])('%s --help prints its usage and exits 0', (command) => {
  const r = script([command, '--help']);
  expect(r.status).toBe(0);
  expect(r.stdout).toContain(`Usage: dts-sync-check ${command}`);
});

test('gate --help names every environment variable it reads', () => {
  const r = script(['gate', '--help']);
  for (const name of ['DTS_SYNC_CHECK_JOB_ID', 'DTS_SYNC_CHECK_REGION', 'DTS_SYNC_CHECK_ENDPOINT', 'DTS_SYNC_CHECK_ENFORCE', 'TENCENTCLOUD_SECRET_ID']) {
    expect(r.stdout).toContain(name);
  }
});

test.each([['gate', 'sync-blj8wnt1'], ['batch', '--bogus']])('%s refuses arguments (%s) with exit 2, so nothing user-supplied rides the command line', (command, arg) => {
  const r = script([command, arg]);
  expect(r.status).toBe(2);
  expect(r.stderr).toMatch(new RegExp(`dts-sync-check ${command}: takes no arguments`));
});

test('batch answers exit 2 to input that is not a requests object', () => {
  const r = script(['batch'], 'not json');
  expect(r.status).toBe(2);
  expect(r.stderr).toMatch(/expected a JSON object \{"requests": \[\.\.\.\]\} on stdin/);
});

test.each(['gate', 'batch'])('the CLI runs %s --help the same as the lookup script', (command) => {
  const viaCli = run(cliScriptPath(), [command, '--help']);
  expect(viaCli.status).toBe(0);
  expect(viaCli.stdout).toBe(script([command, '--help']).stdout);
});

test('the lookup script serves the lookup commands only, and says where check and emulator are', () => {
  for (const command of ['check', 'emulator']) {
    const r = run(lookupScriptPath(), [command, '--help']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`unknown command "${command}"[\\s\\S]*gate\\|batch[\\s\\S]*use the\\s+dts-sync-check command`));
  }
});

test('an unknown command exits 2 and lists the commands', () => {
  const r = script(['frobnicate']);
  expect(r.status).toBe(2);
  expect(r.stderr).toMatch(/unknown command "frobnicate"[\s\S]*check[\s\S]*gate[\s\S]*batch[\s\S]*emulator/);
});
