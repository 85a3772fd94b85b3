/**
 * Property tests of the normalizer (src/dts/report.ts normalizeReport): whatever the answer, it
 * is `passed: true` exactly when it is a valid passed answer by the documented rule, and every
 * answer it does not understand is a DtsMalformedResponseError (never another exception).
 *
 * The signer's property test against the official `Sign.sign3` lives in test/dts/tc3.test.ts
 * ("agrees with the official SDK Sign.sign3 on 1,000 random requests"); it is not repeated here.
 */
import * as fc from 'fast-check';
import { SEED } from './support';
import { DtsMalformedResponseError } from '../../src/dts/errors';
import { normalizeReport } from '../../src/dts/report';
import { ApiVersion, SyncCheckReport } from '../../src/dts/types';
import sample2018 from '../emulator/fixtures/DescribeSyncCheckJob.sample.json';

type Version = ApiVersion.V2018_03_30 | ApiVersion.V2021_12_06;
type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const absent = (v: unknown) => v === undefined || v === null;
const optString = (v: unknown) => absent(v) || typeof v === 'string';
const optInt = (v: unknown) => absent(v) || (typeof v === 'number' && Number.isInteger(v));
const optArray = (v: unknown) => absent(v) || Array.isArray(v);

/**
 * An API time the documentation allows: absent, empty or the zero date (no time yet), a real
 * `yyyy-mm-dd hh:mm:ss` (Beijing time), or an RFC 3339 date-time with an offset.
 */
function timeOk(v: unknown): boolean {
  if (absent(v) || v === '' || (typeof v === 'string' && v.startsWith('0000-00-00'))) return true;
  if (typeof v !== 'string') return false;
  const m = /^(\d{4})-(\d{2})-(\d{2})[ Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})?$/.exec(v);
  if (!m) return false;
  const rfc = v[10] !== ' ' || m[8] !== undefined;
  if (rfc && m[8] === undefined) return false;
  if (!rfc && m[7] !== undefined) return false;
  const [y, mo, d, h, mi, sec] = m.slice(1, 7).map(Number);
  const date = new Date(Date.UTC(y, mo - 1, d, h, mi, sec));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d && h < 24 && mi < 60 && sec < 60;
}

/**
 * The pass rule written out independently of report.ts, from the API documentation and the
 * official models (every field optional): 2018-03-30 `Status=finished` and `CheckFlag=1`, with
 * `ErrorCode` 0 or absent and every listed step judged `StepCode` 0; 2021-12-06 `Status=success`
 * with every step finished or skipped (a step still running, not started or without a status
 * under "success" is a contradiction). Either way every field present must have its documented
 * type, or the answer is not an answer at all.
 */
function validPassed(raw: unknown, version: Version): boolean {
  if (!isObj(raw) || typeof raw.RequestId !== 'string' || raw.RequestId === '') return false;
  if (version === ApiVersion.V2018_03_30) {
    if (raw.Status !== 'finished' || raw.CheckFlag !== 1 || !optString(raw.ErrorMessage)) return false;
    if (!(absent(raw.ErrorCode) || raw.ErrorCode === 0)) return false;
    if (!optArray(raw.StepInfo)) return false;
    return ((raw.StepInfo ?? []) as unknown[]).every((s) =>
      isObj(s) && optInt(s.StepNo) && optString(s.StepName) && s.StepCode === 0 && optString(s.StepMessage));
  }
  if (raw.Status !== 'success' || !optInt(raw.StepCount) || !optInt(raw.StepCur)) return false;
  const p = raw.Progress;
  if (!absent(p) && !(typeof p === 'number' && Number.isFinite(p) && p >= 0 && p <= 100)) return false;
  if (!optArray(raw.StepInfos)) return false;
  const tipsOk = (tips: unknown) => optArray(tips) && ((tips ?? []) as unknown[]).every((t) =>
    isObj(t) && optString(t.Code) && optString(t.Message) && optString(t.Solution) && optString(t.HelpDoc) && optString(t.SkipInfo));
  const stepProgressOk = (v: unknown) => absent(v) || (typeof v === 'number' && (v === -1 || (v >= 0 && v <= 100)));
  return ((raw.StepInfos ?? []) as unknown[]).every((s) =>
    isObj(s)
    && ['finished', 'skipped'].includes(s.Status as string)
    && optInt(s.StepNo) && optString(s.StepName) && optString(s.StepId)
    && timeOk(s.StartTime) && timeOk(s.FinishTime) && stepProgressOk(s.Progress)
    && tipsOk(s.Errors) && tipsOk(s.Warnings));
}

