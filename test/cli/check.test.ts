/**
 * `dts-sync-check check` as a pipeline runs it: the bundled script in a child process, against
 * an emulator on 127.0.0.1, with nothing from the developer's environment but PATH.
 */
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { startEmulator } from '../../src/emulator';
import { ProcessResult, runProcess } from '../support/run-process';
import { cliScriptPath } from '../support/scripts';
import { tempDir } from '../support/temp';

const SCRIPT = cliScriptPath();
const CREDS = { secretId: 'AKIDCLITEST0000001', secretKey: 'cli-test-secret-key-0001' };
// Jobs the tests read through AUTO are of the 2018-03-30 family (one request each); the ones read
// with --api-version 2021-12-06 are of today's family.
const JOBS = [
  { jobId: 'sync-pass0001', region: 'ap-guangzhou', family: '2018', outcome: 'passed' },
  { jobId: 'sync-fail0001', region: 'ap-guangzhou', family: '2018', outcome: 'failed', failStep: 7, message: '目标实例不为空' },
  { jobId: 'sync-fail2021', region: 'ap-guangzhou', family: '2021', outcome: 'failed', failStep: 7, message: '目标实例不为空' },
  { jobId: 'sync-warn0001', region: 'ap-guangzhou', family: '2021', outcome: 'passed', warnStep: 8 },
  // Each waiting test needs its own job: a job's clock starts at its first lookup.
  { jobId: 'sync-slow0001', region: 'ap-guangzhou', outcome: 'passed', checkSeconds: 2 },
  { jobId: 'sync-slow0002', region: 'ap-guangzhou', outcome: 'passed', checkSeconds: 2 },
  { jobId: 'sync-runs0001', region: 'ap-guangzhou', outcome: 'running' },
  { jobId: 'sync-stal0001', region: 'ap-guangzhou', outcome: 'passed', faults: [{ kind: 'stall', times: 1 }] },
];

type Emulator = Awaited<ReturnType<typeof startEmulator>>;
let emulator: Emulator;
let home: string;

beforeAll(async () => {
  if (!existsSync(SCRIPT)) {
    throw new Error(`the bundled CLI ${SCRIPT} is missing: run "npx projen bundle" (the test task does it before jest)`);
  }
  home = tempDir('dts-cli-home-');
  emulator = await startEmulator({ credentials: [CREDS], jobs: JOBS } as Parameters<typeof startEmulator>[0]);
});

afterAll(async () => {
  await emulator.close();
});

/** Run the CLI asynchronously (the emulator in this process must keep answering). */
function cli(args: string[], env: Record<string, string | undefined> = {}): Promise<ProcessResult> {
  const base: Record<string, string | undefined> = {
    PATH: process.env.PATH,
    HOME: home,
    TENCENTCLOUD_SECRET_ID: CREDS.secretId,
    TENCENTCLOUD_SECRET_KEY: CREDS.secretKey,
    DTS_SYNC_CHECK_ENDPOINT: emulator.url,
  };
  const merged = Object.fromEntries(Object.entries({ ...base, ...env }).filter(([, v]) => v !== undefined)) as NodeJS.ProcessEnv;
  return runProcess(process.execPath, [SCRIPT, ...args], { env: merged });
}

const check = (jobId: string, ...more: string[]) => cli(['check', '--job-id', jobId, '--region', 'ap-guangzhou', ...more]);

/** Columns on a terminal, independently of the code under test: CJK ideographs take two. */
function columns(text: string): number {
  return [...text].reduce((n, ch) => n + (/[\u3000-\u9fff\uff01-\uff60]/.test(ch) ? 2 : 1), 0);
}

