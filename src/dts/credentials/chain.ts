/**
 * The credential chain, in the order the README states:
 *
 * 1. the explicit `credentials` option;
 * 2. the environment: `TENCENTCLOUD_SECRET_ID` / `_SECRET_KEY`, with a session token from
 *    `TENCENTCLOUD_SESSION_TOKEN`, `TENCENTCLOUD_SECURITY_TOKEN` or `TENCENTCLOUD_TOKEN`;
 * 3. the profile `TENCENTCLOUD_PROFILE` (default `default`): tccli's `<dir>/<profile>.credential`,
 *    then the INI files `~/.tencentcloud/credentials` and `/etc/tencentcloud/credentials`;
 * 4. the CVM instance role from the metadata service: `TENCENTCLOUD_CAM_ROLE_NAME`, or the role
 *    the service lists when nothing above had credentials;
 * 5. on top of what was found: `AssumeRole` of `TENCENTCLOUD_ASSUME_ROLE_ARN`, else of the
 *    tccli profile's `role-arn`.
 *
 * The first source that has credentials wins. The Terraform provider reads the same variables
 * and files; it differs in that a `cam_role_name` beats keys found earlier, which here it does not.
 */
import { assumeRole, AssumeRoleParams } from './assume-role';
import { discoverRole, fetchInstanceRole, validateRoleName } from './instance-role';
import {
  ENV_CAM_ROLE_NAME,
  ENV_METADATA_ENDPOINT,
  ENV_PROFILE,
  ENV_SECRET_ID,
  ENV_SECRET_KEY,
  ENV_TOKENS,
  METADATA_CREDENTIALS_PATH,
  METADATA_OFF,
} from './names';
import { defaultProfileFiles, findProfile, profileName, ProfileCredentials, tccliDir } from './profiles';
import { RefreshingCredentials } from './refresh';
import { checkShape, ResolvedCredentials } from './resolved';
import { metadataEndpoint, roleFromEnvironment, roleToAssume, sessionDuration, stsEndpoint } from './settings';
import { Clock, SYSTEM_CLOCK } from '../clock';
import { DtsCredentialsError } from '../errors';

export interface ExplicitCredentials {
  readonly secretId: string;
  readonly secretKey: string;
  readonly sessionToken?: string;
}

export interface CredentialChainOptions {
  /** The environment to read. @default process.env */
  readonly env?: NodeJS.ProcessEnv;
  /**
   * The INI profile files to try in order, after tccli's file.
   * @default - `~/.tencentcloud/credentials` (home from `HOME`), then `/etc/tencentcloud/credentials`
   */
  readonly profileFiles?: readonly string[];
  /** `X-TC-Region` of `AssumeRole`: the job's region. @default - `TENCENTCLOUD_REGION`, else `ap-guangzhou` */
  readonly region?: string;
  /** How long one STS attempt may take. @default 10_000 */
  readonly attemptTimeoutMs?: number;
  /** Decides when temporary credentials are refreshed. @default SYSTEM_CLOCK */
  readonly clock?: Clock;
}

/** Hands out credentials for the next request: the same ones, or fresh temporary ones before they expire. */
export type CredentialProvider = () => Promise<ResolvedCredentials>;

type Base = { readonly provider: CredentialProvider; readonly role?: AssumeRoleParams };

const staticProvider = (creds: ResolvedCredentials): CredentialProvider => async () => creds;

/**
 * A provider for the chain. Nothing is read until it is first called; the sources are then
 * found once (a failure is not kept: the next call looks again) and kept for later calls.
 */
export function credentialProvider(explicit?: ExplicitCredentials, options: CredentialChainOptions = {}): CredentialProvider {
  let resolving: Promise<CredentialProvider> | undefined;
  return async () => {
    resolving ??= resolveChain(explicit, options).catch((e: unknown) => {
      resolving = undefined;
      throw e;
    });
    return (await resolving)();
  };
}

/** Resolve credentials once, or throw `DtsCredentialsError` naming every place looked at. */
export async function resolveCredentials(explicit?: ExplicitCredentials, options: CredentialChainOptions = {}): Promise<ResolvedCredentials> {
  return credentialProvider(explicit, options)();
}

async function resolveChain(explicit: ExplicitCredentials | undefined, options: CredentialChainOptions): Promise<CredentialProvider> {
  const env = options.env ?? process.env;
  const clock = options.clock ?? SYSTEM_CLOCK;
  // Settings first: a mistake in one is reported even when the keys are found before it matters.
  const envRole = roleFromEnvironment(env);
  const sts = stsEndpoint(env);
  const metadata = metadataEndpoint(env);
  const namedRole = env[ENV_CAM_ROLE_NAME]?.trim() ? validateRoleName(env[ENV_CAM_ROLE_NAME].trim(), ENV_CAM_ROLE_NAME) : undefined;

  const base = await findBase(explicit, env, options, metadata, namedRole, clock);
  const role = envRole ?? base.role;
  if (!role) return base.provider;
  const target = {
    endpoint: sts,
    region: options.region ?? (env.TENCENTCLOUD_REGION || 'ap-guangzhou'),
    attemptTimeoutMs: options.attemptTimeoutMs ?? 10_000,
    env,
  };
  const assumed = new RefreshingCredentials(async () => assumeRole(await base.provider(), role, target, clock), clock);
  return () => assumed.get();
}

