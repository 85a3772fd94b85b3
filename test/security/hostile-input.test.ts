/**
 * Hostile job ids, regions and endpoints are refused before anything runs, at every entry point:
 * the construct (throws at construction), the client (DtsInputError, nothing sent), the `check`
 * CLI (exit 2, nothing sent) and the gate's environment (exit 2, nothing sent). "Nothing sent"
 * is read from the request log of an emulator that every refused value would otherwise reach.
 *
 * Extends the few hostile values of test/construct/sync-check-result.test.ts, test/cli/check.test.ts
 * and test/lookup/gate-fails-closed.test.ts to one table tried everywhere.
 */
import { spawn } from 'node:child_process';
import { App, TerraformStack } from 'cdktf';
import { SyncCheckResult } from '../../src';
import { DtsClient } from '../../src/dts/client';
import { DtsInputError } from '../../src/dts/errors';
import { closeConnections } from '../../src/dts/http';
import { RunningEmulator, startEmulator } from '../../src/emulator';
import { ProcessResult, runProcess } from '../support/run-process';
import { scriptFor } from '../support/scripts';
import { tempDir } from '../support/temp';

const CREDS = { secretId: 'AKIDHOSTILEINPUT01', secretKey: 'hostile-input-secret-key-01' };
const GOOD_JOB = 'sync-blj8wnt1';
const GOOD_REGION = 'ap-guangzhou';
const TEN_KB = 'a'.repeat(10 * 1024);

/** Values no entry point may accept. `argv` false: the OS cannot carry it in argv or env (NUL). */
const HOSTILE_JOB_IDS: ReadonlyArray<readonly [string, string, boolean?]> = [
  ['shell command', 'sync-x; rm -rf /'],
  ['command substitution', '$(id)'],
  ['backticks', 'sync-`id`00'],
  ['pipe', 'sync-blj8|sh'],
  ['newline injection', 'sync-blj8wnt1\nrm -rf /'],
  ['carriage return', 'sync-blj8wnt1\r'],
  ['NUL byte', 'sync-blj8wnt1\u0000', false],
  ['Terraform interpolation', 'sync-${file("/etc/passwd")}'],
  ['JSON breaking quote', 'sync-blj8"}],'],
  ['fullwidth digit lookalike', 'sync-blj8wnt\uff11'],
  ['Cyrillic lookalike', '\u0455ync-blj8wnt1'],
  ['zero-width space', 'sync-blj8wnt1\u200b'],
  ['RTL override', 'sync-\u202eblj8wnt'],
  ['upper case', 'SYNC-BLJ8WNT1'],
  ['10 kB', `sync-${TEN_KB}`],
  ['empty', ''],
];

const HOSTILE_REGIONS: ReadonlyArray<readonly [string, string, boolean?]> = [
  ['shell command', 'ap-guangzhou; id'],
  ['command substitution', '$(id)'],
  ['newline', 'ap-guangzhou\nid'],
  ['NUL byte', 'ap-guangzhou\u0000', false],
  ['Cyrillic lookalike', '\u0430p-guangzhou'],
  ['zero-width space', 'ap-guangzhou\u200b'],
  ['RTL override', '\u202eap-guangzhou'],
  ['unknown region', 'mars-north-1'],
  ['upper case', 'AP-GUANGZHOU'],
  ['10 kB', `ap-${TEN_KB}`],
];

/** Endpoints refused: credentials, non-loopback http, other schemes, paths, interpolation, control characters. */
const HOSTILE_ENDPOINTS: ReadonlyArray<readonly [string, string, boolean?]> = [
  ['credentials in the URL', 'https://AKIDLEAK:leaked-key@dts.tencentcloudapi.com'],
  ['credentials on loopback', 'http://user:pass@127.0.0.1:9'],
  ['userinfo that looks like a host', 'http://127.0.0.1:80@example.com'],
  ['non-loopback http', 'http://dts.tencentcloudapi.com'],
  ['http to a private address', 'http://10.0.0.1:8080'],
  ['http to a loopback-looking name', 'http://127.0.0.1.nip.io'],
  ['file scheme', 'file:///etc/passwd'],
  ['javascript scheme', 'javascript:alert(1)'],
  ['data scheme', 'data:text/plain,hello'],
  ['ftp scheme', 'ftp://127.0.0.1/'],
  ['a path', 'https://dts.tencentcloudapi.com/v1/other'],
  ['a query', 'https://dts.tencentcloudapi.com/?redirect=evil'],
  ['a fragment', 'https://dts.tencentcloudapi.com/#x'],
  ['Terraform interpolation in the host', 'https://${file("x")}.example.com'],
  ['a dotless-i lookalike of the real host', 'https://dts.tencentcloudap\u0131.com'],
  ['a Cyrillic lookalike of the real host', 'https://dts.t\u0435ncentcloudapi.com'],
  ['a zero-width space in the host', 'https://dts.tencent\u200bcloudapi.com'],
  ['a newline', 'https://dts.tencentcloudapi.com\nX-Evil: 1'],
  ['a NUL byte', 'https://dts.tencentcloudapi.com\u0000', false],
  ['a space', 'https://dts.tencentcloudapi.com /'],
  ['not a URL', 'dts.tencentcloudapi.com'],
  ['10 kB', `https://${TEN_KB}.com`],
  ['empty', ''],
];

let emulator: RunningEmulator;
const home = tempDir('dts-hostile-home-');

beforeAll(async () => {
  emulator = await startEmulator({ credentials: [CREDS], rateLimitPerSecond: 0 });
});

afterAll(async () => {
  await closeConnections();
  await emulator.close();
});


