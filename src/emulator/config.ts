/**
 * The emulator's configuration: the TypeScript-friendly input type, validation of options
 * objects and `--config` files (errors name the offending field), and defaults.
 */
import { readFileSync } from 'node:fs';
import { EMULATOR_BUILT_IN_JOBS, EMULATOR_DEFAULT_CREDENTIALS } from './builtin';
import { CREDENTIAL_SERVICE_FIELDS, EmulatorInstanceRoleConfig, EmulatorStsConfig, resolveCredentialServices, ResolvedCredentialServices } from './credential-config';
import { EmulatorCredential, EmulatorFault, EmulatorJob, EmulatorSettings, FaultKind, JobFamily, JobOutcome } from './model';
import { CHECK_STEPS } from './steps';
import { JOB_ID_PATTERN, SUPPORTED_REGIONS } from '../dts/regions';

/** The two actions the emulator serves, by version. */
export const ACTION_2018 = 'DescribeSyncCheckJob';
export const VERSION_2018 = '2018-03-30';
export const ACTION_2021 = 'DescribeCheckSyncJobResult';
export const VERSION_2021 = '2021-12-06';

/** A fault as TypeScript callers may write it: the kind as an enum member or its string. */
export interface EmulatorFaultConfig extends Omit<EmulatorFault, 'kind'> {
  readonly kind: FaultKind | `${FaultKind}`;
}

/** A job as TypeScript callers may write it: the enums as members or their strings. */
export interface EmulatorJobConfig extends Omit<EmulatorJob, 'outcome' | 'family' | 'faults'> {
  readonly outcome?: JobOutcome | `${JobOutcome}`;
  readonly family?: JobFamily | `${JobFamily}`;
  readonly faults?: readonly EmulatorFaultConfig[];
}

/** Options of `startEmulator`, and the shape of a `--config` file. */
export interface EmulatorConfig extends Omit<EmulatorSettings, 'jobs' | 'faults' | 'credentials'> {
  readonly credentials?: readonly EmulatorCredential[];
  readonly jobs?: readonly EmulatorJobConfig[];
  readonly faults?: readonly EmulatorFaultConfig[];
  /**
   * The port to listen on (127.0.0.1 only). 0 picks a free port.
   * @default 0
   */
  readonly port?: number;
  /**
   * STS `AssumeRole` on the same port (see `credential-config.ts`).
   * @default - none: every AssumeRole answers ResourceNotFound.RoleNotExist
   */
  readonly sts?: EmulatorStsConfig;
  /**
   * The CVM metadata service's instance role on the same port (see `credential-config.ts`).
   * @default - none: the metadata paths answer 404
   */
  readonly instanceRole?: EmulatorInstanceRoleConfig;
}

/** A fault after validation, with its defaults filled in. */
export interface ResolvedFault {
  readonly kind: FaultKind;
  readonly action?: string;
  readonly jobId?: string;
  readonly times?: number;
  readonly probability: number;
  readonly durationMs: number;
  readonly skewSeconds: number;
  /** Where it came from, e.g. `faults[0]` or `jobs[2].faults[1]`: keys its counter and random stream. */
  readonly where: string;
}

/** A job after validation, with its defaults filled in. */
export interface ResolvedJob {
  readonly jobId: string;
  readonly region: string;
  readonly family: JobFamily;
  readonly outcome: JobOutcome;
  readonly checkSeconds: number;
  readonly startDelaySeconds: number;
  readonly failStep: number;
  readonly message: string;
  readonly warnStep?: number;
  readonly warningMessage?: string;
  readonly faults: readonly ResolvedFault[];
}

export interface ResolvedConfig extends ResolvedCredentialServices {
  readonly credentials: ReadonlyMap<string, EmulatorCredential>;
  readonly jobs: ReadonlyMap<string, ResolvedJob>;
  readonly retired2018: boolean;
  readonly rateLimitPerSecond: number;
  readonly faults: readonly ResolvedFault[];
  readonly seed: number;
  readonly clockSkewSeconds: number;
  readonly strictFinanceHost: boolean;
  readonly port: number;
}

