import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { call } from './raw-client';
import { DtsEmulator, EMULATOR_BUILT_IN_JOBS, EMULATOR_DEFAULT_CREDENTIALS, EmulatorConfigError, FaultKind, JobFamily, JobOutcome, loadConfigFile, startEmulator } from '../../src/emulator';
import { resolveConfig } from '../../src/emulator/config';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'dts-emulator-config-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** A valid job to vary. */
const J = { jobId: 'sync-aaaaaaa1', region: 'ap-guangzhou' };

describe('configuration validation names the offending field', () => {
  test.each([
    [{ jobs: [{ jobId: 'sync-aaaaaaa1', region: 'ap-guangzhou' }, { jobId: 'sync-aaaaaaa2', region: 'ap-guangzhou', outcome: 'failed', failStep: 11 }] }, /^jobs\[1\]\.failStep must be an integer 1\.\.10 \(got 11\)$/],
    [{ jobs: [{ jobId: 'sync-x', region: 'ap-guangzhou' }] }, /^jobs\[0\]\.jobId must be sync- and eight/],
    [{ jobs: [{ jobId: 'sync-aaaaaaa1', region: 'us_east_1' }] }, /^jobs\[0\]\.region must be a region id such as "ap-guangzhou" .*\(got "us_east_1"\)$/],
    [{ jobs: [{ jobId: 'sync-aaaaaaa1', region: 'ap-guangzhou', outcome: 'pass' }] }, /^jobs\[0\]\.outcome must be one of "passed", "failed", "running"/],
    [{ jobs: [{ jobId: 'sync-aaaaaaa1', region: 'ap-guangzhou', failStep: 3 }] }, /^jobs\[0\]\.failStep only applies to outcome "failed"/],
    [{ jobs: [{ jobId: 'sync-aaaaaaa1', region: 'ap-guangzhou' }, { jobId: 'sync-aaaaaaa1', region: 'ap-guangzhou' }] }, /^jobs\[1\]\.jobId repeats/],
    [{ jobs: [{ jobId: 'sync-aaaaaaa1', region: 'ap-guangzhou', checkSeconds: -1 }] }, /^jobs\[0\]\.checkSeconds must be a number 0\.\./],
    [{ jobs: [{ jobId: 'sync-aaaaaaa1', region: 'ap-guangzhou', outcom: 'passed' }] }, /^jobs\[0\]\.outcom is not a field of jobs\[0\]/],
    [{ jobs: [{ jobId: 'sync-aaaaaaa1', region: 'ap-guangzhou', faults: [{ kind: 'http500', jobId: 'sync-aaaaaaa1' }] }] }, /^jobs\[0\]\.faults\[0\]\.jobId is only for global faults/],
    [{ jobs: [{ jobId: 'sync-aaaaaaa1', region: 'ap-guangzhou', family: '2019' }] }, /^jobs\[0\]\.family must be one of "2018", "2021" \(got "2019"\)$/],
    [{ jobs: [{ jobId: 'sync-aaaaaaa1', region: 'ap-guangzhou', family: '2018', warnStep: 3 }] }, /^jobs\[0\]\.warnStep only applies to family "2021"/],
    [{ faults: [{ kind: 'explode' }] }, /^faults\[0\]\.kind must be one of http500, .*clockSkew/],
    [{ faults: [{ kind: 'stall', probability: 2 }] }, /^faults\[0\]\.probability must be a number 0\.\.1/],
    [{ faults: [{ kind: 'stall', action: 'DescribeSyncJobs' }] }, /^faults\[0\]\.action must be one of DescribeSyncCheckJob, CreateSyncCheckJob, DescribeCheckSyncJobResult, CreateCheckSyncJob/],
    [{ jobs: [{ ...J, family: '2018', skipStep: 3 }] }, /^jobs\[0\]\.skipStep only applies to family "2021"/],
    [{ jobs: [{ ...J, family: '2018', pauseStep: 3 }] }, /^jobs\[0\]\.pauseStep only applies to family "2021"/],
    [{ jobs: [{ ...J, outcome: 'failed', pauseStep: 3 }] }, /^jobs\[0\]\.pauseStep cannot go with outcome "failed"/],
    [{ jobs: [{ ...J, outcome: 'failed', failStep: 4, skipStep: 5 }] }, /^jobs\[0\]\.skipStep must come before failStep 4/],
    [{ jobs: [{ ...J, pauseStep: 4, skipStep: 4 }] }, /^jobs\[0\]\.skipStep must come before pauseStep 4/],
    [{ jobs: [{ ...J, warnStep: 2, skipStep: 2 }] }, /^jobs\[0\]\.skipStep is also warnStep/],
    [{ jobs: [{ ...J, skipStep: 0 }] }, /^jobs\[0\]\.skipStep must be an integer 1\.\.10 \(got 0\)$/],
    [{ jobs: [{ ...J, omitFields: ['CheckFlag'] }] }, /^jobs\[0\]\.omitFields\[0\] must be one of "Status", "StepCount", "StepCur", "Progress", "StepInfos" \(got "CheckFlag"\)$/],
    [{ jobs: [{ ...J, family: '2018', omitStepFields: ['StepNo', 'StepId'] }] }, /^jobs\[0\]\.omitStepFields\[1\] must be one of "StepNo", "StepName", "StepCode", "StepMessage"/],
    [{ jobs: [{ ...J, omitStepFields: ['StepNo', 'StepNo'] }] }, /^jobs\[0\]\.omitStepFields\[1\] repeats "StepNo"$/],
    [{ jobs: [{ ...J, omitFields: 'Status' }] }, /^jobs\[0\]\.omitFields must be an array/],
    [{ jobs: [{ ...J, outcome: 'running', lastCheckedSecondsAgo: 60 }] }, /^jobs\[0\]\.lastCheckedSecondsAgo cannot go with outcome "running"/],
    [{ jobs: [{ ...J, neverChecked: true, lastCheckedSecondsAgo: 60 }] }, /^jobs\[0\]\.lastCheckedSecondsAgo cannot go with neverChecked/],
    [{ jobs: [{ ...J, lastCheckedSecondsAgo: -1 }] }, /^jobs\[0\]\.lastCheckedSecondsAgo must be a number 0\.\./],
    [{ jobs: [{ ...J, neverChecked: 'yes' }] }, /^jobs\[0\]\.neverChecked must be true or false/],
    [{ jobs: [{ ...J, refuseCheckCode: 'NotAllowed' }] }, /^jobs\[0\]\.refuseCheckCode must be one of "FailedOperation\.NotAllowOperation", /],
    [{ jobs: [{ ...J, refuseCheck: false, refuseCheckCode: 'UnsupportedOperation' }] }, /^jobs\[0\]\.refuseCheckCode needs refuseCheck true/],
    [{ credentials: [] }, /^credentials must list at least one key pair/],
    [{ credentials: [{ secretId: 'AKID X', secretKey: 'k' }] }, /^credentials\[0\]\.secretId must be printable ASCII/],
    [{ rateLimitPerSecond: 1.5 }, /^rateLimitPerSecond must be an integer/],
    [{ retired2018: 'yes' }, /^retired2018 must be true or false/],
    [{ port: 70000 }, /^port must be an integer 0\.\.65535/],
    [{ colour: 'blue' }, /^colour is not a field of config/],
  ])('%j is refused', (config, message) => {
    expect(() => resolveConfig(config)).toThrow(EmulatorConfigError);
    expect(() => resolveConfig(config)).toThrow(message);
  });

  test('startEmulator rejects an invalid configuration without listening', async () => {
    await expect(startEmulator({ jobs: [{ jobId: 'sync-aaaaaaa1', region: 'nowhere' }] })).rejects.toThrow(/jobs\[0\]\.region/);
  });
});

