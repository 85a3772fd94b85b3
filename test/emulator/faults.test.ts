import { call, RawAnswer } from './raw-client';
import { EmulatorFaultConfig, FaultKind, RunningEmulator, startEmulator } from '../../src/emulator';

const KINDS = Object.values(FaultKind);
/** One job per fault kind: sync-fault000, sync-fault001, ... */
const jobFor = (kind: FaultKind) => `sync-fault${String(KINDS.indexOf(kind)).padStart(3, '0')}`;
const faultFor = (kind: FaultKind): EmulatorFaultConfig => ({ kind, durationMs: 600, skewSeconds: 900 });

let emu: RunningEmulator;

beforeAll(async () => {
  emu = await startEmulator({
    rateLimitPerSecond: 0,
    // The 2018-03-30 family: the raw client asks DescribeSyncCheckJob unless told otherwise.
    jobs: [
      ...KINDS.map((kind) => ({ jobId: jobFor(kind), region: 'ap-guangzhou', family: '2018' as const, faults: [faultFor(kind)] })),
      { jobId: 'sync-twice001', region: 'ap-guangzhou', family: '2018', faults: [{ kind: 'http503', times: 2 }] },
      { jobId: 'sync-action01', region: 'ap-guangzhou', family: '2018', faults: [{ kind: 'internalDatabaseError', action: 'DescribeSyncCheckJob' }] },
      { jobId: 'sync-clean001', region: 'ap-guangzhou', family: '2018' },
    ],
  });
});

afterAll(async () => {
  await emu.close();
});

const ask = (kind: FaultKind, timeoutMs = 3000) => call(emu.url, { jobId: jobFor(kind), timeoutMs });

function expectNotJson(res: RawAnswer): void {
  expect(() => JSON.parse(res.text)).toThrow();
}