/** A configuration mistake; `field` is the path of the offending field (`jobs[1].failStep`). */
export class EmulatorConfigError extends Error {
  public readonly field: string;
  constructor(field: string, message: string) {
    super(`${field} ${message}`);
    this.name = 'EmulatorConfigError';
    this.field = field;
  }
}

const TOP_LEVEL_FIELDS = [
  'credentials', 'jobs', 'retired2018', 'rateLimitPerSecond', 'faults', 'seed', 'clockSkewSeconds', 'strictFinanceHost', 'port',
  ...CREDENTIAL_SERVICE_FIELDS, '$schema', '//',
];
const CREDENTIAL_FIELDS = ['secretId', 'secretKey', 'sessionToken'];
const JOB_FIELDS = ['jobId', 'region', 'family', 'outcome', 'checkSeconds', 'startDelaySeconds', 'failStep', 'message', 'warnStep', 'warningMessage', 'faults'];
const FAULT_FIELDS = ['kind', 'action', 'jobId', 'times', 'probability', 'durationMs', 'skewSeconds'];
const FAULT_KINDS = Object.values(FaultKind) as string[];
const OUTCOMES = Object.values(JobOutcome) as string[];
const FAMILIES = Object.values(JobFamily) as string[];
const MAX_SECONDS = 24 * 3600;