describe('defaults', () => {
  test('no configuration serves the built-in jobs with the default key pair', () => {
    const config = resolveConfig();
    expect([...config.jobs.keys()]).toEqual(EMULATOR_BUILT_IN_JOBS.map((j) => j.jobId));
    expect([...config.credentials.values()]).toEqual([EMULATOR_DEFAULT_CREDENTIALS]);
    expect(config).toMatchObject({ rateLimitPerSecond: 20, retired2018: false, strictFinanceHost: false, clockSkewSeconds: 0, seed: 1, port: 0 });
  });

  test('the built-in set has a passing, a failing, a slow, a never-ending and a finance-region job', () => {
    const byId = new Map(EMULATOR_BUILT_IN_JOBS.map((j) => [j.jobId, j]));
    expect(byId.get('sync-blj8wnt1')).toMatchObject({ region: 'ap-guangzhou', outcome: JobOutcome.PASSED });
    expect(byId.get('sync-fail0001')).toMatchObject({ outcome: JobOutcome.FAILED, failStep: 7, message: '目标实例不为空' });
    expect(byId.get('sync-slow0001')!.checkSeconds).toBeGreaterThanOrEqual(10);
    expect(byId.get('sync-runs0001')!.outcome).toBe(JobOutcome.RUNNING);
    expect(byId.get('sync-fsi00001')!.region).toBe('ap-shanghai-fsi');
  });

  test('a configured job belongs to today\'s family (2021) unless it says otherwise; the built-in set has both', () => {
    const config = resolveConfig({ jobs: [{ jobId: 'sync-aaaaaaa1', region: 'ap-guangzhou' }, { jobId: 'sync-aaaaaaa2', region: 'ap-guangzhou', family: JobFamily.V2018 }] });
    expect(config.jobs.get('sync-aaaaaaa1')!.family).toBe('2021');
    expect(config.jobs.get('sync-aaaaaaa2')!.family).toBe('2018');
    const families = new Set([...resolveConfig().jobs.values()].map((j) => j.family));
    expect([...families].sort()).toEqual(['2018', '2021']);
    expect(resolveConfig().jobs.get('sync-blj8wnt1')!.family).toBe('2018');
  });

  test('a failed job without failStep or message fails step 7 with its standard message, in both languages', () => {
    const job = resolveConfig({ jobs: [{ jobId: 'sync-aaaaaaa1', region: 'ap-guangzhou', outcome: 'failed' }] }).jobs.get('sync-aaaaaaa1')!;
    expect(job).toMatchObject({ failStep: 7, failureText: { 'zh-CN': '目标实例不为空', 'en-US': 'The target instance is not empty' }, checkSeconds: 0 });
  });

  test('any well-formed region is accepted: regions opened since 2018, suffixes, digits', () => {
    const regions = ['ap-tokyo', 'ap-jakarta', 'sa-saopaulo', 'ap-beijing-fsi', 'ap-guangzhou-open', 'na-ashburn', 'ap-shanghai-adc', 'eu-moscow-2'];
    const config = resolveConfig({ jobs: regions.map((region, i) => ({ jobId: `sync-region0${i}`, region })) });
    expect([...config.jobs.values()].map((j) => j.region)).toEqual(regions);
  });

  test('a refused check answers its family\'s documented default code unless one is configured', () => {
    const config = resolveConfig({
      jobs: [
        { ...J, jobId: 'sync-refuse01', refuseCheck: true },
        { ...J, jobId: 'sync-refuse02', family: '2018', refuseCheck: true },
        { ...J, jobId: 'sync-refuse03', refuseCheckCode: 'FailedOperation.StatusInConflict' },
        { ...J, jobId: 'sync-refuse04' },
      ],
    });
    expect([...config.jobs.values()].map((j) => j.refuseCheckCode)).toEqual([
      'UnsupportedOperation.UnsupportedOperationError',
      'FailedOperation.NotAllowOperation',
      'FailedOperation.StatusInConflict',
      undefined,
    ]);
  });
});

