/**
 * The pace's rules (src/dts/pace.ts) and the limiter that applies them, in virtual time: every
 * schedule below is exact, whatever the machine is doing.
 */
import type { Clock } from '../../src/dts/clock';
import { PacedLimiter } from '../../src/dts/limiter';
import { admitSend, EMPTY_PACE, paceRates, PaceState, reserveSlot, throttlePace } from '../../src/dts/pace';
import { backoffMs } from '../../src/dts/retry';
import { MemoryPaceStore } from '../../src/dts/shared-bucket';
import { VirtualClock } from '../support/time';

/** The most times within any half-open window [t, t + windowMs). */
function busiest(times: readonly number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  let j = 0;
  for (let i = 0; i < sorted.length; i++) {
    while (sorted[i] - sorted[j] >= windowMs) j++;
    best = Math.max(best, i - j + 1);
  }
  return best;
}

/** `n` concurrent callers asking one limiter; the virtual times (from the start) each was let go, in order of asking. */
async function grants(limiter: PacedLimiter, clock: Clock, n: number, deadlineMs = 600_000): Promise<number[]> {
  const t0 = clock.now();
  const at: number[] = new Array(n);
  await Promise.all(Array.from({ length: n }, async (_, i) => {
    expect(await limiter.acquire(t0 + deadlineMs)).toBe(true);
    at[i] = clock.now() - t0;
  }));
  return at;
}

describe('the pace of one limit, in virtual time', () => {
  test('spaces requests 1.05/rate apart from the first, first come first served', async () => {
    const clock = new VirtualClock();
    const at = await grants(new PacedLimiter(new MemoryPaceStore(), 20, clock), clock, 20);
    expect(at[0]).toBe(0);
    for (let i = 1; i < 20; i++) expect(at[i] - at[i - 1]).toBeCloseTo(52.5);
  });

  test('never more than the rate within 1.1 s, over 2,000 requests, and no slower than the rate per 1.1 s', async () => {
    const clock = new VirtualClock();
    const at = await grants(new PacedLimiter(new MemoryPaceStore(), 20, clock), clock, 2000);
    expect(busiest(at, 1100)).toBeLessThanOrEqual(20);
    expect([...at].sort((a, b) => a - b)).toEqual(at); // served in order of asking
    // 20 per 1.1 s: the 2,000th goes within 100 windows.
    expect(at[1999]).toBeLessThanOrEqual(100 * 1100);
  });

  test('refuses, reserving nothing, a slot at or after the caller\'s deadline', async () => {
    const clock = new VirtualClock();
    const limiter = new PacedLimiter(new MemoryPaceStore(), 20, clock);
    const t0 = clock.now();
    await grants(limiter, clock, 1); // the next slot is 52.5 ms away
    expect(await limiter.acquire(t0 + 52)).toBe(false);
    expect(await limiter.acquire(t0 + 52.5)).toBe(false); // "at" the deadline is too late
    expect(await limiter.acquire(t0 + 1000)).toBe(true);
    expect(clock.now() - t0).toBeCloseTo(52.5); // the refused slots were not taken
  });

  test('timers that fire late and together cannot put more than the rate into 1.1 s', async () => {
    // Every third sleeper wakes 700 ms late, as on a machine too busy to run timers on time.
    const inner = new VirtualClock();
    let sleeps = 0;
    const late: Clock = { now: () => inner.now(), sleep: (ms) => inner.sleep(ms + (++sleeps % 3 === 0 ? 700 : 0)) };
    const at = await grants(new PacedLimiter(new MemoryPaceStore(), 20, late), late, 200);
    expect(busiest(at, 1100)).toBeLessThanOrEqual(20);
    const sorted = [...at].sort((a, b) => a - b);
    for (let i = 1; i < sorted.length; i++) expect(sorted[i] - sorted[i - 1]).toBeGreaterThanOrEqual(26.25 - 1e-6); // never bunched
  });

  test('timers up to 100 ms late lower the rate over 2,000 requests by less than 1%', async () => {
    const inner = new VirtualClock();
    let seed = 7;
    const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    const late: Clock = { now: () => inner.now(), sleep: (ms) => inner.sleep(ms + random() * 100) };
    const at = await grants(new PacedLimiter(new MemoryPaceStore(), 20, late), late, 2000);
    // On time, the 2,000th goes at 99 windows + 19 slots: 109,897.5 ms.
    expect(Math.max(...at)).toBeLessThanOrEqual(109_897.5 * 1.01);
  });

  test('above 50/s the logs keep 50 times, and the rate still holds per 1.1 s', async () => {
    const clock = new VirtualClock();
    const store = new MemoryPaceStore();
    const at = await grants(new PacedLimiter(store, 1000, clock), clock, 3000);
    expect(busiest(at, 1100)).toBeLessThanOrEqual(1000);
    expect(at[2999]).toBeLessThanOrEqual(3 * 1100); // no slower than 1,000 per 1.1 s
    const state = await store.update((s) => ({ value: s }));
    expect(state.slots.length).toBeLessThanOrEqual(50);
    expect(state.sent.length).toBeLessThanOrEqual(50);
  });

  test('a low rate goes one request per 1.1/rate s', async () => {
    const clock = new VirtualClock();
    const at = await grants(new PacedLimiter(new MemoryPaceStore(), 0.5, clock), clock, 3);
    expect(at).toEqual([0, 2200, 4400]);
  });
});

