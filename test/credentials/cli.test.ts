/**
 * The credential chain through the real command line: `dts-sync-check check` (the bundled CLI in
 * a child process, as a pipeline runs it) against the emulator serving DTS, STS and the metadata
 * service on 127.0.0.1. Each run has its own HOME and an environment built from PATH only.
 * Canary keys and tokens never appear in what the CLI prints.
 */
import { ASSUME, BASE, childEnv, emulatorConfig, ENV_KEYS, expectClean, homeWith, INI_KEY, INSTANCE, JOBS, ROLE, ROLE_NAME, SECRETS, STS, TCCLI_WITH_ROLE } from './support';
import { startEmulator, RunningEmulator } from '../../src/emulator';
import { ProcessResult, runProcess } from '../support/run-process';
import { cliScriptPath } from '../support/scripts';

let emulator: RunningEmulator;

beforeAll(async () => {
  emulator = await startEmulator(emulatorConfig());
});

afterAll(async () => {
  await emulator.close();
});

/** Run `check` for a job; returns the result and the emulator's log entries of the run. */
async function check(jobId: string, home: string, env: Record<string, string | undefined> = {}, ...more: string[]) {
  const before = emulator.requests.length;
  const r: ProcessResult = await runProcess(process.execPath, [cliScriptPath(), 'check', '--job-id', jobId, '--region', 'ap-guangzhou', ...more], {
    env: childEnv(emulator.url, home, env),
    timeoutMs: 60_000,
  });
  expectClean(r.stdout, 'stdout');
  expectClean(r.stderr, 'stderr');
  return { ...r, log: emulator.requests.slice(before) };
}

const dts = (log: typeof emulator.requests) => log.filter((e) => e.action === 'DescribeSyncCheckJob' || e.action === 'DescribeCheckSyncJobResult');

test('a tccli profile (what `tccli configure` wrote) signs the lookup', async () => {
  const r = await check(JOBS.passed.jobId, homeWith({ tccli: { default: { secretId: BASE.secretId, secretKey: BASE.secretKey } } }));
  expect(r.status).toBe(0);
  expect(dts(r.log).map((e) => e.secretId)).toEqual([BASE.secretId]);
});

test('an INI profile named by TENCENTCLOUD_PROFILE signs the lookup', async () => {
  const home = homeWith({ ini: `[default]\nsecret_id = ${BASE.secretId}\nsecret_key = ${BASE.secretKey}\n\n[ci]\nsecret_id = ${INI_KEY.secretId}\nsecret_key = ${INI_KEY.secretKey}\n` });
  const r = await check(JOBS.passed.jobId, home, { TENCENTCLOUD_PROFILE: 'ci' });
  expect(r.status).toBe(0);
  expect(dts(r.log).map((e) => e.secretId)).toEqual([INI_KEY.secretId]);
});

test('a named profile that exists nowhere exits 4, saying where it looked', async () => {
  const home = homeWith({ tccli: { default: { secretId: BASE.secretId, secretKey: BASE.secretKey } } });
  const r = await check(JOBS.passed.jobId, home, { TENCENTCLOUD_PROFILE: 'staging' }, '--output', 'json');
  expect(r.status).toBe(4);
  expect(JSON.parse(r.stdout).error).toMatchObject({ kind: 'credentials', code: 'ProfileNotFound' });
  expect(r.stderr).toContain(`the profile "staging" named by TENCENTCLOUD_PROFILE was not found in ${home}/.tccli/staging.credential, ${home}/.tencentcloud/credentials`);
  expect(r.log).toEqual([]);
});

test('TENCENTCLOUD_ASSUME_ROLE_ARN: the base key asks STS, the temporary key signs the lookup', async () => {
  const r = await check(JOBS.passed.jobId, homeWith(), { ...ENV_KEYS, ...ASSUME });
  expect(r.status).toBe(0);
  expect(r.log.map((e) => [e.action, e.secretId?.split('.')[0], e.outcome])).toEqual([
    ['AssumeRole', BASE.secretId, 'Success'],
    ['DescribeSyncCheckJob', STS.secretId, 'Success'],
  ]);
});