describe('configuration files', () => {
  test('a file is validated with the file named in the error', () => {
    const file = join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify({ jobs: [{ jobId: 'sync-aaaaaaa1', region: 'ap-guangzhou', outcome: 'failed', failStep: 0 }] }));
    expect(() => loadConfigFile(file)).toThrow(/^jobs\[0\]\.failStep must be an integer 1\.\.10 \(got 0\) \(in .*bad\.json\)$/);
  });

  test('a file that is not JSON, or missing, is refused clearly', () => {
    const file = join(dir, 'broken.json');
    writeFileSync(file, '{ jobs: [');
    expect(() => loadConfigFile(file)).toThrow(/--config is not valid JSON/);
    expect(() => loadConfigFile(join(dir, 'missing.json'))).toThrow(/--config cannot be read/);
  });

  test('DtsEmulator (the jsii class) serves a config file, with inline options winning', async () => {
    const file = join(dir, 'good.json');
    writeFileSync(
      file,
      JSON.stringify({
        credentials: [{ secretId: 'AKIDFILE', secretKey: 'FILEKEY' }],
        jobs: [{ jobId: 'sync-file0001', region: 'ap-beijing', family: '2018', outcome: 'failed', failStep: 2 }],
        retired2018: true,
      }),
    );
    const emulator = await DtsEmulator.start({ configFile: file, retired2018: false, faults: [{ kind: FaultKind.HTTP_500, times: 1 }] });
    try {
      expect(emulator.url).toBe(`http://127.0.0.1:${emulator.port}`);
      const sign = { secretId: 'AKIDFILE', secretKey: 'FILEKEY' };
      expect((await call(emulator.url, { jobId: 'sync-file0001', region: 'ap-beijing', sign })).status).toBe(500);
      const res = await call(emulator.url, { jobId: 'sync-file0001', region: 'ap-beijing', sign });
      expect(res.response).toMatchObject({ Status: 'finished', CheckFlag: 0 });
      expect(emulator.requestCount).toBe(2);
      expect(emulator.requests.map((r) => r.outcome)).toEqual(['http500', 'Success']);
      expect(DtsEmulator.DEFAULT_SECRET_ID).toBe(EMULATOR_DEFAULT_CREDENTIALS.secretId);
      expect(DtsEmulator.DEFAULT_SECRET_KEY).toBe(EMULATOR_DEFAULT_CREDENTIALS.secretKey);
    } finally {
      await emulator.close();
    }
  });
});
