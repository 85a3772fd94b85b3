import { DtsClient } from '../../src/dts/client';
import { closeConnections } from '../../src/dts/http';
import { RequestPacer } from '../../src/dts/limiter';
import { answer2018, FakeDts, TEST_SECRET_ID, TEST_SECRET_KEY } from '../support/fake-dts';

let fake: FakeDts;

beforeAll(async () => {
  fake = await FakeDts.start(() => answer2018());
});

afterAll(async () => {
  await closeConnections();
  await fake.close();
});

/** The most requests the server saw in any window [t, t + 1 s). */
function busiestSecond(times: number[]): number {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  let j = 0;
  for (let i = 0; i < sorted.length; i++) {
    while (sorted[i] - sorted[j] >= 1000) j++;
    best = Math.max(best, i - j + 1);
  }
  return best;
}

describe('the process-wide request pacer', () => {
  test('60 concurrent calls from three clients at 20/s never exceed 20 in any second at the server', async () => {
    const clients = [1, 2, 3].map(() => new DtsClient({
      region: 'ap-guangzhou',
      endpoint: fake.endpoint,
      credentials: { secretId: TEST_SECRET_ID, secretKey: TEST_SECRET_KEY },
      requestsPerSecond: 20,
    }));
    const started = Date.now();
    const reports = await Promise.all(Array.from({ length: 60 }, (_, i) => clients[i % 3].describeSyncCheck('sync-blj8wnt1')));
    const wall = Date.now() - started;
    expect(reports.every((r) => r.passed)).toBe(true);
    expect(fake.requests).toHaveLength(60);
    expect(busiestSecond(fake.requests.map((r) => r.receivedAt))).toBeLessThanOrEqual(20);
    expect(wall).toBeGreaterThanOrEqual(2000);
  });

  test('spaces reservations evenly and refuses a slot beyond the caller\'s deadline', () => {
    const pacer = new RequestPacer(10);
    expect(pacer.reserve(0, 1000)).toBe(0);
    expect(pacer.reserve(0, 1000)).toBeCloseTo(105);
    expect(pacer.reserve(0, 1000)).toBeCloseTo(210);
    expect(pacer.reserve(0, 100)).toBeUndefined();
    expect(pacer.reserve(0, 1000)).toBeCloseTo(315); // the refused slot was not taken
  });

  test('a bunch of late timers cannot put more than the rate into one window', () => {
    const pacer = new RequestPacer(2);
    pacer.recordSend(0);
    pacer.recordSend(10);
    expect(pacer.windowWait(20)).toBeCloseTo(1080); // the third may go 1.1 s after the first
    pacer.recordSend(1100);
    expect(pacer.windowWait(1100)).toBeCloseTo(10);
  });

  test('the strictest rate asked for a host wins', () => {
    const pacer = new RequestPacer(100);
    pacer.tighten(10);
    pacer.tighten(50);
    pacer.reserve(0, 0);
    expect(pacer.reserve(0, 1000)).toBeCloseTo(105);
  });
});
