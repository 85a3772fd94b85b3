/**
 * The chain's settings from the environment, validated before anything is read or sent: the
 * role to assume, and the STS and metadata endpoints. Each error names the variable and what
 * it expects; the values quoted are settings, never secrets.
 */
import { ROLE_ARN, SESSION_NAME } from './assume-role';
import type { AssumeRoleParams } from './assume-role';
import {
  DEFAULT_METADATA_ENDPOINT,
  DEFAULT_SESSION_DURATION_SECONDS,
  DEFAULT_STS_ENDPOINT,
  ENV_ASSUME_ROLE_ARN,
  ENV_ASSUME_ROLE_SESSION_DURATION,
  ENV_ASSUME_ROLE_SESSION_NAME,
  ENV_METADATA_ENDPOINT,
  ENV_STS_ENDPOINT,
  MAX_SESSION_DURATION_SECONDS,
  METADATA_OFF,
} from './names';
import { DtsCredentialsError, DtsInputError } from '../errors';
import { quoteValue, validateEndpoint } from '../regions';

function invalid(message: string, code = 'InvalidCredentialSetting'): DtsCredentialsError {
  return new DtsCredentialsError(message, { code });
}

/** `TENCENTCLOUD_ASSUME_ROLE_SESSION_DURATION`: an integer 0..43200, 0 or unset meaning 7200 (the provider's rule). */
export function sessionDuration(env: NodeJS.ProcessEnv): number {
  const raw = env[ENV_ASSUME_ROLE_SESSION_DURATION]?.trim();
  if (raw === undefined || raw === '') return DEFAULT_SESSION_DURATION_SECONDS;
  const n = /^\d{1,6}$/.test(raw) ? Number(raw) : NaN;
  if (!(n >= 0 && n <= MAX_SESSION_DURATION_SECONDS)) {
    throw invalid(`${ENV_ASSUME_ROLE_SESSION_DURATION} must be a whole number of seconds from 0 to ${MAX_SESSION_DURATION_SECONDS} (0 means ${DEFAULT_SESSION_DURATION_SECONDS}; got ${quoteValue(raw)})`);
  }
  return n === 0 ? DEFAULT_SESSION_DURATION_SECONDS : n;
}

/**
 * A role to assume: its ARN and session name, both required, checked against the API's rules.
 * `arnName`/`sessionNameName` say where each came from (a variable, or a key of a profile file).
 */
export function roleToAssume(
  arn: string | undefined,
  sessionName: string | undefined,
  durationSeconds: number,
  where: { readonly arn: string; readonly sessionName: string },
): AssumeRoleParams | undefined {
  if (!arn && !sessionName) return undefined;
  if (!arn) throw invalid(`${where.sessionName} is set but ${where.arn} is not: set both to assume a role, or neither`, 'IncompleteCredentials');
  if (!sessionName) {
    throw invalid(`${where.arn} is set but ${where.sessionName} is not: AssumeRole needs a session name (2 to 128 of letters, digits and +=,.@_-)`, 'IncompleteCredentials');
  }
  if (!ROLE_ARN.test(arn)) {
    throw invalid(`${where.arn} must be a role ARN such as "qcs::cam::uin/100000000001:roleName/dts-checker" (got ${quoteValue(arn)})`);
  }
  if (!SESSION_NAME.test(sessionName)) {
    throw invalid(`${where.sessionName} must be 2 to 128 of letters, digits and +=,.@_- (got ${quoteValue(sessionName)})`);
  }
  return { roleArn: arn, sessionName, durationSeconds };
}

/** The role from `TENCENTCLOUD_ASSUME_ROLE_ARN` / `_SESSION_NAME` / `_SESSION_DURATION`, if any. */
export function roleFromEnvironment(env: NodeJS.ProcessEnv): AssumeRoleParams | undefined {
  return roleToAssume(env[ENV_ASSUME_ROLE_ARN]?.trim(), env[ENV_ASSUME_ROLE_SESSION_NAME]?.trim(), sessionDuration(env), {
    arn: ENV_ASSUME_ROLE_ARN,
    sessionName: ENV_ASSUME_ROLE_SESSION_NAME,
  });
}

function endpointFrom(env: NodeJS.ProcessEnv, name: string, fallback: string): URL {
  const raw = env[name];
  if (raw === undefined || raw === '') return new URL(fallback);
  try {
    return validateEndpoint(raw, name);
  } catch (e) {
    if (e instanceof DtsInputError) throw invalid(e.message, 'InvalidEndpoint');
    throw e;
  }
}

/** STS: `DTS_SYNC_CHECK_STS_ENDPOINT` (https, or http on loopback), else `https://sts.tencentcloudapi.com`. */
export function stsEndpoint(env: NodeJS.ProcessEnv): URL {
  return endpointFrom(env, ENV_STS_ENDPOINT, DEFAULT_STS_ENDPOINT);
}

/**
 * The metadata service: `DTS_SYNC_CHECK_METADATA_ENDPOINT` (https, or http on loopback), else
 * `http://metadata.tencentyun.com`; undefined when the variable is `off`.
 */
export function metadataEndpoint(env: NodeJS.ProcessEnv): URL | undefined {
  if (env[ENV_METADATA_ENDPOINT]?.trim().toLowerCase() === METADATA_OFF) return undefined;
  return endpointFrom(env, ENV_METADATA_ENDPOINT, DEFAULT_METADATA_ENDPOINT);
}
