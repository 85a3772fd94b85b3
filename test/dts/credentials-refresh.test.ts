/**
 * Temporary credentials are kept fresh, in virtual time: when a refresh is due, that concurrent
 * callers share one fetch, that a failed refresh keeps keys that still work and fails closed once
 * they have expired. The fetcher is a stub that issues numbered keys on the virtual clock.
 */
import { REFRESH_MARGIN_MS, refreshDueAt } from '../../src/dts/credentials';
import { RefreshingCredentials } from '../../src/dts/credentials/refresh';
import { ResolvedCredentials } from '../../src/dts/credentials/resolved';
import { DtsCredentialsError } from '../../src/dts/errors';
import { VirtualClock } from '../support/time';

const HOUR = 3_600_000;

/** A fetcher issuing key N with the given lifetime, counting its calls; `fail` makes the next calls throw. */
function issuer(clock: VirtualClock, lifetimeMs: number) {
  const state = { calls: 0, fail: false as boolean, delayMs: 0 };
  const fetch = async () => {
    state.calls++;
    const n = state.calls;
    if (state.delayMs > 0) await clock.sleep(state.delayMs);
    if (state.fail) throw new DtsCredentialsError(`issuer down (call ${n})`, { code: 'StsUnreachable' });
    return new ResolvedCredentials(`AKIDTEMP${n}`, `key-${n}`, `token-${n}`, 'the stub', clock.now() + lifetimeMs);
  };
  return { state, fetch };
}

describe('when a refresh is due', () => {
  test.each([
    { lives: 'two hours', lifetime: 2 * HOUR, after: 2 * HOUR - REFRESH_MARGIN_MS, when: '5 minutes before they expire' },
    { lives: 'ten minutes', lifetime: 10 * 60_000, after: 5 * 60_000, when: 'halfway' },
    { lives: 'one minute', lifetime: 60_000, after: 30_000, when: 'halfway' },
    { lives: 'four seconds', lifetime: 4_000, after: 2_000, when: 'halfway' },
  ])('credentials that live $lives are fetched again $when', ({ lifetime, after }) => {
    expect(refreshDueAt(1_000_000, 1_000_000 + lifetime)).toBe(1_000_000 + after);
  });

  test('the same key is handed out until the refresh is due, then a new one, never an expired one', async () => {
    const clock = new VirtualClock();
    const { state, fetch } = issuer(clock, 2 * HOUR);
    const creds = new RefreshingCredentials(fetch, clock);
    const first = await creds.get();
    expect(first.secretId).toBe('AKIDTEMP1');
    clock.advance(2 * HOUR - REFRESH_MARGIN_MS - 1);
    expect((await creds.get()).secretId).toBe('AKIDTEMP1');
    clock.advance(1);
    const second = await creds.get();
    expect(second.secretId).toBe('AKIDTEMP2');
    expect(state.calls).toBe(2);
    // Every key handed out had at least the margin left.
    expect(first.expiresAt! - (second.expiresAt! - 2 * HOUR)).toBe(REFRESH_MARGIN_MS);
  });

  test('a poll every 5 s over an hour with 15-minute keys fetches once per 10 minutes', async () => {
    const clock = new VirtualClock();
    const { state, fetch } = issuer(clock, 15 * 60_000);
    const creds = new RefreshingCredentials(fetch, clock);
    const seen: Array<{ at: number; expiresAt: number }> = [];
    for (let t = 0; t <= HOUR; t += 5_000) {
      const c = await creds.get();
      seen.push({ at: clock.now(), expiresAt: c.expiresAt! });
      await clock.sleep(5_000);
    }
    // Due after 10 minutes (15 minus the 5-minute margin): 7 fetches in 61 minutes.
    expect(state.calls).toBe(7);
    expect(seen.every((s) => s.expiresAt - s.at >= REFRESH_MARGIN_MS)).toBe(true);
  });
});

test('concurrent callers share one fetch', async () => {
  const clock = new VirtualClock();
  const { state, fetch } = issuer(clock, HOUR);
  state.delayMs = 200;
  const creds = new RefreshingCredentials(fetch, clock);
  const all = await Promise.all(Array.from({ length: 20 }, () => creds.get()));
  expect(state.calls).toBe(1);
  expect(new Set(all.map((c) => c.secretId))).toEqual(new Set(['AKIDTEMP1']));

  clock.advance(HOUR);
  const again = await Promise.all(Array.from({ length: 20 }, () => creds.get()));
  expect(state.calls).toBe(2);
  expect(new Set(again.map((c) => c.secretId))).toEqual(new Set(['AKIDTEMP2']));
});

describe('a failed refresh', () => {
  test('keeps the key while it still works, tries again on the next call, and fails closed once it has expired', async () => {
    const clock = new VirtualClock();
    const { state, fetch } = issuer(clock, 10 * 60_000);
    const creds = new RefreshingCredentials(fetch, clock);
    await creds.get();
    state.fail = true;
    clock.advance(6 * 60_000); // due (after 5 minutes), 4 minutes left
    expect((await creds.get()).secretId).toBe('AKIDTEMP1');
    clock.advance(3 * 60_000);
    expect((await creds.get()).secretId).toBe('AKIDTEMP1');
    expect(state.calls).toBe(3);
    clock.advance(60_000); // expired
    await expect(creds.get()).rejects.toMatchObject({ code: 'StsUnreachable', message: 'issuer down (call 4)' });
    state.fail = false;
    expect((await creds.get()).secretId).toBe('AKIDTEMP5');
  });

  test('with no key yet, is the answer', async () => {
    const clock = new VirtualClock();
    const { state, fetch } = issuer(clock, HOUR);
    state.fail = true;
    await expect(new RefreshingCredentials(fetch, clock).get()).rejects.toMatchObject({ code: 'StsUnreachable' });
  });
});

test('credentials that expire before they arrive (by this machine\'s clock) are an error about the clock', async () => {
  const clock = new VirtualClock();
  const creds = new RefreshingCredentials(async () => new ResolvedCredentials('AKIDTEMP', 'k', 't', 'STS', clock.now() - 1000), clock);
  const err = (await creds.get().then(() => undefined, (e: unknown) => e)) as DtsCredentialsError;
  expect(err).toBeInstanceOf(DtsCredentialsError);
  expect(err.code).toBe('ExpiredCredentials');
  expect(err.message).toMatch(/^the temporary credentials from STS expire at \S+, which is not after this machine's time \S+: check this machine's clock$/);
});