describe('backoff when the service throttles', () => {
  const t0 = Date.UTC(2026, 10, 28, 12, 0, 0);

  test('a throttled answer after a quiet spell cuts the rate by a tenth, once per overload', () => {
    let s: PaceState = throttlePace(EMPTY_PACE, t0, 20);
    expect(paceRates(s, t0, 20).rate).toBe(18);
    s = throttlePace(s, t0 + 999, 20); // the same overload's other answers
    expect(paceRates(s, t0 + 999, 20).rate).toBeCloseTo(18.999);
    s = throttlePace(s, t0 + 10_000, 20); // recovered, quiet for 10 s: jitter again, not a lower limit
    expect(paceRates(s, t0 + 10_000, 20).rate).toBe(18);
  });

  test('throttled again within 4 s of a cut, the rate halves, and a throttle every second settles at 1/20 of the rate asked', () => {
    let s: PaceState = throttlePace(EMPTY_PACE, t0, 20);
    s = throttlePace(s, t0 + 1000, 20); // 19 by then
    expect(paceRates(s, t0 + 1000, 20).rate).toBeCloseTo(9.5);
    s = throttlePace(s, t0 + 3900, 20); // 2.9 s after it: hard again
    expect(paceRates(s, t0 + 3900, 20).rate).toBeCloseTo((9.5 + 2.9) / 2);
    s = throttlePace(s, t0 + 8000, 20); // 4.1 s after the last cut: a quiet spell, mild again
    expect(paceRates(s, t0 + 8000, 20).rate).toBeCloseTo((6.2 + 4.1) * 0.9);
    for (let i = 9; i <= 40; i++) {
      s = throttlePace(s, t0 + i * 1000, 20);
      expect(paceRates(s, t0 + i * 1000, 20).rate).toBeGreaterThanOrEqual(1);
    }
    expect(paceRates(s, t0 + 40_000, 20).rate).toBeCloseTo(1, 5);
  });

  test('the rate recovers by 1/20 of the rate asked per second without throttling, up to the rate asked', () => {
    let s: PaceState = throttlePace(EMPTY_PACE, t0, 20);
    s = throttlePace(s, t0 + 1000, 20); // 9.5
    expect(paceRates(s, t0 + 5000, 20).rate).toBeCloseTo(13.5);
    expect(paceRates(s, t0 + 11_000, 20).rate).toBeCloseTo(19.5);
    expect(paceRates(s, t0 + 11_500, 20).rate).toBe(20);
    expect(paceRates(s, t0 + 60_000, 20).rate).toBe(20);
  });

  test('a backed-off limit spaces and windows its slots at the lower rate', () => {
    let s: PaceState = throttlePace(throttlePace(EMPTY_PACE, t0 - 2000, 20), t0, 20); // 18, back to 20 by t0, then halved: 10/s
    const slots: number[] = [];
    for (let i = 0; i < 30; i++) {
      const r = reserveSlot(s, t0, 20, t0 + 60_000)!;
      slots.push(r.slot - t0);
      s = r.state;
    }
    // All reserved while 10/s is in force: 1.05/10 s apart, at most 10 within 1.1 s.
    for (let i = 1; i < slots.length; i++) expect(slots[i] - slots[i - 1]).toBeGreaterThanOrEqual(105 - 1e-9);
    expect(busiest(slots, 1100)).toBeLessThanOrEqual(10);
  });

  test('100 callers asking 20/s against a service that allows 5/s all get through, each throttled fewer than 5 times', async () => {
    const clock = new VirtualClock();
    const start = clock.now();
    const limiter = new PacedLimiter(new MemoryPaceStore(), 20, clock);
    const accepted: number[] = [];
    let throttledAnswers = 0;
    let worst = 0;
    let seed = 1;
    const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647); // deterministic jitter
    const server = (t: number): boolean => {
      if (accepted.filter((a) => t - a < 1000).length >= 5) return false;
      accepted.push(t);
      return true;
    };
    await Promise.all(Array.from({ length: 100 }, async () => {
      for (let attempt = 1; ; attempt++) {
        expect(await limiter.acquire(start + 60_000)).toBe(true);
        if (server(clock.now())) {
          worst = Math.max(worst, attempt - 1);
          return;
        }
        throttledAnswers++;
        limiter.throttled();
        await clock.sleep(backoffMs(attempt, random));
      }
    }));
    expect(accepted).toHaveLength(100);
    expect(worst).toBeLessThan(5); // today's client gives up after 5 attempts
    expect(clock.now() - start).toBeLessThan(60_000);
    expect(throttledAnswers).toBeLessThan(100);
  });
});

