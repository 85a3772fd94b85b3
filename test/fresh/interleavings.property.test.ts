/**
 * Property: once a lookup has started a check, no interleaving of the earlier check's answers
 * with the new check's makes it pass on the earlier verdict.
 *
 * A scripted service on 127.0.0.1 answers the describe action, after the create, with the
 * earlier check (which passed, or was still running and then passes), an even older one (a stale
 * replica), or the new check as it stands at that moment, in any order fast-check picks. The new
 * check fails or never finishes, so any pass is a pass on an old verdict. The service's clock may
 * be up to five minutes off this machine's (what a signature tolerates). The client runs for real
 * (signing, HTTP, the AUTO rule's memory), on a virtual clock.
 *
 * 2021-12-06 answers carry step times, so the rule holds for every interleaving. 2018-03-30 answers
 * carry none: there the property is stated for what the service documents, the earlier check for a
 * moment after the create and then the new one (README, "Starting a check").
 *
 * And the other way round: when the new check passes and shows, the lookup passes on it.
 */
import * as fc from 'fast-check';
import { settingsFor, timed2021 } from './support';
import { forgetLearnedVersions } from '../../src/dts/endpoints';
import { closeConnections } from '../../src/dts/http';
import { forgetServerTimes } from '../../src/dts/server-time';
import { startAndWaitForSyncCheck } from '../../src/dts/start-check';
import { ApiVersion, SyncCheckReport } from '../../src/dts/types';
import { SEED } from '../reliability/support';
import { answer2018, FakeDts, ok, RecordedRequest, Reply } from '../support/fake-dts';
import { VirtualClock } from '../support/time';

const JOB = 'sync-intl0001';
const DAY = 24 * 3600_000;
const WAIT = { timeoutSeconds: 30, pollIntervalSeconds: 2 };
let fake: FakeDts;

beforeAll(async () => {
  // Thousands of requests in virtual time: each process paces itself in memory here, not through files.
  process.env.DTS_SYNC_CHECK_SHARED_RATE_LIMIT = 'false';
  fake = await FakeDts.start();
});

afterAll(async () => {
  delete process.env.DTS_SYNC_CHECK_SHARED_RATE_LIMIT;
  await closeConnections();
  await fake.close();
});

type Answer = 'earlier' | 'older' | 'new';
type NewOutcome = 'failed' | 'never' | 'passed';

interface Scenario {
  /** How long before the first describe the earlier check started, ms (small values: the same second). */
  readonly earlierAgoMs: number;
  /** How long the earlier check ran: it may still be running when the create comes, and pass after it. */
  readonly earlierRanMs: number;
  /** How long after the create the new check starts, and how long it runs. */
  readonly newDelayMs: number;
  readonly newRanMs: number;
  readonly newOutcome: NewOutcome;
  /** The service's clock minus this machine's, ms. */
  readonly serverSkewMs: number;
  /** What each describe after the create answers, in turn (the last one repeats). */
  readonly answers: readonly Answer[];
}

const scenario = (outcomes: readonly NewOutcome[], answers: fc.Arbitrary<Answer[]>): fc.Arbitrary<Scenario> => fc.record({
  earlierAgoMs: fc.oneof(fc.integer({ min: 0, max: 3_000 }), fc.integer({ min: 0, max: 60_000 }), fc.integer({ min: 0, max: 30 * DAY })),
  earlierRanMs: fc.oneof(fc.integer({ min: 0, max: 1_000 }), fc.integer({ min: 0, max: 120_000 })),
  newDelayMs: fc.integer({ min: 0, max: 3_000 }),
  newRanMs: fc.integer({ min: 0, max: 20_000 }),
  newOutcome: fc.constantFrom(...outcomes),
  serverSkewMs: fc.integer({ min: -290_000, max: 290_000 }),
  answers,
});

/** Every order of the three kinds of answer. */
const anyInterleaving = fc.array(fc.constantFrom<Answer>('earlier', 'older', 'new'), { minLength: 1, maxLength: 20 });
/** The earlier check for a while, then only the new one. */
const earlierThenNew = fc.integer({ min: 0, max: 10 }).map((k) => [...Array<Answer>(k).fill('earlier'), 'new' as Answer]);

