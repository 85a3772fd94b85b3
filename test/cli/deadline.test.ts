/**
 * The deadline rule in real processes: the bundled CLI and gate against a fake on 127.0.0.1 that
 * stalls or throttles. Each bound is the rule plus room for a busy machine, with parameters chosen
 * so that a look bounded by anything but the lookup's deadline (its 30 s attempt timeout, the
 * 60 s per-call deadline) overshoots the bound by far.
 */
import { DEADLINE_MARGIN_MS } from '../../src/dts/deadline';
import { answer2021, apiError, FakeDts, TEST_SECRET_ID, TEST_SECRET_KEY } from '../support/fake-dts';
import { runProcess } from '../support/run-process';
import { cliScriptPath, lookupScriptPath } from '../support/scripts';
import { tempDir } from '../support/temp';
import { expectWithinRule, SLACK_MS } from '../support/time';

let fake: FakeDts;
let home: string;

beforeAll(async () => {
  home = tempDir('dts-cli-deadline-');
  fake = await FakeDts.start();
});

afterAll(async () => {
  await fake.close();
});

function env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: home,
    TENCENTCLOUD_SECRET_ID: TEST_SECRET_ID,
    TENCENTCLOUD_SECRET_KEY: TEST_SECRET_KEY,
    DTS_SYNC_CHECK_ENDPOINT: fake.endpoint,
    ...extra,
  };
}

/** A job of the 2021 family (the 2018 action does not know it) whose check is running; after its first answer, every request of it stalls. */
function runningThenStalling(jobId: string): void {
  let answered = false;
  fake.handler = (req) => {
    const id = (req.json as { JobId?: string }).JobId;
    if (id !== jobId) return apiError('ResourceNotFound.ResourceNotFoundError');
    if (req.version === '2018-03-30') return apiError('ResourceNotFound.JobNotExist', 'no such job in this family');
    if (answered) return { stall: true };
    answered = true;
    return answer2021({ status: 'running', stepCur: 2, progress: 40 });
  };
}

test('check --wait: a service that stalls after the first look ends at the deadline as "not finished" (exit 3) with the last status', async () => {
  runningThenStalling('sync-ddline01');
  const r = await runProcess(process.execPath, [
    cliScriptPath(), 'check', '--job-id', 'sync-ddline01', '--region', 'ap-guangzhou', '--wait', '--timeout', '4', '--interval', '2', '--attempt-timeout', '30',
  ], { env: env() });
  expect(r.stderr).not.toMatch(/could not be read/);
  expect(r.status).toBe(3);
  expect(r.stdout).toMatch(/: running \(API 2021-12-06, progress 40%/);
  expect(r.stdout).toMatch(/has not passed: check is still running \(step 2 of 3, 40%\), and the wait of 4 s ran out/);
  expectWithinRule(r.elapsedMs, (4 + 2) * 1000 + DEADLINE_MARGIN_MS, SLACK_MS.childProcess, 'check --wait --timeout 4 --interval 2');
});

test('the gate: the same service ends the apply-time check the same way, exit 3, never 0', async () => {
  runningThenStalling('sync-ddline02');
  const r = await runProcess(process.execPath, [lookupScriptPath(), 'gate'], {
    env: env({
      DTS_SYNC_CHECK_JOB_ID: 'sync-ddline02',
      DTS_SYNC_CHECK_REGION: 'ap-guangzhou',
      DTS_SYNC_CHECK_WAIT_TIMEOUT_SECONDS: '4',
      DTS_SYNC_CHECK_POLL_INTERVAL_SECONDS: '2',
      DTS_SYNC_CHECK_ATTEMPT_TIMEOUT_SECONDS: '30',
    }),
  });
  expect(r.status).toBe(3);
  expect(r.stderr).toMatch(/has not finished after waiting 4 s: check is still running/);
  expectWithinRule(r.elapsedMs, (4 + 2) * 1000 + DEADLINE_MARGIN_MS, SLACK_MS.childProcess, 'the gate with a 4 s wait and a 2 s poll interval');
});

test('check --wait: a service that throttles every request is retried until the deadline, then exit 4 naming the rule and the attempts', async () => {
  fake.handler = () => apiError('RequestLimitExceeded', 'too many requests');
  const r = await runProcess(process.execPath, [
    cliScriptPath(), 'check', '--job-id', 'sync-ddline03', '--region', 'ap-guangzhou', '--api-version', '2021-12-06',
    '--wait', '--timeout', '3', '--interval', '1', '--output', 'json',
  ], { env: env() });
  expect(r.status).toBe(4);
  const { error } = JSON.parse(r.stdout);
  expect(error.code).toBe('DeadlineExceeded');
  expect(error.message).toMatch(
    /^DescribeCheckSyncJobResult got no usable answer within the lookup's deadline of 4 s \(a 3 s wait \+ one 1 s poll interval\), after \d+ attempts; last error: .*RequestLimitExceeded/,
  );
  expect(error.message).not.toMatch(/\b0 attempts|0\.0 s/);
  expectWithinRule(r.elapsedMs, (3 + 1) * 1000 + DEADLINE_MARGIN_MS, SLACK_MS.childProcess, 'check --wait --timeout 3 --interval 1');
});
