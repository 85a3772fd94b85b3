/**
 * Regions opened after the 2018 API page, end to end: the bundled CLI and gate accept them and send
 * them as X-TC-Region; a finance region refuses a host that does not serve it, naming the flag or
 * variable. (Against the small fake server: the emulator learns these regions on its own branch.)
 */
import { answer2021, FakeDts, TEST_SECRET_ID, TEST_SECRET_KEY } from '../support/fake-dts';
import { runProcess } from '../support/run-process';
import { cliScriptPath, lookupScriptPath } from '../support/scripts';
import { tempDir } from '../support/temp';

const REGIONS = ['ap-nanjing', 'ap-tokyo', 'ap-beijing-fsi', 'sa-saopaulo'];
let fake: FakeDts;
let home: string;

beforeAll(async () => {
  home = tempDir('dts-cli-regions-');
  fake = await FakeDts.start((req) => (req.version === '2021-12-06' ? answer2021() : { body: { Response: { Error: { Code: 'ResourceNotFound.JobNotExist', Message: 'x' }, RequestId: 'r-2018' } } }), { secretKey: TEST_SECRET_KEY });
});

afterAll(async () => {
  await fake.close();
});

function env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH, HOME: home, TENCENTCLOUD_SECRET_ID: TEST_SECRET_ID, TENCENTCLOUD_SECRET_KEY: TEST_SECRET_KEY, ...extra };
}

test.each(REGIONS)('check --region %s reads the check there (AUTO: 2018 does not know the job, 2021 answers)', async (region) => {
  fake.requests.length = 0;
  const r = await runProcess(process.execPath, [cliScriptPath(), 'check', '--job-id', 'sync-region01', '--region', region, '--output', 'json'], {
    env: env({ DTS_SYNC_CHECK_ENDPOINT: fake.endpoint }),
  });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  expect(JSON.parse(r.stdout)).toMatchObject({ region, passed: true, apiVersion: '2021-12-06', action: 'DescribeCheckSyncJobResult' });
  expect(fake.requests.map((q) => `${q.action} ${q.headers['x-tc-region']}`)).toEqual([`DescribeSyncCheckJob ${region}`, `DescribeCheckSyncJobResult ${region}`]);
});

test.each(REGIONS)('the gate checks a job in %s', async (region) => {
  const r = await runProcess(process.execPath, [lookupScriptPath(), 'gate'], {
    env: env({ DTS_SYNC_CHECK_JOB_ID: 'sync-region02', DTS_SYNC_CHECK_REGION: region, DTS_SYNC_CHECK_ENDPOINT: fake.endpoint }),
  });
  expect(r.status).toBe(0);
  expect(r.stdout).toMatch(new RegExp(`^DTS sync check of job sync-region02 in ${region} passed`));
});

test('a finance region with the shared host is refused by the CLI, naming --endpoint, before anything is sent', async () => {
  fake.requests.length = 0;
  const r = await runProcess(process.execPath, [
    cliScriptPath(), 'check', '--job-id', 'sync-region03', '--region', 'ap-beijing-fsi', '--endpoint', 'https://dts.tencentcloudapi.com',
  ], { env: env() });
  expect(r.status).toBe(2);
  expect(r.stderr).toMatch(/--endpoint "https:\/\/dts\.tencentcloudapi\.com" does not serve region ap-beijing-fsi: use https:\/\/dts\.ap-beijing-fsi\.tencentcloudapi\.com/);
});

test('a finance region with the shared host in DTS_SYNC_CHECK_ENDPOINT is refused by the gate, naming the variable', async () => {
  const r = await runProcess(process.execPath, [lookupScriptPath(), 'gate'], {
    env: env({ DTS_SYNC_CHECK_JOB_ID: 'sync-region04', DTS_SYNC_CHECK_REGION: 'ap-beijing-fsi', DTS_SYNC_CHECK_ENDPOINT: 'https://dts.tencentcloudapi.com' }),
  });
  expect(r.status).toBe(2);
  expect(r.stderr).toMatch(/DTS_SYNC_CHECK_ENDPOINT "https:\/\/dts\.tencentcloudapi\.com" does not serve region ap-beijing-fsi/);
});

test('a region id that is not well-formed is refused by both, before anything is sent', async () => {
  fake.requests.length = 0;
  const viaCli = await runProcess(process.execPath, [cliScriptPath(), 'check', '--job-id', 'sync-region05', '--region', 'ap-Nanjing'], {
    env: env({ DTS_SYNC_CHECK_ENDPOINT: fake.endpoint }),
  });
  const viaGate = await runProcess(process.execPath, [lookupScriptPath(), 'gate'], {
    env: env({ DTS_SYNC_CHECK_JOB_ID: 'sync-region05', DTS_SYNC_CHECK_REGION: 'ap-Nanjing', DTS_SYNC_CHECK_ENDPOINT: fake.endpoint }),
  });
  expect([viaCli.status, viaGate.status]).toEqual([2, 2]);
  expect(viaCli.stderr).toMatch(/--region must be a Tencent Cloud region id .*\(got "ap-Nanjing"\)/);
  expect(viaGate.stderr).toMatch(/DTS_SYNC_CHECK_REGION must be a Tencent Cloud region id .*\(got "ap-Nanjing"\)/);
  expect(fake.requests).toHaveLength(0);
});