/** normalizeReport, where any exception other than DtsMalformedResponseError is a failure. */
function normalize(raw: unknown, version: Version): SyncCheckReport | 'malformed' {
  try {
    return normalizeReport(raw, { jobId: 'sync-blj8wnt1', region: 'ap-guangzhou', apiVersion: version });
  } catch (e) {
    if (e instanceof DtsMalformedResponseError) return 'malformed';
    throw new Error(`normalizeReport threw ${(e as Error)?.name}: ${(e as Error)?.message} instead of DtsMalformedResponseError`);
  }
}

const counts = { passed: 0, notPassed: 0, malformed: 0 };

function agreesWithRule(raw: unknown, version: Version): void {
  const r = normalize(raw, version);
  const shouldPass = validPassed(raw, version);
  if (r === 'malformed') {
    counts.malformed++;
    expect(shouldPass).toBe(false);
    return;
  }
  counts[r.passed ? 'passed' : 'notPassed']++;
  expect({ passed: r.passed, version }).toEqual({ passed: shouldPass, version });
  expect(typeof r.reason).toBe('string');
  if (r.passed) expect(r.failedSteps).toEqual([]);
}

const PARAMS = { seed: SEED, numRuns: 3000 };
const version = fc.constantFrom<Version>(ApiVersion.V2018_03_30, ApiVersion.V2021_12_06);

/** A value that is sometimes right, sometimes of a wrong type, sometimes missing. */
function field<T>(good: fc.Arbitrary<T>): fc.Arbitrary<unknown> {
  return fc.oneof(
    { weight: 6, arbitrary: good },
    { weight: 1, arbitrary: fc.constantFrom(undefined, null, '', '0', '1', true, false, [], {}, 0.5, -1, NaN, 1e21) },
    { weight: 1, arbitrary: fc.jsonValue() },
  );
}

const step2018 = fc.record({
  StepNo: field(fc.integer({ min: 1, max: 10 })),
  StepName: field(fc.constantFrom('检查参数', '检查目标实例是否为空')),
  StepCode: field(fc.constantFrom(0, 0, 0, 1, 2, -1)),
  StepMessage: field(fc.constantFrom('校验成功', '校验失败', '')),
}, { requiredKeys: [] });

const answer2018 = fc.record({
  RequestId: field(fc.uuid()),
  Status: field(fc.constantFrom('finished', 'finished', 'running', 'starting', 'success', 'Finished', 'finished ', 'failed')),
  ErrorCode: field(fc.constantFrom(0, 0, 0, 1, -1)),
  ErrorMessage: field(fc.constantFrom('灾备检查成功', '灾备检查失败')),
  CheckFlag: field(fc.constantFrom(1, 1, 1, 0, 2, -1)),
  StepInfo: field(fc.array(step2018, { maxLength: 10 })),
}, { requiredKeys: [] });

const tip = fc.record({
  Code: field(fc.constantFrom('E1', 'DstInstanceNotEmpty')),
  Message: field(fc.string()),
  Solution: field(fc.string()),
  HelpDoc: field(fc.webUrl()),
  SkipInfo: field(fc.string()),
}, { requiredKeys: [] });

const apiTime = fc.constantFrom(
  '2024-01-01 10:00:00', '2024-01-01T10:00:00+08:00', '2024-01-01T02:00:00.5Z', '', '0000-00-00 00:00:00',
  '2024-02-30 10:00:00', '2024-01-01 10:00', '2024-01-01T10:00:00', 'yesterday',
);

const step2021 = fc.record({
  StepNo: field(fc.integer({ min: 1, max: 10 })),
  StepName: field(fc.constantFrom('检查参数', '检查目标实例是否为空')),
  StepId: field(fc.constantFrom('ParamsCheck', 'DstEmptyCheck')),
  Status: field(fc.constantFrom('finished', 'finished', 'finished', 'failed', 'running', 'notStarted', 'paused', 'skipped', 'success', 'passed', 'FINISHED')),
  Errors: field(fc.array(tip, { maxLength: 2 })),
  Warnings: field(fc.array(tip, { maxLength: 2 })),
  Progress: field(fc.oneof(fc.integer({ min: -1, max: 100 }), fc.integer({ min: -5, max: 150 }))),
  StartTime: field(apiTime),
  FinishTime: field(apiTime),
}, { requiredKeys: [] });

const answer2021 = fc.record({
  RequestId: field(fc.uuid()),
  Status: field(fc.constantFrom('success', 'success', 'failed', 'running', 'notStarted', 'finished', 'Success', 'ok')),
  StepCount: field(fc.integer({ min: 0, max: 10 })),
  StepCur: field(fc.integer({ min: 0, max: 10 })),
  Progress: field(fc.oneof(fc.integer({ min: 0, max: 100 }), fc.double({ min: -10, max: 110, noNaN: false }))),
  StepInfos: field(fc.array(step2021, { maxLength: 10 })),
}, { requiredKeys: [] });

