/**
 * The credential chain at synth time: a `SyncCheckResult` synthesized in this process looks its
 * check up through the lookup script (a child process inheriting this environment), against an
 * emulator in its own process (synthesis blocks this one). Each test sets an environment built
 * from PATH only, with its own HOME, and restores the real one. Canary keys and tokens appear in
 * no synthesized file and no message.
 */
import { TerraformStack } from 'cdktf';
import { ASSUME, BASE, childEnv, emulatorConfig, expectClean, homeWith, INI_KEY, INSTANCE, JOBS, ROLE_NAME, STS, TCCLI_WITH_ROLE } from './support';
import { Enforcement, SyncCheckResult } from '../../src';
import { EmulatorProcess, startEmulatorProcess } from '../../src/emulator';
import { readAllText } from '../construct/support';
import { fullSynth, testingApp } from '../support/cdktf';

let emulator: EmulatorProcess;
let saved: NodeJS.ProcessEnv;

beforeAll(async () => {
  emulator = await startEmulatorProcess(emulatorConfig());
});

afterAll(async () => {
  await emulator.close();
});

beforeEach(() => {
  saved = process.env;
});

afterEach(() => {
  process.env = saved;
});

/** Synthesize one check with `env` as this process's environment; returns it, the files and the emulator's log of the run. */
async function synth(home: string, env: Record<string, string | undefined> = {}, jobId: string = JOBS.passed.jobId) {
  await emulator.settle();
  const before = emulator.requests.length;
  process.env = childEnv(emulator.url, home, env);
  const stack = new TerraformStack(testingApp(), 'stack');
  const check = new SyncCheckResult(stack, 'dr-check', { jobId, region: 'ap-guangzhou', enforcement: Enforcement.SYNTH_ONLY });
  let error: Error | undefined;
  let files = '';
  try {
    files = readAllText(fullSynth(stack));
  } catch (e) {
    error = e as Error;
  }
  await emulator.settle();
  expectClean(files, 'the synthesized files');
  expectClean(error?.message ?? '', 'the synthesis error');
  expectClean(check.reason, 'the reason');
  return { check, error, log: emulator.requests.slice(before) };
}

test('a tccli profile\'s keys assume its role-arn, and the check passes', async () => {
  const r = await synth(homeWith({ tccli: { default: TCCLI_WITH_ROLE } }));
  expect(r.error).toBeUndefined();
  expect(r.check.passed).toBe(true);
  expect(r.log.map((e) => [e.action, e.secretId?.split('.')[0]])).toEqual([['AssumeRole', BASE.secretId], ['DescribeSyncCheckJob', STS.secretId]]);
});

test('an INI profile named by TENCENTCLOUD_PROFILE, with TENCENTCLOUD_ASSUME_ROLE_ARN on top', async () => {
  const r = await synth(homeWith({ ini: `[ci]\nsecret_id = ${INI_KEY.secretId}\nsecret_key = ${INI_KEY.secretKey}\n` }), { TENCENTCLOUD_PROFILE: 'ci', ...ASSUME });
  expect(r.check.passed).toBe(true);
  expect(r.log[0]).toMatchObject({ action: 'AssumeRole', secretId: INI_KEY.secretId });
});

test('the instance role from the metadata service', async () => {
  const r = await synth(homeWith(), { TENCENTCLOUD_CAM_ROLE_NAME: ROLE_NAME });
  expect(r.check.passed).toBe(true);
  expect(r.log.map((e) => e.action)).toEqual([`GET /latest/meta-data/cam/security-credentials/${ROLE_NAME}`, 'DescribeSyncCheckJob']);
  expect(r.log[1].secretId?.startsWith(INSTANCE.secretId)).toBe(true);
});

test('a named profile that exists nowhere fails synthesis, naming where it looked, and nothing is sent', async () => {
  const home = homeWith({ tccli: { default: TCCLI_WITH_ROLE } });
  const r = await synth(home, { TENCENTCLOUD_PROFILE: 'prod' });
  expect(r.check.passed).toBe(false);
  expect(r.error?.message).toMatch(/stack\/dr-check/);
  expect(r.error?.message).toContain(`the profile "prod" named by TENCENTCLOUD_PROFILE was not found in ${home}/.tccli/prod.credential`);
  expect(r.error?.message).toMatch(/code ProfileNotFound/);
  expect(r.log).toEqual([]);
});