function runScript(args: string[], env: Record<string, string>): Promise<ProcessResult> {
  return runProcess(process.execPath, [scriptFor(args[0]), ...args], {
    env: { PATH: process.env.PATH, HOME: home, TENCENTCLOUD_SECRET_ID: CREDS.secretId, TENCENTCLOUD_SECRET_KEY: CREDS.secretKey, ...env },
    timeoutMs: 30_000,
  });
}

/**
 * An error message may quote the value, but escaped and bounded: no raw control characters, no
 * invisible format characters (bidi overrides, zero-width), no 10 kB echo.
 */
function expectSafeEcho(text: string): void {
  // eslint-disable-next-line no-control-regex
  expect(text.replace(/\n/g, '')).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
  expect(text).not.toMatch(/[\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/);
  expect(text).not.toContain('rm -rf /\n');
  expect(text).not.toContain(TEN_KB.slice(0, 200));
}

type Kind = 'jobId' | 'region' | 'endpoint';
const CASES: ReadonlyArray<readonly [Kind, string, string, boolean]> = [
  ...HOSTILE_JOB_IDS.map(([what, v, argv]) => ['jobId', what, v, argv ?? true] as const),
  ...HOSTILE_REGIONS.map(([what, v, argv]) => ['region', what, v, argv ?? true] as const),
  ...HOSTILE_ENDPOINTS.map(([what, v, argv]) => ['endpoint', what, v, argv ?? true] as const),
];

const PROP_MESSAGE: Record<Kind, RegExp> = {
  jobId: /`jobId` must match sync-\[0-9a-z\]\{8\}/,
  region: /`region` must be a Tencent Cloud region id/,
  endpoint: /`endpoint` (must|does not)/,
};

describe('the construct refuses hostile input at construction', () => {
  test.each(CASES.map(([kind, what, value]) => [kind, what, value] as const))('%s: %s', (kind, _what, value) => {
    const stack = new TerraformStack(new App(), 'stack');
    const props = { jobId: GOOD_JOB, region: GOOD_REGION, endpoint: emulator.url, [kind]: value };
    let message = '';
    try {
      new SyncCheckResult(stack, 'dr-check', props);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(new RegExp(`^stack/dr-check: ${PROP_MESSAGE[kind].source}`));
    expectSafeEcho(message);
  });
});

describe('the client refuses hostile input with DtsInputError, sending nothing', () => {
  test.each(CASES.map(([kind, what, value]) => [kind, what, value] as const))('%s: %s', async (kind, _what, value) => {
    const before = emulator.requests.length;
    let error: unknown;
    try {
      const client = new DtsClient({
        region: kind === 'region' ? value : GOOD_REGION,
        endpoint: kind === 'endpoint' ? value : emulator.url,
        credentials: CREDS,
      });
      await client.describeSyncCheck(kind === 'jobId' ? value : GOOD_JOB);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DtsInputError);
    expect((error as DtsInputError).code).toBe({ jobId: 'InvalidJobId', region: 'InvalidRegion', endpoint: 'InvalidEndpoint' }[kind]);
    expectSafeEcho((error as Error).message);
    expect(emulator.requests.length).toBe(before);
  });
});

describe('the check CLI refuses hostile input with exit 2, sending nothing', () => {
  const flag: Record<Kind, string> = { jobId: '--job-id', region: '--region', endpoint: '--endpoint' };
  test.each(CASES.filter(([, , , argv]) => argv).map(([kind, what, value]) => [kind, what, value] as const))('%s: %s', async (kind, _what, value) => {
    const before = emulator.requests.length;
    const args = ['check', '--job-id', GOOD_JOB, '--region', GOOD_REGION, '--endpoint', emulator.url, '--output', 'json'];
    args[args.indexOf(flag[kind]) + 1] = value;
    const r = await runScript(args, {});
    expect({ status: r.status, stdout: r.stdout }).toEqual({ status: 2, stdout: '' });
    expect(r.stderr).toMatch(new RegExp(`${flag[kind]} (must|does not)`));
    expectSafeEcho(r.stderr);
    expect(emulator.requests.length).toBe(before);
  });

  test('a NUL byte cannot even reach the CLI or the gate: node refuses to start a process with one', () => {
    expect(() => spawn(process.execPath, ['-e', '0', 'sync-blj8wnt1\u0000'])).toThrow(/null bytes/);
    expect(() => spawn(process.execPath, ['-e', '0'], { env: { X: 'a\u0000b' } })).toThrow(/null bytes/);
  });
});

describe('the gate refuses hostile input from its environment with exit 2, sending nothing', () => {
  const variable: Record<Kind, string> = { jobId: 'DTS_SYNC_CHECK_JOB_ID', region: 'DTS_SYNC_CHECK_REGION', endpoint: 'DTS_SYNC_CHECK_ENDPOINT' };
  test.each(CASES.filter(([, , value, argv]) => argv && value !== '').map(([kind, what, value]) => [kind, what, value] as const))(
    '%s: %s',
    async (kind, _what, value) => {
      const before = emulator.requests.length;
      const env = {
        DTS_SYNC_CHECK_JOB_ID: GOOD_JOB,
        DTS_SYNC_CHECK_REGION: GOOD_REGION,
        DTS_SYNC_CHECK_ENDPOINT: emulator.url,
        DTS_SYNC_CHECK_WAIT_TIMEOUT_SECONDS: '2',
        DTS_SYNC_CHECK_POLL_INTERVAL_SECONDS: '1',
        [variable[kind]]: value,
      };
      const r = await runScript(['gate'], env);
      expect(r.status).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(new RegExp(`${variable[kind]}|${kind}`));
      // The gate validates its environment up front, so every hostile value is quoted escaped and bounded.
      expectSafeEcho(r.stderr);
      expect(emulator.requests.length).toBe(before);
    },
  );
});
