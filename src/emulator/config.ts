/**
 * The emulator's configuration: the TypeScript-friendly input type, validation of options
 * objects and `--config` files (errors name the offending field), and defaults. A job's fields
 * are validated in `./config-job`, a fault's in `./config-fault`.
 */
import { readFileSync } from 'node:fs';
import { EMULATOR_BUILT_IN_JOBS, EMULATOR_DEFAULT_CREDENTIALS } from './builtin';
import { EmulatorFaultConfig, ResolvedFault, resolveFault } from './config-fault';
import { EmulatorJobConfig, ResolvedJob, resolveJob } from './config-job';
import { asArray, asObject, checkFields, EmulatorConfigError, optBoolean, optNumber, reqString } from './config-values';
import { CREDENTIAL_SERVICE_FIELDS, EmulatorInstanceRoleConfig, EmulatorStsConfig, resolveCredentialServices, ResolvedCredentialServices } from './credential-config';
import { EmulatorCredential, EmulatorSettings } from './model';

export { ACTION_2018, ACTION_2021, CREATE_ACTION_2018, CREATE_ACTION_2021, VERSION_2018, VERSION_2021 } from './actions';
export { EmulatorConfigError } from './config-values';
export { EmulatorFaultConfig, ResolvedFault } from './config-fault';
export { EmulatorJobConfig, ResolvedJob } from './config-job';

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

const TOP_LEVEL_FIELDS = [
  'credentials', 'jobs', 'retired2018', 'rateLimitPerSecond', 'faults', 'seed', 'clockSkewSeconds', 'strictFinanceHost', 'port',
  ...CREDENTIAL_SERVICE_FIELDS, '$schema', '//',
];
const CREDENTIAL_FIELDS = ['secretId', 'secretKey', 'sessionToken'];
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