describe('exit codes', () => {
  test('exits 0 and prints the steps and the verdict when the check passed', async () => {
    const r = await check('sync-pass0001');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/✓ passed +10 {2}检查实例冷备数据 +校验成功/);
    expect(r.stdout.trimEnd().split('\n').pop()).toMatch(/^DTS sync check of job sync-pass0001 in ap-guangzhou passed \(request id \S+\), answered by DescribeSyncCheckJob \(API 2018-03-30\)$/);
    expect(r.stderr).toBe('');
  });

  test('exits 1 when the check finished and did not pass, naming the failed step, its solution and help link', async () => {
    const r = await check('sync-fail2021', '--api-version', '2021-12-06');
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/✗ failed +7 {2}检查目标实例是否为空 +目标实例不为空/);
    expect(r.stdout).toMatch(/· pending +8 {2}检查是否开启加密/);
    const below = r.stdout.slice(r.stdout.indexOf('Failed steps:'));
    expect(below).toMatch(/✗ step 7 检查目标实例是否为空 \[DstEmptyCheck\]: 目标实例不为空\n +solution: \S+\n +help: https:\/\/\S+/);
    const last = r.stdout.trimEnd().split('\n').slice(-2);
    expect(last[0]).toMatch(/^DTS sync check of job sync-fail2021 in ap-guangzhou has not passed: check failed at step 7/);
    expect(last[1]).toMatch(/^request id: \S+$/);
  });

  test('exits 2 and sends nothing when the job id is hostile', async () => {
    const before = emulator.requests.length;
    const r = await check('sync-x; rm -rf /');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--job-id must match sync-\[0-9a-z\]\{8\}.*\(got "sync-x; rm -rf \/"\)/);
    expect(r.stdout).toBe('');
    expect(emulator.requests.length).toBe(before);
  });

  test('exits 3 at once when the check is still running and --wait was not given', async () => {
    const r = await check('sync-runs0001');
    expect(r.status).toBe(3);
    expect(r.stdout).toMatch(/has not passed: check is still running/);
    expect(r.stderr).toMatch(/add --wait/);
  });

  test('exits 3 when the check has not finished by the --timeout deadline', async () => {
    const started = Date.now();
    const r = await check('sync-runs0001', '--wait', '--timeout', '2', '--interval', '1');
    expect(r.status).toBe(3);
    expect(Date.now() - started).toBeGreaterThanOrEqual(2000);
    expect(r.stdout).toMatch(/the wait of 2 s ran out/);
  });

  test('exits 4 and names the API error code and request id when the API refuses the credentials', async () => {
    const r = await cli(
      ['check', '--job-id', 'sync-pass0001', '--region', 'ap-guangzhou', '--endpoint', emulator.url],
      { DTS_SYNC_CHECK_ENDPOINT: undefined, TENCENTCLOUD_SECRET_KEY: 'wrong-secret-key' },
    );
    expect(r.status).toBe(4);
    expect(r.stderr).toMatch(/could not be read, so it is treated as not passed/);
    expect(r.stderr).toMatch(/code AuthFailure\.\w+/);
    expect(r.stderr).toMatch(/request id: \S+/);
    expect(r.stderr).not.toContain('wrong-secret-key');
    expect(r.stdout).toBe('');
  });

  test('exits 4 and says where it looked when there are no credentials at all', async () => {
    const r = await cli(['check', '--job-id', 'sync-pass0001', '--region', 'ap-guangzhou'], { TENCENTCLOUD_SECRET_ID: undefined, TENCENTCLOUD_SECRET_KEY: undefined });
    expect(r.status).toBe(4);
    expect(r.stderr).toMatch(/kind credentials/);
    expect(r.stderr).toMatch(/TENCENTCLOUD_SECRET_ID/);
  });
});

describe('table output', () => {
  test('keeps the message column aligned although the step names are Chinese of different lengths', async () => {
    const r = await check('sync-fail0001');
    const lines = r.stdout.split('\n');
    const header = lines.find((l) => /STATE +STEP +NAME +MESSAGE/.test(l))!;
    const column = columns(header.slice(0, header.indexOf('MESSAGE')));
    const rows = lines.filter((l) => /^ {2}[✓✗…·↷] (passed|failed|running|pending|skipped) +\d/.test(l));
    expect(rows).toHaveLength(7);
    for (const row of rows) {
      const message = row.endsWith('校验成功') ? '校验成功' : '目标实例不为空';
      expect(columns(row.slice(0, row.length - message.length))).toBe(column);
    }
  });

  test('shows the warnings of a check that passed with warnings', async () => {
    const r = await check('sync-warn0001', '--api-version', '2021-12-06');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/Warnings:\n {2}! step 8 检查是否开启加密 \[EncryptionCheck\]\n +\w+: \S+/);
  });
});

describe('JSON output', () => {
  test('prints the normalized report, which parses and says whether it passed with every step', async () => {
    const r = await check('sync-fail0001', '--output', 'json');
    expect(r.status).toBe(1);
    const report = JSON.parse(r.stdout);
    expect(report).toMatchObject({ jobId: 'sync-fail0001', region: 'ap-guangzhou', passed: false, phase: 'finished' });
    expect(report.steps.map((s: { stepNo: number }) => s.stepNo)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(report.failedSteps[0]).toMatchObject({ stepNo: 7, state: 'failed', message: '目标实例不为空' });
    expect(r.stderr).toBe('');
  });

  test('prints an error object on stdout and the message on stderr when the lookup fails', async () => {
    const r = await check('sync-none0001', '--output', 'json');
    expect(r.status).toBe(4);
    const { error } = JSON.parse(r.stdout);
    expect(error).toEqual({
      kind: 'api',
      code: 'ResourceNotFound.ResourceNotFoundError',
      message: expect.stringMatching(/^neither API version knows job sync-none0001: DescribeSyncCheckJob \(2018-03-30\) answered ResourceNotFound\.JobNotExist .*, DescribeCheckSyncJobResult \(2021-12-06\) answered ResourceNotFound\.ResourceNotFoundError/),
      requestId: expect.stringMatching(/\S/),
    });
    expect(r.stderr).toMatch(/DTS sync check of job sync-none0001 in ap-guangzhou could not be read/);
  });
});

describe('--wait', () => {
  test('waits for a running check with plain progress lines on a stderr that is not a terminal, then passes', async () => {
    const r = await check('sync-slow0001', '--wait', '--interval', '1', '--timeout', '30');
    expect(r.status).toBe(0);
    const progress = r.stderr.trimEnd().split('\n');
    expect(progress.length).toBeGreaterThanOrEqual(2);
    for (const line of progress) expect(line).toMatch(/^dts-sync-check sync-slow0001: \S+/);
    expect(progress[progress.length - 1]).toMatch(/passed$/);
    expect(r.stderr).not.toContain('\r');
    expect(r.stdout).toMatch(/passed \(request id \S+\), answered by \w+ \(API [\d-]+\)\n$/);
  });

  test('prints no progress with --quiet', async () => {
    const r = await check('sync-slow0002', '--wait', '--interval', '1', '--quiet', '--output', 'json');
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout).passed).toBe(true);
  });
});

