/**
 * No fixed ceiling on checks per batch: each lookup's deadline grows by the time the batch's first
 * looks need at the rate limit (src/dts/deadline.ts). The arithmetic is checked as arithmetic;
 * then 1,000 checks go through the emulator with a deadline far shorter than the batch needs at
 * its rate, which a fixed per-call deadline could not survive.
 */
import { lookupMany } from '../../src/dts/batch';
import { batchRuleMs, DEADLINE_MARGIN_MS, QUEUE_FACTOR, queueAllowanceMs, requestsPerFirstLook } from '../../src/dts/deadline';
import { closeConnections } from '../../src/dts/http';
import { ApiVersion } from '../../src/dts/types';
import { EmulatorProcess, startEmulatorProcess } from '../../src/emulator';
import { runJobId } from '../reliability/support';

describe('the queueing allowance', () => {
  test('a lookup alone gets none', () => {
    expect(queueAllowanceMs(1, 2, 20)).toBe(0);
  });

  test('2,000 AUTO lookups at 20/s: 1,999 x 2 requests / 20 per s x 1.5', () => {
    expect(queueAllowanceMs(2_000, requestsPerFirstLook(ApiVersion.AUTO), 20)).toBe(299_850);
    expect(queueAllowanceMs(2_000, requestsPerFirstLook(ApiVersion.V2021_12_06), 20)).toBe(149_925);
  });

  test('covers what the limiter can take to send every first look: at most its rate per 1.1 s', () => {
    for (const [n, k, rate] of [[2, 1, 20], [100, 2, 20], [2_000, 2, 20], [5_000, 1, 5], [10, 1, 0.5]]) {
      const slowestQueueMs = (((n - 1) * k) / rate) * 1.1 * 1000;
      expect(queueAllowanceMs(n, k, rate)).toBeGreaterThanOrEqual(slowestQueueMs);
    }
    expect(QUEUE_FACTOR).toBeGreaterThan(1.1);
  });

  test('a batch\'s rule is its longest lookup plus the allowance plus the margin', () => {
    const wait = { timeoutSeconds: 300, pollIntervalSeconds: 5 };
    expect(batchRuleMs([{ wait }, {}, { apiVersion: '2021-12-06' }], 20, 60)).toBe(queueAllowanceMs(3, 2, 20) + 305_000 + DEADLINE_MARGIN_MS);
    expect(batchRuleMs([], 20, 60)).toBe(0);
  });
});

describe('1,000 checks in one batch', () => {
  const CREDS = { secretId: 'AKIDBATCH2000', secretKey: 'batch-2000-secret-key' };
  /**
   * The rule assumes the rate limit is what holds requests back, so the rate is one a busy
   * two-core machine keeps up with (signing and sending here, answering in the emulator's own
   * process): the service's own 20/s. At 100/s and at 40/s, with CPU-bound processes beside the
   * suite, answers took over 10 s and lookups failed on the attempt timeout, which is not what
   * this test is about. The per-call deadline leaves each request seconds of room on such a
   * machine, while the batch needs over ten times that deadline to get through the limit (the
   * benchmark `many` sends 2,000 at 20/s).
   */
  const RATE = 20;
  const DEADLINE_SECONDS = 4;
  const N = 1_000;
  let emulator: EmulatorProcess;

  beforeAll(async () => {
    const jobs = Array.from({ length: N }, (_, i) => ({ jobId: runJobId('b', i), region: 'ap-guangzhou', outcome: i % 7 === 0 ? 'failed' : 'passed' }));
    // The emulator enforces the same limit, as the service does.
    emulator = await startEmulatorProcess({ credentials: [CREDS], jobs, rateLimitPerSecond: RATE } as Parameters<typeof startEmulatorProcess>[0]);
  });

  afterAll(async () => {
    await closeConnections();
    await emulator.close();
  });

  test('are all answered although their sending alone takes over ten times the per-call deadline', async () => {
    const deadlineSeconds = DEADLINE_SECONDS;
    const started = Date.now();
    const outcomes = await lookupMany(
      Array.from({ length: N }, (_, i) => ({ jobId: runJobId('b', i), region: 'ap-guangzhou', endpoint: emulator.url, apiVersion: ApiVersion.V2021_12_06 })),
      { credentials: CREDS, requestsPerSecond: RATE, deadlineSeconds, attemptTimeoutSeconds: 10 },
    );
    const elapsed = Date.now() - started;
    const errors = outcomes.filter((o) => o.error).map((o) => `${o.error!.code}: ${o.error!.message}`);
    expect(errors.slice(0, 3)).toEqual([]);
    expect(outcomes.filter((o) => o.report?.passed === false)).toHaveLength(Math.ceil(N / 7));
    // The pacer sends at most RATE per second, so the batch took well over its per-call deadline:
    // with the deadline fixed at 4 s, most of these lookups would have been refused a slot.
    expect(elapsed).toBeGreaterThan((N / RATE) * 1000 * 0.9);
    expect(elapsed).toBeGreaterThan(deadlineSeconds * 1000 * 10);
    // Timers that fire late bunch requests up, and the emulator may throttle a few: those are
    // retried within the deadline, which is the point. Every job was read.
    await emulator.settle();
    expect(new Set(emulator.requests.filter((r) => r.outcome === 'Success').map((r) => r.jobId)).size).toBe(N);
  }, 300_000); // 1,000 lookups at 20/s take 55 s at the least; a loaded machine takes longer
});