/** Read and validate a `--config` JSON file; returns its content (errors name the file and the field). */
export function loadConfigFile(file: string): EmulatorConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new EmulatorConfigError('--config', `cannot be read: ${(e as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new EmulatorConfigError('--config', `is not valid JSON (${file}): ${(e as Error).message}`);
  }
  try {
    resolveConfig(parsed);
  } catch (e) {
    if (e instanceof EmulatorConfigError) throw new EmulatorConfigError(e.field, `${e.message.slice(e.field.length + 1)} (in ${file})`);
    throw e;
  }
  return parsed as EmulatorConfig;
}

/** Validate a configuration (an options object or a parsed file) and fill in the defaults. */
export function resolveConfig(input: unknown = {}): ResolvedConfig {
  const root = asObject(input ?? {}, 'config');
  checkFields(root, TOP_LEVEL_FIELDS, 'config', '');

  const credentialsIn = root.credentials === undefined ? [EMULATOR_DEFAULT_CREDENTIALS] : asArray(root.credentials, 'credentials');
  if (credentialsIn.length === 0) throw new EmulatorConfigError('credentials', 'must list at least one key pair');
  const credentials = new Map<string, EmulatorCredential>();
  credentialsIn.forEach((c, i) => {
    const cred = resolveCredential(c, `credentials[${i}]`);
    if (credentials.has(cred.secretId)) throw new EmulatorConfigError(`credentials[${i}].secretId`, `repeats ${JSON.stringify(cred.secretId)}`);
    credentials.set(cred.secretId, cred);
  });

  const jobsIn = root.jobs === undefined ? EMULATOR_BUILT_IN_JOBS : asArray(root.jobs, 'jobs');
  const jobs = new Map<string, ResolvedJob>();
  jobsIn.forEach((j, i) => {
    const job = resolveJob(j, `jobs[${i}]`);
    if (jobs.has(job.jobId)) throw new EmulatorConfigError(`jobs[${i}].jobId`, `repeats ${JSON.stringify(job.jobId)}`);
    jobs.set(job.jobId, job);
  });

  const faults = root.faults === undefined ? [] : asArray(root.faults, 'faults').map((f, i) => resolveFault(f, `faults[${i}]`, true));

  return {
    credentials,
    jobs,
    faults,
    retired2018: optBoolean(root.retired2018, 'retired2018') ?? false,
    strictFinanceHost: optBoolean(root.strictFinanceHost, 'strictFinanceHost') ?? false,
    rateLimitPerSecond: optNumber(root.rateLimitPerSecond, 'rateLimitPerSecond', { min: 0, max: 100_000, integer: true }) ?? 20,
    seed: optNumber(root.seed, 'seed', { min: 0, max: 2 ** 32 - 1, integer: true }) ?? 1,
    clockSkewSeconds: optNumber(root.clockSkewSeconds, 'clockSkewSeconds', { min: -MAX_SECONDS * 365, max: MAX_SECONDS * 365 }) ?? 0,
    port: optNumber(root.port, 'port', { min: 0, max: 65535, integer: true }) ?? 0,
    ...resolveCredentialServices(root, credentials, (field, message) => {
      throw new EmulatorConfigError(field, message);
    }),
  };
}

function resolveCredential(input: unknown, where: string): EmulatorCredential {
  const c = asObject(input, where);
  checkFields(c, CREDENTIAL_FIELDS, where, `${where}.`);
  const secretId = reqString(c.secretId, `${where}.secretId`, /^[\x21-\x7e]{1,128}$/, 'printable ASCII without spaces or "/", 1..128 characters');
  if (secretId.includes('/') || secretId.includes(',')) {
    throw new EmulatorConfigError(`${where}.secretId`, `must not contain "/" or "," (got ${JSON.stringify(secretId)})`);
  }
  const secretKey = reqString(c.secretKey, `${where}.secretKey`, /^.{1,256}$/s, 'a non-empty string');
  const sessionToken = c.sessionToken === undefined ? undefined : reqString(c.sessionToken, `${where}.sessionToken`, /^[\x21-\x7e]{1,4096}$/, 'printable ASCII');
  return sessionToken === undefined ? { secretId, secretKey } : { secretId, secretKey, sessionToken };
}

function resolveJob(input: unknown, where: string): ResolvedJob {
  const j = asObject(input, where);
  checkFields(j, JOB_FIELDS, where, `${where}.`);
  const jobId = reqString(j.jobId, `${where}.jobId`, JOB_ID_PATTERN, 'sync- and eight lowercase letters or digits, e.g. "sync-blj8wnt1"');
  if (typeof j.region !== 'string' || !SUPPORTED_REGIONS.includes(j.region)) {
    throw new EmulatorConfigError(`${where}.region`, `must be one of ${SUPPORTED_REGIONS.join(', ')} (got ${show(j.region)})`);
  }
  const family = j.family === undefined ? JobFamily.V2021 : j.family;
  if (typeof family !== 'string' || !FAMILIES.includes(family)) {
    throw new EmulatorConfigError(`${where}.family`, `must be one of ${FAMILIES.map((f) => JSON.stringify(f)).join(', ')} (got ${show(j.family)})`);
  }
  const outcome = j.outcome === undefined ? JobOutcome.PASSED : j.outcome;
  if (typeof outcome !== 'string' || !OUTCOMES.includes(outcome)) {
    throw new EmulatorConfigError(`${where}.outcome`, `must be one of ${OUTCOMES.join(', ')} (got ${show(j.outcome)})`);
  }
  const stepRange = { min: 1, max: CHECK_STEPS.length, integer: true };
  const failStep = optNumber(j.failStep, `${where}.failStep`, stepRange);
  if (failStep !== undefined && outcome !== JobOutcome.FAILED) {
    throw new EmulatorConfigError(`${where}.failStep`, `only applies to outcome "failed" (outcome is ${JSON.stringify(outcome)})`);
  }
  const message = optString(j.message, `${where}.message`);
  if (message !== undefined && outcome !== JobOutcome.FAILED) {
    throw new EmulatorConfigError(`${where}.message`, `only applies to outcome "failed" (outcome is ${JSON.stringify(outcome)})`);
  }
  const warnStep = optNumber(j.warnStep, `${where}.warnStep`, stepRange);
  if (warnStep !== undefined && family === JobFamily.V2018) {
    throw new EmulatorConfigError(`${where}.warnStep`, 'only applies to family "2021" (2018-03-30 answers have no warnings)');
  }
  const warningMessage = optString(j.warningMessage, `${where}.warningMessage`);
  if (warningMessage !== undefined && warnStep === undefined) {
    throw new EmulatorConfigError(`${where}.warningMessage`, 'needs warnStep (the step that warns)');
  }
  const step = failStep ?? 7;
  const faults = j.faults === undefined ? [] : asArray(j.faults, `${where}.faults`).map((f, i) => resolveFault(f, `${where}.faults[${i}]`, false));
  return {
    jobId,
    region: j.region,
    family: family as JobFamily,
    outcome: outcome as JobOutcome,
    checkSeconds: optNumber(j.checkSeconds, `${where}.checkSeconds`, { min: 0, max: MAX_SECONDS }) ?? (outcome === JobOutcome.RUNNING ? 30 : 0),
    startDelaySeconds: optNumber(j.startDelaySeconds, `${where}.startDelaySeconds`, { min: 0, max: MAX_SECONDS }) ?? 0,
    failStep: step,
    message: message ?? CHECK_STEPS[step - 1].failureMessage,
    warnStep,
    warningMessage: warnStep === undefined ? undefined : warningMessage ?? CHECK_STEPS[warnStep - 1].warningMessage,
    faults,
  };
}

function resolveFault(input: unknown, where: string, global: boolean): ResolvedFault {
  const f = asObject(input, where);
  checkFields(f, FAULT_FIELDS, where, `${where}.`);
  if (typeof f.kind !== 'string' || !FAULT_KINDS.includes(f.kind)) {
    throw new EmulatorConfigError(`${where}.kind`, `must be one of ${FAULT_KINDS.join(', ')} (got ${show(f.kind)})`);
  }
  const action = optString(f.action, `${where}.action`);
  if (action !== undefined && action !== ACTION_2018 && action !== ACTION_2021) {
    throw new EmulatorConfigError(`${where}.action`, `must be ${ACTION_2018} or ${ACTION_2021} (got ${show(action)})`);
  }
  if (!global && f.jobId !== undefined) {
    throw new EmulatorConfigError(`${where}.jobId`, 'is only for global faults: a job\'s own faults already match that job');
  }
  const jobId = f.jobId === undefined ? undefined : reqString(f.jobId, `${where}.jobId`, JOB_ID_PATTERN, 'a job id such as "sync-blj8wnt1"');
  return {
    kind: f.kind as FaultKind,
    action,
    jobId,
    times: optNumber(f.times, `${where}.times`, { min: 1, max: 1_000_000, integer: true }),
    probability: optNumber(f.probability, `${where}.probability`, { min: 0, max: 1 }) ?? 1,
    durationMs: optNumber(f.durationMs, `${where}.durationMs`, { min: 0, max: 600_000, integer: true }) ?? 2000,
    skewSeconds: optNumber(f.skewSeconds, `${where}.skewSeconds`, { min: -MAX_SECONDS, max: MAX_SECONDS }) ?? 600,
    where,
  };
}

function show(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 60)}…` : text;
}