describe('--attempt-timeout', () => {
  test('gives up on a stalled attempt after that many seconds and retries, instead of the 10 s default', async () => {
    const started = Date.now();
    const r = await check('sync-stal0001', '--attempt-timeout', '1', '--quiet');
    expect(r.status).toBe(0);
    expect(Date.now() - started).toBeLessThan(8_000);
  });
});

describe('usage', () => {
  test.each([
    [['--bogus'], /unknown option --bogus/],
    [['--region', 'ap-guangzhou'], /--job-id is required/],
    [['--job-id', 'sync-pass0001', '--region', 'ap-guangzhou', '--output', 'yaml'], /--output must be table or json \(got "yaml"\)/],
    [['--job-id', 'sync-pass0001', '--region', 'mars'], /--region must be a Tencent Cloud region id such as "ap-guangzhou".*\(got "mars"\)/],
    [['--job-id', 'sync-pass0001'], /--region is required when TENCENTCLOUD_REGION is not set/],
    [['--job-id', 'sync-pass0001', '--region', 'ap-guangzhou', '--api-version', '2020-01-01'], /--api-version must be one of auto, 2018-03-30, 2021-12-06/],
    [['--job-id', 'sync-pass0001', '--region', 'ap-guangzhou', '--wait', '--timeout', 'soon'], /--timeout must be a number of seconds/],
    [['--job-id', 'sync-pass0001', '--region', 'ap-guangzhou', '--interval', '1'], /--interval only applies with --wait/],
    [['--job-id', 'sync-pass0001', '--region', 'ap-guangzhou', '--wait', '--timeout', '-5'], /--timeout must be a number of seconds from 0 to 86400 \(got "-5"\)/],
    [['--job-id', 'sync-pass0001', '--region', 'ap-guangzhou', '--wait', '--interval', '-0.5'], /--interval must be a number of seconds greater than 0 and at most 3600 \(got "-0\.5"\)/],
    [['--job-id', 'sync-pass0001', '--region', 'ap-guangzhou', '--attempt-timeout', '0'], /--attempt-timeout must be a number of seconds/],
    [['--job-id', 'sync-pass0001', '--region', 'ap-guangzhou', '--attempt-timeout', '1000'], /--attempt-timeout must be a number of seconds greater than 0 and at most 600/],
    [['--job-id', 'sync-pass0001', '--region', 'ap-guangzhou', '--endpoint', 'http://example.com'], /--endpoint must use https/],
    [['--job-id'], /--job-id needs a value/],
    [['sync-pass0001'], /unexpected argument "sync-pass0001"/],
  ])('exits 2 with a message naming the flag for check %j', async (args, message) => {
    const r = await cli(['check', ...args]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).toMatch(/dts-sync-check check --help/);
    expect(r.stdout).toBe('');
  });

  test('takes the region from TENCENTCLOUD_REGION when --region is not given', async () => {
    const r = await cli(['check', '--job-id', 'sync-pass0001'], { TENCENTCLOUD_REGION: 'ap-guangzhou' });
    expect(r.status).toBe(0);
  });

  test('prints the options and every exit code with --help', async () => {
    const r = await cli(['check', '--help']);
    expect(r.status).toBe(0);
    for (const flag of ['--job-id', '--region', '--api-version', '--endpoint', '--wait', '--timeout', '--interval', '--output', '--quiet', '--help']) {
      expect(r.stdout).toContain(flag);
    }
    for (const code of [0, 1, 2, 3, 4]) expect(r.stdout).toMatch(new RegExp(`^ {2}${code} {2}\\S`, 'm'));
  });

  test('prints the package version with --version', async () => {
    const { version } = JSON.parse(readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8'));
    const r = await cli(['--version']);
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe(version);
  });

  test('prints the commands and exits 2 when no command is given', async () => {
    const r = await cli([]);
    expect(r.status).toBe(2);
    expect(`${r.stdout}${r.stderr}`).toMatch(/Usage: dts-sync-check <command>[\s\S]*check/);
  });
});