/** Run one scenario: the scripted service and a lookup that starts a check. */
async function run(s: Scenario, family: '2018' | '2021'): Promise<{ report: SyncCheckReport; creates: number }> {
  forgetLearnedVersions();
  forgetServerTimes();
  const clock = new VirtualClock();
  const serverNow = () => clock.now() + s.serverSkewMs;
  // The Date header tells the service's time as this machine's wall clock relates to it: the
  // client measures the skew against the wall clock and applies it to its own (virtual) clock.
  const dated = (reply: Reply): Reply => ({ ...reply, headers: { ...reply.headers, date: new Date(Date.now() + s.serverSkewMs).toUTCString() } });
  let earlierStart: number | undefined;
  let createdAt: number | undefined;
  let creates = 0;
  let turn = 0;

  const earlier = (now: number): Reply => {
    const finish = earlierStart! + s.earlierRanMs;
    if (family === '2018') return now < finish ? answer2018({ status: 'running', doneSteps: 3 }) : answer2018();
    return now < finish ? timed2021({ status: 'running', startMs: earlierStart }) : timed2021({ status: 'success', startMs: earlierStart, finishMs: finish });
  };
  const older = (): Reply => {
    const start = earlierStart! - DAY;
    return family === '2018' ? answer2018() : timed2021({ status: 'success', startMs: start, finishMs: start + 30_000 });
  };
  const current = (now: number): Reply => {
    const start = createdAt! + s.newDelayMs;
    const finish = start + s.newRanMs;
    const final = now >= finish && s.newOutcome !== 'never';
    if (family === '2018') {
      if (now < start) return answer2018({ status: 'starting', doneSteps: 0 });
      if (!final) return answer2018({ status: 'running', doneSteps: 2 });
      return s.newOutcome === 'failed' ? answer2018({ failAt: 7 }) : answer2018();
    }
    if (now < start) return timed2021({ status: 'notStarted' });
    if (!final) return timed2021({ status: 'running', startMs: start });
    return timed2021({ status: s.newOutcome === 'failed' ? 'failed' : 'success', startMs: start, finishMs: finish });
  };

  fake.handler = (req: RecordedRequest) => {
    const now = serverNow();
    if (req.action?.startsWith('Create')) {
      creates++;
      createdAt = now;
      return dated(ok({}));
    }
    earlierStart ??= now - s.earlierAgoMs;
    if (createdAt === undefined) return dated(earlier(now));
    const answer = s.answers[Math.min(turn++, s.answers.length - 1)];
    return dated(answer === 'new' ? current(now) : answer === 'older' ? older() : earlier(now));
  };

  const version = family === '2018' ? ApiVersion.V2018_03_30 : ApiVersion.V2021_12_06;
  const report = await startAndWaitForSyncCheck(settingsFor(fake.endpoint, clock, { apiVersion: version }), JOB, WAIT);
  return { report, creates };
}

test('2021-12-06: no interleaving of earlier and new answers passes a check whose started run fails or never finishes', async () => {
  await fc.assert(
    fc.asyncProperty(scenario(['failed', 'never'], anyInterleaving), async (s) => {
      const { report, creates } = await run(s, '2021');
      expect(creates).toBe(1);
      expect(report.passed).toBe(false);
    }),
    { seed: SEED, numRuns: 150 },
  );
});

test('2018-03-30: the earlier check for a moment, then the new one, never passes a started run that fails or never finishes', async () => {
  await fc.assert(
    fc.asyncProperty(scenario(['failed', 'never'], earlierThenNew), async (s) => {
      const { report, creates } = await run(s, '2018');
      expect(creates).toBe(1);
      expect(report.passed).toBe(false);
    }),
    { seed: SEED, numRuns: 100 },
  );
});

test('both families: a new check that passes and shows within the wait is the verdict, whatever came before it', async () => {
  await fc.assert(
    fc.asyncProperty(scenario(['passed'], earlierThenNew), fc.constantFrom<'2018' | '2021'>('2018', '2021'), async (s, family) => {
      // 2018-03-30 answers can only show a started check by being seen running after being seen
      // not running: the earlier check had finished before the create (one still running then
      // could finish with its old verdict, which no 2018 answer tells apart: that lookup fails
      // closed), and the new one runs until the answers turn to it, and one poll more.
      const seenRunning = (s.answers.length + 1) * WAIT.pollIntervalSeconds * 1000;
      const shown = family === '2021' ? s : { ...s, earlierRanMs: Math.min(s.earlierRanMs, s.earlierAgoMs), newRanMs: Math.max(s.newRanMs, seenRunning) };
      const { report } = await run(shown, family);
      expect(report).toMatchObject({ passed: true, startedCheck: { seen: true, accepted: true } });
    }),
    { seed: SEED, numRuns: 100 },
  );
});
