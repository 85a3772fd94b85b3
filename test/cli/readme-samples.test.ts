/**
 * The sample outputs in the README's "Command line" section are what the command prints on the
 * default path (`--api-version auto`), against the emulator's built-in jobs: checked here, so the
 * README cannot drift from the code. Request ids differ per run and are compared as placeholders.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { RunningEmulator, startEmulator } from '../../src/emulator';
import { runProcess } from '../support/run-process';
import { cliScriptPath } from '../support/scripts';
import { tempDir } from '../support/temp';

const README = readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');

/** The ```text blocks of a README section, in order. */
function samples(section: string): string[] {
  const start = README.indexOf(`\n## ${section}\n`);
  const end = README.indexOf('\n## ', start + 1);
  const body = README.slice(start, end);
  return [...body.matchAll(/```text\n([\s\S]*?)```/g)].map((m) => m[1]);
}

const ids = (text: string) => text.replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, '<request id>');

let home: string;
const emulators: RunningEmulator[] = [];

beforeAll(() => {
  home = tempDir('dts-readme-');
});

afterAll(async () => {
  await Promise.all(emulators.map((e) => e.close()));
});

async function check(jobId: string, retired2018: boolean): Promise<{ status: number | null; stdout: string }> {
  // With the 2018 action retired, AUTO reaches the 2021-12-06 action as it does for a job of that family.
  const emulator = await startEmulator({ retired2018 });
  emulators.push(emulator);
  return runProcess(process.execPath, [cliScriptPath(), 'check', '--job-id', jobId, '--region', 'ap-guangzhou'], {
    env: { PATH: process.env.PATH, HOME: home, TENCENTCLOUD_SECRET_ID: 'AKIDEXAMPLE', TENCENTCLOUD_SECRET_KEY: 'SECRETEXAMPLE', DTS_SYNC_CHECK_ENDPOINT: emulator.url },
  });
}

test('the README shows two sample outputs of check', () => {
  expect(samples('Command line')).toHaveLength(2);
});

test('the failed check answered by 2021-12-06 is printed as the README shows it', async () => {
  const r = await check('sync-fail0001', true);
  expect(r.status).toBe(1);
  expect(ids(r.stdout)).toBe(ids(samples('Command line')[0]));
});

test('the passed check answered by 2018-03-30 is printed as the README shows it', async () => {
  const r = await check('sync-blj8wnt1', false);
  expect(r.status).toBe(0);
  expect(ids(r.stdout)).toBe(ids(samples('Command line')[1]));
});
