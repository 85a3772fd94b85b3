import { DtsClient, DtsClientOptions } from '../../src/dts/client';
import { DtsNetworkError } from '../../src/dts/errors';
import { closeConnections } from '../../src/dts/http';
import { answer2018, ConnectProxy, FakeDts, TEST_SECRET_ID, TEST_SECRET_KEY } from '../support/fake-dts';

const PROXY_VARS = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy', 'NO_PROXY', 'no_proxy'];
let fake: FakeDts;
let proxy: ConnectProxy;
let saved: Record<string, string | undefined>;

function client(options: DtsClientOptions = {}): DtsClient {
  return new DtsClient({
    region: 'ap-guangzhou',
    endpoint: fake.endpoint,
    credentials: { secretId: TEST_SECRET_ID, secretKey: TEST_SECRET_KEY },
    ...options,
  });
}

beforeAll(async () => {
  fake = await FakeDts.start(() => answer2018(), { secretKey: TEST_SECRET_KEY });
  proxy = await ConnectProxy.start();
});

afterAll(async () => {
  await closeConnections();
  await Promise.all([fake.close(), proxy.close()]);
});

beforeEach(async () => {
  saved = Object.fromEntries(PROXY_VARS.map((k) => [k, process.env[k]]));
  for (const k of PROXY_VARS) delete process.env[k];
  fake.requests.length = 0;
  proxy.targets.length = 0;
  await closeConnections();
});

afterEach(async () => {
  for (const k of PROXY_VARS) {
    if (saved[k] === undefined) delete process.env[k];
    else process.env[k] = saved[k];
  }
  await closeConnections();
});

describe('proxies', () => {
  test('without proxy variables requests go straight to the endpoint', async () => {
    await client().describeSyncCheck('sync-blj8wnt1');
    expect(fake.requests).toHaveLength(1);
    expect(proxy.targets).toEqual([]);
  });

  test('with HTTP_PROXY set, requests to an http endpoint tunnel through the proxy, signed for the endpoint host', async () => {
    process.env.HTTP_PROXY = proxy.url;
    const report = await client().describeSyncCheck('sync-blj8wnt1');
    expect(report.passed).toBe(true); // the fake verified the signature against the Host it received
    expect(proxy.targets).toEqual([fake.host]);
    expect(fake.requests[0].headers.host).toBe(fake.host);
  });

  test('a NO_PROXY entry for the endpoint host makes requests go direct', async () => {
    process.env.HTTP_PROXY = proxy.url;
    process.env.NO_PROXY = 'example.com,127.0.0.1';
    await client().describeSyncCheck('sync-blj8wnt1');
    expect(fake.requests).toHaveLength(1);
    expect(proxy.targets).toEqual([]);
  });

  test('a NO_PROXY entry for another port of the host does not bypass the proxy', async () => {
    process.env.http_proxy = proxy.url;
    process.env.no_proxy = `127.0.0.1:${fake.port + 1}`;
    await client().describeSyncCheck('sync-blj8wnt1');
    expect(proxy.targets).toEqual([fake.host]);
  });

  test('with HTTPS_PROXY set, a finance region is reached at its own host through the proxy', async () => {
    // The test proxy refuses every host but loopback, so nothing leaves the machine.
    process.env.HTTPS_PROXY = `http://user:CANARY-proxy-pw@${proxy.url.slice('http://'.length)}`;
    const err = await new DtsClient({
      region: 'ap-shanghai-fsi',
      credentials: { secretId: TEST_SECRET_ID, secretKey: TEST_SECRET_KEY },
      maxAttempts: 1,
    }).describeSyncCheck('sync-blj8wnt1').catch((e) => e);
    expect(proxy.targets).toEqual(['dts.ap-shanghai-fsi.tencentcloudapi.com:443']);
    expect(err).toBeInstanceOf(DtsNetworkError);
    expect(err.message).toMatch(/cannot reach dts\.ap-shanghai-fsi\.tencentcloudapi\.com \(through the proxy/);
    expect(JSON.stringify(err)).not.toContain('CANARY-proxy-pw');
  });
});