async function findBase(
  explicit: ExplicitCredentials | undefined,
  env: NodeJS.ProcessEnv,
  options: CredentialChainOptions,
  metadata: URL | undefined,
  namedRole: string | undefined,
  clock: Clock,
): Promise<Base> {
  if (explicit !== undefined) return { provider: staticProvider(fromExplicit(explicit)) };

  const fromEnv = fromEnvironment(env);
  if (fromEnv) return { provider: staticProvider(fromEnv) };

  const profile = profileName(env);
  const iniFiles = options.profileFiles ?? defaultProfileFiles(env);
  const lookup = findProfile(profile.name, tccliDir(env), iniFiles);
  if (lookup.found) return fromProfile(lookup.found, env, metadata, namedRole, clock);
  if (profile.explicit) {
    throw new DtsCredentialsError(`the profile "${profile.name}" named by ${ENV_PROFILE} was not found in ${lookup.lookedAt.join(', ')}`, {
      code: 'ProfileNotFound',
    });
  }

  const instance = `the CVM instance role (${ENV_CAM_ROLE_NAME}, else the role the metadata service lists)`;
  let why: string;
  if (metadata === undefined) {
    why = `not asked: ${ENV_METADATA_ENDPOINT}=${METADATA_OFF}`;
  } else if (namedRole !== undefined) {
    return { provider: instanceRole(metadata, namedRole, clock) };
  } else {
    const discovery = await discoverRole(metadata);
    if (discovery.role !== undefined) return { provider: instanceRole(metadata, discovery.role, clock) };
    why = `${new URL(METADATA_CREDENTIALS_PATH, metadata).href}: ${discovery.why}`;
  }
  throw new DtsCredentialsError(
    `no Tencent Cloud credentials found; looked, in order, at: 1. the \`credentials\` option; 2. the environment variables ${ENV_SECRET_ID} and ${ENV_SECRET_KEY} `
    + `(with a session token in ${ENV_TOKENS.slice(0, -1).join(', ')} or ${ENV_TOKENS[ENV_TOKENS.length - 1]}); 3. the profile "${profile.name}" (${ENV_PROFILE}) in ${lookup.lookedAt.join(', ')}; 4. ${instance} at ${why}`,
    { code: 'NoCredentials' },
  );
}

function instanceRole(metadata: URL, role: string, clock: Clock): CredentialProvider {
  const refreshing = new RefreshingCredentials(() => fetchInstanceRole(metadata, role), clock);
  return () => refreshing.get();
}

function fromExplicit(explicit: ExplicitCredentials): ResolvedCredentials {
  const missing = (['secretId', 'secretKey'] as const).filter((k) => typeof explicit[k] !== 'string' || explicit[k].trim() === '');
  if (missing.length > 0) {
    throw new DtsCredentialsError(`explicit \`credentials\` are missing ${missing.map((k) => `\`${k}\``).join(' and ')}`, {
      code: 'IncompleteCredentials',
    });
  }
  if (explicit.sessionToken !== undefined && typeof explicit.sessionToken !== 'string') {
    throw new DtsCredentialsError('explicit `credentials.sessionToken` must be a string', { code: 'IncompleteCredentials' });
  }
  const creds = new ResolvedCredentials(explicit.secretId.trim(), explicit.secretKey.trim(), explicit.sessionToken?.trim(), 'explicit');
  checkShape(creds, 'the `credentials` option', 'MalformedCredentials');
  return creds;
}

function fromEnvironment(env: NodeJS.ProcessEnv): ResolvedCredentials | undefined {
  const id = env[ENV_SECRET_ID]?.trim();
  const key = env[ENV_SECRET_KEY]?.trim();
  if (!id && !key) return undefined;
  if (!id || !key) {
    const [has, lacks] = id ? [ENV_SECRET_ID, ENV_SECRET_KEY] : [ENV_SECRET_KEY, ENV_SECRET_ID];
    throw new DtsCredentialsError(`${has} is set but ${lacks} is not: set both, or neither to use a profile or the instance role`, {
      code: 'IncompleteCredentials',
    });
  }
  const token = ENV_TOKENS.map((name) => env[name]?.trim()).find((t) => t);
  const creds = new ResolvedCredentials(id, key, token, 'environment');
  checkShape(creds, 'the environment', 'MalformedCredentials');
  return creds;
}

function fromProfile(
  found: ProfileCredentials,
  env: NodeJS.ProcessEnv,
  metadata: URL | undefined,
  namedRole: string | undefined,
  clock: Clock,
): Promise<Base> | Base {
  const where = `the profile "${found.profile}" in ${found.file}`;
  const role = roleToAssume(found.roleArn, found.roleSessionName, sessionDuration(env), {
    arn: `\`role-arn\` of ${where}`,
    sessionName: `\`role-session-name\` of ${where}`,
  });
  if (found.kind === 'keys') {
    const creds = new ResolvedCredentials(found.secretId!, found.secretKey!, found.token, `profile ${found.profile} in ${found.file}`);
    checkShape(creds, where, 'MalformedCredentials');
    return { provider: staticProvider(creds), role };
  }
  // tccli's `use-cvm-role true`: the profile asks for the instance role, so failing to get it is an error.
  if (metadata === undefined) {
    throw new DtsCredentialsError(`${where} uses the CVM role, but ${ENV_METADATA_ENDPOINT}=${METADATA_OFF} turns the metadata service off`, {
      code: 'InstanceRoleFailed',
    });
  }
  if (namedRole !== undefined) return { provider: instanceRole(metadata, namedRole, clock), role };
  return discoverRole(metadata).then((discovery) => {
    if (discovery.role === undefined) {
      throw new DtsCredentialsError(`${where} uses the CVM role, but the metadata service at ${metadata.origin} names none: ${discovery.why}`, {
        code: 'InstanceRoleFailed',
      });
    }
    return { provider: instanceRole(metadata, discovery.role, clock), role };
  });
}