describe('callers sharing a limit', () => {
  const t0 = Date.UTC(2026, 10, 28, 12, 0, 0);

  test('the strictest rate asked within the last minute applies to everyone, then lapses', () => {
    let s = reserveSlot(EMPTY_PACE, t0, 5, t0 + 1000)!.state;
    expect(paceRates(s, t0 + 1, 20)).toEqual({ asked: 5, rate: 5 });
    s = reserveSlot(s, t0 + 1, 20, t0 + 10_000)!.state; // a laxer caller does not extend it
    expect(paceRates(s, t0 + 59_999, 20).asked).toBe(5);
    expect(paceRates(s, t0 + 60_000, 20).asked).toBe(20);
  });

  test('a send is held back until half a slot (0.525/rate s) after the last one went', () => {
    const s = admitSend(EMPTY_PACE, t0, 2).state;
    const held = admitSend(s, t0 + 100, 2);
    expect(held.waitMs).toBeCloseTo(162.5);
    expect(held.state).toBe(s); // nothing recorded
    expect(admitSend(s, t0 + 262.5, 2).waitMs).toBe(0);
  });

  test('a send is held back while the rate\'s worth went within the window', () => {
    let s: PaceState = admitSend(EMPTY_PACE, t0, 2).state;
    s = admitSend(s, t0 + 530, 2).state;
    const held = admitSend(s, t0 + 1060, 2);
    expect(held.waitMs).toBeCloseTo(40); // the third may go 1.1 s after the first
    expect(held.state).toBe(s);
    expect(admitSend(s, t0 + 1100, 2).waitMs).toBe(0);
  });

  test('a state written in the future of a clock set back is forgotten, not waited for', () => {
    const ahead = reserveSlot(EMPTY_PACE, t0 + 3_600_000, 20, t0 + 4_000_000)!.state;
    let s = ahead;
    for (let i = 0; i < 40; i++) s = reserveSlot(s, t0 + 3_600_000, 20, t0 + 4_000_000)!.state;
    const r = reserveSlot(s, t0, 20, t0 + 1000)!;
    expect(r.slot).toBe(t0);
  });
});