test('a tccli profile\'s role-arn is assumed with the profile\'s keys', async () => {
  const r = await check(JOBS.passed.jobId, homeWith({ tccli: { default: TCCLI_WITH_ROLE } }));
  expect(r.status).toBe(0);
  expect(r.log.map((e) => e.action)).toEqual(['AssumeRole', 'DescribeSyncCheckJob']);
  expect(r.log[0].secretId).toBe(BASE.secretId);
});

test('the CVM instance role, discovered from the metadata service, signs the lookup', async () => {
  const r = await check(JOBS.passed.jobId, homeWith());
  expect(r.status).toBe(0);
  expect(r.log.map((e) => e.action)).toEqual([
    'GET /latest/meta-data/cam/security-credentials/',
    `GET /latest/meta-data/cam/security-credentials/${ROLE_NAME}`,
    'DescribeSyncCheckJob',
  ]);
  expect(r.log[2].secretId?.startsWith(INSTANCE.secretId)).toBe(true);
});

test('a refusal by STS exits 4 with its code and request id', async () => {
  const r = await check(JOBS.passed.jobId, homeWith(), { ...ENV_KEYS, ...ASSUME, TENCENTCLOUD_ASSUME_ROLE_ARN: `${ROLE}-gone` });
  expect(r.status).toBe(4);
  expect(r.stderr).toMatch(/could not be read, so it is treated as not passed: AssumeRole of role \S+-gone at \S+ failed: ResourceNotFound\.RoleNotExist: /);
  expect(r.stderr).toMatch(/error: kind credentials, code AssumeRoleFailed/);
  const requestId = /request id: (\S+)/.exec(r.stderr)?.[1];
  expect(requestId).toBeDefined();
  expect(r.stderr).toContain(`(request id ${requestId})`);
});

test('with no credentials anywhere, exit 4 lists every place looked at', async () => {
  const home = homeWith();
  const r = await check(JOBS.passed.jobId, home, { DTS_SYNC_CHECK_METADATA_ENDPOINT: 'http://127.0.0.1:9' });
  expect(r.status).toBe(4);
  for (const place of ['`credentials` option', 'TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY', 'the profile "default"', `${home}/.tccli/default.credential`,
    `${home}/.tencentcloud/credentials`, '/etc/tencentcloud/credentials', 'http://127.0.0.1:9/latest/meta-data/cam/security-credentials/: not reachable']) {
    expect(r.stderr).toContain(place);
  }
  expect(r.stderr).toMatch(/code NoCredentials/);
});

test('during a wait, the instance role and the role assumed with it are refreshed before they expire', async () => {
  const r = await check(JOBS.slow.jobId, homeWith(), { TENCENTCLOUD_CAM_ROLE_NAME: ROLE_NAME, ...ASSUME }, '--wait', '--interval', '0.5', '--timeout', '100', '--quiet');
  expect(r.status).toBe(0);
  const lookups = dts(r.log);
  // Every lookup was accepted: no key was used after it expired.
  expect(lookups.filter((e) => e.outcome !== 'Success')).toEqual([]);
  expect(lookups.length).toBeGreaterThan(5);
  const keys = new Set(lookups.map((e) => e.secretId));
  expect(keys.size).toBeGreaterThanOrEqual(2);
  expect([...keys].every((k) => k?.startsWith(STS.secretId))).toBe(true);
  const assumed = r.log.filter((e) => e.action === 'AssumeRole');
  expect(assumed.length).toBe(keys.size);
  expect(assumed.every((e) => e.outcome === 'Success' && e.secretId?.startsWith(INSTANCE.secretId))).toBe(true);
  expect(new Set(assumed.map((e) => e.secretId)).size).toBeGreaterThanOrEqual(2);
  expect(r.stdout).toMatch(new RegExp(`job ${JOBS.slow.jobId} in ap-guangzhou passed`));
  // The instance role was fetched more than once too, each time as a new key.
  expect(r.log.filter((e) => e.action === `GET /latest/meta-data/cam/security-credentials/${ROLE_NAME}`).length).toBeGreaterThanOrEqual(2);
});

test('the emulator\'s request log of all the runs above names SecretIds only in `secretId`, and no key or token at all', () => {
  expect(emulator.requests.length).toBeGreaterThan(30);
  expectClean(JSON.stringify(emulator.requests), 'the request log', SECRETS);
  for (const entry of emulator.requests) expectClean(JSON.stringify({ ...entry, secretId: undefined }), 'a log entry outside secretId');
});