/** The emulator's passing 2021 answer shape, for mutation. */
const PASSED_2021 = {
  Status: 'success',
  StepCount: 2,
  StepCur: 2,
  Progress: 100,
  RequestId: 'e7c1c1a2-0000-4000-8000-000000000001',
  StepInfos: [
    { StepNo: 1, StepName: '检查参数', StepId: 'ParamsCheck', Status: 'finished', StartTime: '2024-01-01 10:00:00', FinishTime: '2024-01-01 10:00:01', Errors: null, Warnings: null, Progress: 100 },
    { StepNo: 2, StepName: '检查源实例', StepId: 'SrcInstanceCheck', Status: 'finished', StartTime: '', FinishTime: '', Errors: [], Warnings: [{ Code: 'W1', Message: 'ssl off' }], Progress: 100 },
  ],
};

type Path = (string | number)[];

function paths(v: unknown, prefix: Path = []): Path[] {
  if (Array.isArray(v)) return [prefix, ...v.flatMap((x, i) => paths(x, [...prefix, i]))];
  if (isObj(v)) return [prefix, ...Object.entries(v).flatMap(([k, x]) => paths(x, [...prefix, k]))];
  return [prefix];
}

/** Replace (or, with `remove`, delete) the value at `path` of a deep copy of `v`. */
function mutate(v: unknown, path: Path, replacement: unknown, remove: boolean): unknown {
  const copy = structuredClone(v);
  if (path.length === 0) return remove ? undefined : replacement;
  let parent = copy as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
  const last = path[path.length - 1];
  if (remove && Array.isArray(parent)) parent.splice(last as number, 1);
  else if (remove) delete parent[last];
  else parent[last] = replacement;
  return copy;
}

/** A valid passed answer with one to three random edits: a field removed, retyped, or set to a neighbouring value. */
function mutations(base: unknown): fc.Arbitrary<unknown> {
  const edit = fc.tuple(
    fc.nat(),
    fc.oneof(
      fc.constantFrom(undefined, null, 0, 1, 2, -1, '', '0', '1', true, false, [], {}, 'finished', 'success', 'failed', 'running', 'notStarted', 'skipped', 0.5, 1e21),
      fc.jsonValue({ maxDepth: 2 }),
    ),
    fc.boolean(),
  );
  return fc.array(edit, { minLength: 1, maxLength: 3 }).map((edits) =>
    edits.reduce<unknown>((acc, [n, replacement, remove]) => {
      const all = paths(acc);
      return mutate(acc, all[n % all.length], replacement, remove);
    }, base));
}

describe('normalizeReport against the pass rule', () => {
  test('arbitrary JSON is never passed, and anything not understood is a malformed-response error', () => {
    fc.assert(fc.property(fc.jsonValue(), version, (raw, v) => agreesWithRule(raw, v)), PARAMS);
    fc.assert(fc.property(fc.object(), version, (raw, v) => agreesWithRule(raw, v)), PARAMS);
  });

  test('random 2018-03-30 shapes (wrong types, missing fields, unknown statuses, contradictory flags) pass exactly when the rule says so', () => {
    fc.assert(fc.property(answer2018, (raw) => agreesWithRule(raw, ApiVersion.V2018_03_30)), PARAMS);
  });

  test('random 2021-12-06 shapes (wrong types, missing fields, unknown statuses, failed steps under success) pass exactly when the rule says so', () => {
    fc.assert(fc.property(answer2021, (raw) => agreesWithRule(raw, ApiVersion.V2021_12_06)), PARAMS);
  });

  test('mutations of the documented passing answer of each version pass exactly when the rule says so', () => {
    fc.assert(fc.property(mutations(sample2018.Response), (raw) => agreesWithRule(raw, ApiVersion.V2018_03_30)), PARAMS);
    fc.assert(fc.property(mutations(PASSED_2021), (raw) => agreesWithRule(raw, ApiVersion.V2021_12_06)), PARAMS);
    // An answer of one version read as the other is never passed.
    fc.assert(fc.property(mutations(PASSED_2021), (raw) => agreesWithRule(raw, ApiVersion.V2018_03_30)), { ...PARAMS, numRuns: 500 });
    expect(normalize(sample2018.Response, ApiVersion.V2021_12_06)).toBe('malformed');
  });

  test('the generators reached passed, not-passed and malformed answers alike, so the properties are not vacuous', () => {
    expect(counts.passed).toBeGreaterThan(300);
    expect(counts.notPassed).toBeGreaterThan(300);
    expect(counts.malformed).toBeGreaterThan(300);
  });
});
