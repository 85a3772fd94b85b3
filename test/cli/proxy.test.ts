/**
 * The bundled lookup script through a proxy, in a process of its own: the script carries only
 * the parts of undici it needs, so this proves the proxy path works from the bundle alone.
 */
import { RunningEmulator, startEmulator } from '../../src/emulator';
import { ConnectProxy } from '../support/fake-dts';
import { runProcess } from '../support/run-process';
import { cliScriptPath } from '../support/scripts';
import { tempDir } from '../support/temp';

const CREDS = { secretId: 'AKIDPROXYTEST0001', secretKey: 'proxy-test-secret-key' };
let emulator: RunningEmulator;
let proxy: ConnectProxy;
const home = tempDir('dts-proxy-home-');

beforeAll(async () => {
  emulator = await startEmulator({ credentials: [CREDS] });
  proxy = await ConnectProxy.start();
});

afterAll(async () => {
  await proxy.close();
  await emulator.close();
});

function check(env: Record<string, string>) {
  return runProcess(process.execPath, [cliScriptPath(), 'check', '--job-id', 'sync-blj8wnt1', '--region', 'ap-guangzhou', '--output', 'json'], {
    env: {
      PATH: process.env.PATH,
      HOME: home,
      TENCENTCLOUD_SECRET_ID: CREDS.secretId,
      TENCENTCLOUD_SECRET_KEY: CREDS.secretKey,
      DTS_SYNC_CHECK_ENDPOINT: emulator.url,
      ...env,
    },
    timeoutMs: 30_000,
  });
}

test('with HTTP_PROXY set, the bundled script reaches the emulator through the proxy and reads the check', async () => {
  const before = proxy.targets.length;
  const r = await check({ HTTP_PROXY: proxy.url });
  expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: '' });
  expect(JSON.parse(r.stdout)).toMatchObject({ jobId: 'sync-blj8wnt1', passed: true });
  expect(proxy.targets.slice(before)).toEqual([`127.0.0.1:${emulator.port}`]);
});

test('with NO_PROXY naming the emulator host, the bundled script goes direct', async () => {
  const before = proxy.targets.length;
  const r = await check({ HTTP_PROXY: proxy.url, NO_PROXY: '127.0.0.1' });
  expect(r.status).toBe(0);
  expect(proxy.targets.length).toBe(before);
});