describe('each fault kind observably happens', () => {
  test.each([
    [FaultKind.HTTP_500, 500],
    [FaultKind.HTTP_502, 502],
    [FaultKind.HTTP_503, 503],
  ])('%s answers HTTP %i with an HTML page', async (kind, status) => {
    const res = await ask(kind);
    expect(res.status).toBe(status);
    expect(res.headers['content-type']).toBe('text/html');
    expect(res.text).toMatch(new RegExp(`<title>${status} `));
  });

  test('reset destroys the connection without an answer', async () => {
    await expect(ask(FaultKind.RESET)).rejects.toMatchObject({ code: expect.stringMatching(/ECONNRESET|EPIPE/) });
  });

  test('stall never answers, so the client times out', async () => {
    await expect(ask(FaultKind.STALL, 300)).rejects.toMatchObject({ name: expect.stringMatching(/AbortError|TimeoutError/) });
  });

  test('slowBody dribbles the real answer out over its duration', async () => {
    const started = Date.now();
    const res = await ask(FaultKind.SLOW_BODY);
    expect(Date.now() - started).toBeGreaterThanOrEqual(450);
    expect(res.response.Status).toBe('finished');
  });

  test('truncatedJson sends half of the real answer as a complete message', async () => {
    const res = await ask(FaultKind.TRUNCATED_JSON);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/json');
    expect(res.text.startsWith('{"Response":{')).toBe(true);
    expectNotJson(res);
  });

  test('wrongContentType serves the real JSON as text/html', async () => {
    const res = await ask(FaultKind.WRONG_CONTENT_TYPE);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.response.Status).toBe('finished');
  });

  test('garbledJson sends a body that is not JSON under application/json', async () => {
    const res = await ask(FaultKind.GARBLED_JSON);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/json');
    expectNotJson(res);
  });

  test.each([
    [FaultKind.INTERNAL_DATABASE_ERROR, 'InternalError.DatabaseError'],
    [FaultKind.INTERNAL_PROTOCOL_ERROR, 'InternalError.ProtocolError'],
    [FaultKind.NOT_ALLOW_OPERATION, 'FailedOperation.NotAllowOperation'],
    [FaultKind.SERVICE_UNAVAILABLE, 'ServiceUnavailable'],
    [FaultKind.REQUEST_LIMIT, 'RequestLimitExceeded'],
  ])('%s answers the API error %s', async (kind, code) => {
    const res = await ask(kind);
    expect(res.status).toBe(200);
    expect(res.code).toBe(code);
    expect(res.response.RequestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  test('clockSkew judges the request by a clock 900 s ahead and says so in the Date header', async () => {
    const res = await ask(FaultKind.CLOCK_SKEW);
    expect(res.code).toBe('AuthFailure.SignatureExpire');
    expect(Date.parse(String(res.headers.date)) - Date.now()).toBeGreaterThan(890_000);
  });

  test('every fault is recorded in the request log', () => {
    const faults = new Set(emu.requests.map((r) => r.fault).filter(Boolean));
    expect([...faults].sort()).toEqual([...KINDS].sort());
    expect(emu.requests.find((r) => r.fault === FaultKind.RESET)).toMatchObject({ outcome: 'reset', httpStatus: undefined });
    expect(emu.requests.find((r) => r.fault === FaultKind.HTTP_502)).toMatchObject({ outcome: 'http502', httpStatus: 502 });
  });
});

describe('which requests a fault hits', () => {
  test('times: only the first N matching requests', async () => {
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await call(emu.url, { jobId: 'sync-twice001' })).status);
    expect(statuses).toEqual([503, 503, 200, 200]);
  });

  test('action: only requests of that action; other jobs are untouched', async () => {
    expect((await call(emu.url, { jobId: 'sync-action01' })).code).toBe('InternalError.DatabaseError');
    // The other action is not hit: its real answer comes through (a 2018 job is unknown to it).
    expect((await call(emu.url, { jobId: 'sync-action01', action: 'DescribeCheckSyncJobResult' })).code).toBe('ResourceNotFound.ResourceNotFoundError');
    expect((await call(emu.url, { jobId: 'sync-clean001' })).code).toBeUndefined();
  });

  test('the built-in flaky job answers 502 twice, then the real answer', async () => {
    const builtIn = await startEmulator();
    try {
      const statuses = [];
      for (let i = 0; i < 3; i++) statuses.push((await call(builtIn.url, { jobId: 'sync-flky0001', action: 'DescribeCheckSyncJobResult' })).status);
      expect(statuses).toEqual([502, 502, 200]);
    } finally {
      await builtIn.close();
    }
  });

  test('probability: repeatable for a seed, different for another, global faults narrowed by jobId', async () => {
    const run = async (seed: number) => {
      const e = await startEmulator({ seed, rateLimitPerSecond: 0, faults: [{ kind: 'serviceUnavailable', probability: 0.5, jobId: 'sync-blj8wnt1' }] });
      try {
        const hits: boolean[] = [];
        for (let i = 0; i < 24; i++) hits.push((await call(e.url)).code === 'ServiceUnavailable');
        expect((await call(e.url, { jobId: 'sync-fail0002' })).code).toBeUndefined();
        return hits.map((h) => (h ? 'x' : '.')).join('');
      } finally {
        await e.close();
      }
    };
    const a = await run(7);
    expect(await run(7)).toBe(a);
    expect(a).toMatch(/x/);
    expect(a).toMatch(/\./);
    expect(await run(8)).not.toBe(a);
  });
});

describe('closing', () => {
  test('close() ends stalled and dribbling connections and resolves quickly', async () => {
    const e = await startEmulator({ faults: [{ kind: 'stall', jobId: 'sync-runs0001' }, { kind: 'slowBody', durationMs: 60_000, jobId: 'sync-slow0001' }] });
    const stalled = call(e.url, { jobId: 'sync-runs0001', timeoutMs: 10_000 }).catch((err) => err);
    const dribbling = call(e.url, { jobId: 'sync-slow0001', timeoutMs: 10_000 }).catch((err) => err);
    await new Promise((r) => setTimeout(r, 200));
    const started = Date.now();
    await e.close();
    expect(Date.now() - started).toBeLessThan(500);
    // Both requests end with a connection error instead of hanging until their 10 s timeout.
    expect(await stalled).toMatchObject({ code: 'ECONNRESET' });
    expect(await dribbling).toMatchObject({ code: expect.stringMatching(/ECONNRESET|ERR_STREAM_PREMATURE_CLOSE/) });
    expect(Date.now() - started).toBeLessThan(1000);
  });
});