function asObject(value: unknown, where: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new EmulatorConfigError(where, `must be an object (got ${show(value)})`);
  }
  return value as Record<string, unknown>;
}

function asArray(value: unknown, where: string): readonly unknown[] {
  if (!Array.isArray(value)) throw new EmulatorConfigError(where, `must be an array (got ${show(value)})`);
  return value;
}

function checkFields(obj: Record<string, unknown>, allowed: readonly string[], where: string, prefix: string): void {
  for (const key of Object.keys(obj)) {
    if (!allowed.includes(key) && obj[key] !== undefined) {
      throw new EmulatorConfigError(`${prefix}${key}`, `is not a field of ${where} (expected one of ${allowed.filter((k) => /^\w/.test(k)).join(', ')})`);
    }
  }
}

function reqString(value: unknown, where: string, pattern: RegExp, expected: string): string {
  if (typeof value !== 'string' || !pattern.test(value)) {
    throw new EmulatorConfigError(where, `must be ${expected} (got ${show(value)})`);
  }
  return value;
}

function optString(value: unknown, where: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.length === 0 || value.length > 1000) {
    throw new EmulatorConfigError(where, `must be a non-empty string of at most 1000 characters (got ${show(value)})`);
  }
  return value;
}

function optBoolean(value: unknown, where: string): boolean | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'boolean') throw new EmulatorConfigError(where, `must be true or false (got ${show(value)})`);
  return value;
}

function optNumber(value: unknown, where: string, range: { min: number; max: number; integer?: boolean }): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || (range.integer && !Number.isInteger(value)) || value < range.min || value > range.max) {
    const kind = range.integer ? 'an integer' : 'a number';
    throw new EmulatorConfigError(where, `must be ${kind} ${range.min}..${range.max} (got ${show(value)})`);
  }
  return value;
}
