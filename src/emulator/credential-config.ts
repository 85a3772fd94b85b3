/**
 * Configuration of the emulator's credential services: STS `AssumeRole` (`sts`) and the CVM
 * metadata service's instance role (`instanceRole`). Validated here, called from `config.ts`,
 * so a mistake names its field like every other configuration error.
 */
import type { EmulatorCredential } from './model';

/** A temporary key pair the emulator hands out. Never logged. */
export interface EmulatorIssuedCredentials {
  /** `TmpSecretId` of the first issue; later issues append `.2`, `.3`, ... so each refresh is a new key. */
  readonly secretId: string;
  /** `TmpSecretKey` (same suffix rule). */
  readonly secretKey: string;
  /** `Token`, required with the key on the DTS side as `X-TC-Token` (same suffix rule). */
  readonly sessionToken: string;
}

/** A role `AssumeRole` knows. */
export interface EmulatorAssumableRole {
  /** The role's ARN, e.g. `qcs::cam::uin/100000000001:roleName/dts-checker`. */
  readonly roleArn: string;
  /**
   * The SecretIds that may assume it: ids of `credentials`, or the first-issue id of
   * `instanceRole.issued` / `sts.issued` (then every issue of that id may).
   */
  readonly allowedSecretIds: readonly string[];
}

/** STS `AssumeRole` (service `sts`, version 2018-08-13) on the emulator's port. */
export interface EmulatorStsConfig {
  /** The roles it knows. */
  readonly roles: readonly EmulatorAssumableRole[];
  /** The temporary credentials it issues. */
  readonly issued: EmulatorIssuedCredentials;
  /**
   * The longest lifetime it grants, in seconds: the request's `DurationSeconds` (default 7200)
   * is cut to this. Short values make refreshes testable.
   * @default - no cut (the API's maximum, 43200)
   */
  readonly grantSeconds?: number;
}

/** The CVM metadata service's instance role (`GET /latest/meta-data/cam/security-credentials/...`). */
export interface EmulatorInstanceRoleConfig {
  /** The role bound to the "instance": the listing names it. */
  readonly roleName: string;
  /** The temporary credentials it hands out. */
  readonly issued: EmulatorIssuedCredentials;
  /**
   * Lifetime of each issue, in seconds.
   * @default 7200
   */
  readonly grantSeconds?: number;
}

export interface ResolvedIssuer {
  readonly issued: EmulatorIssuedCredentials;
  readonly grantSeconds?: number;
}

export interface ResolvedSts extends ResolvedIssuer {
  /** Role ARN -> the SecretIds allowed to assume it. */
  readonly roles: ReadonlyMap<string, ReadonlySet<string>>;
}

export interface ResolvedInstanceRole extends ResolvedIssuer {
  readonly roleName: string;
  readonly grantSeconds: number;
}

export interface ResolvedCredentialServices {
  readonly sts?: ResolvedSts;
  readonly instanceRole?: ResolvedInstanceRole;
}

/** Throws the configuration error for `field` (the caller's error type). */
export type ConfigFailure = (field: string, message: string) => never;

export const CREDENTIAL_SERVICE_FIELDS = ['sts', 'instanceRole'] as const;
export const MAX_GRANT_SECONDS = 43_200;
export const DEFAULT_INSTANCE_ROLE_GRANT_SECONDS = 7200;
export const ROLE_NAME_PATTERN = /^[\w+=,.@-]{1,128}$/;

const show = (v: unknown) => {
  const text = JSON.stringify(v) ?? String(v);
  return text.length > 60 ? `${text.slice(0, 60)}…` : text;
};

/** `sts` and `instanceRole` of a configuration; `permanent` are the configured `credentials`. */
export function resolveCredentialServices(
  root: Record<string, unknown>,
  permanent: ReadonlyMap<string, EmulatorCredential>,
  fail: ConfigFailure,
): ResolvedCredentialServices {
  const obj = (v: unknown, where: string): Record<string, unknown> => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return fail(where, `must be an object (got ${show(v)})`);
    return v as Record<string, unknown>;
  };
  const fields = (o: Record<string, unknown>, allowed: readonly string[], where: string) => {
    for (const k of Object.keys(o)) {
      if (!allowed.includes(k) && o[k] !== undefined) fail(`${where}.${k}`, `is not a field of ${where} (expected one of ${allowed.join(', ')})`);
    }
  };
  const text = (v: unknown, where: string, pattern: RegExp, expected: string): string => {
    if (typeof v !== 'string' || !pattern.test(v)) return fail(where, `must be ${expected} (got ${show(v)})`);
    return v;
  };
  const seconds = (v: unknown, where: string): number | undefined => {
    if (v === undefined) return undefined;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > MAX_GRANT_SECONDS) return fail(where, `must be an integer 1..${MAX_GRANT_SECONDS} (got ${show(v)})`);
    return v;
  };
  const issued = (v: unknown, where: string): EmulatorIssuedCredentials => {
    const o = obj(v, where);
    fields(o, ['secretId', 'secretKey', 'sessionToken'], where);
    // The suffix `.N` of later issues must keep the id a single scope segment: no "/" or ",".
    const secretId = text(o.secretId, `${where}.secretId`, /^[\x21-\x2b\x2d-\x2e\x30-\x7e]{1,100}$/, 'printable ASCII without spaces, "/" or ",", 1..100 characters');
    if (permanent.has(secretId)) fail(`${where}.secretId`, `repeats the SecretId of a permanent key in credentials (${show(secretId)})`);
    const secretKey = text(o.secretKey, `${where}.secretKey`, /^.{1,256}$/s, 'a non-empty string');
    const sessionToken = text(o.sessionToken, `${where}.sessionToken`, /^[\x21-\x7e]{1,4000}$/, 'printable ASCII, 1..4000 characters');
    return { secretId, secretKey, sessionToken };
  };

  let instanceRole: ResolvedInstanceRole | undefined;
  if (root.instanceRole !== undefined) {
    const o = obj(root.instanceRole, 'instanceRole');
    fields(o, ['roleName', 'issued', 'grantSeconds'], 'instanceRole');
    instanceRole = {
      roleName: text(o.roleName, 'instanceRole.roleName', ROLE_NAME_PATTERN, 'a CAM role name of letters, digits and +=,.@_-'),
      issued: issued(o.issued, 'instanceRole.issued'),
      grantSeconds: seconds(o.grantSeconds, 'instanceRole.grantSeconds') ?? DEFAULT_INSTANCE_ROLE_GRANT_SECONDS,
    };
  }

  let sts: ResolvedSts | undefined;
  if (root.sts !== undefined) {
    const o = obj(root.sts, 'sts');
    fields(o, ['roles', 'issued', 'grantSeconds'], 'sts');
    const stsIssued = issued(o.issued, 'sts.issued');
    if (instanceRole && stsIssued.secretId === instanceRole.issued.secretId) fail('sts.issued.secretId', 'repeats instanceRole.issued.secretId');
    const known = new Set([...permanent.keys(), stsIssued.secretId, ...(instanceRole ? [instanceRole.issued.secretId] : [])]);
    if (!Array.isArray(o.roles) || o.roles.length === 0) fail('sts.roles', `must list at least one role (got ${show(o.roles)})`);
    const roles = new Map<string, ReadonlySet<string>>();
    (o.roles as unknown[]).forEach((r, i) => {
      const where = `sts.roles[${i}]`;
      const role = obj(r, where);
      fields(role, ['roleArn', 'allowedSecretIds'], where);
      const arn = text(role.roleArn, `${where}.roleArn`, /^qcs::cam::[\x21-\x7e]{1,1000}$/, 'a role ARN such as "qcs::cam::uin/100000000001:roleName/dts-checker"');
      if (roles.has(arn)) fail(`${where}.roleArn`, `repeats ${show(arn)}`);
      if (!Array.isArray(role.allowedSecretIds) || role.allowedSecretIds.length === 0) {
        fail(`${where}.allowedSecretIds`, `must list at least one SecretId (got ${show(role.allowedSecretIds)})`);
      }
      const allowed = (role.allowedSecretIds as unknown[]).map((id, k) => {
        if (typeof id !== 'string' || !known.has(id)) {
          return fail(`${where}.allowedSecretIds[${k}]`, `must be the SecretId of credentials, instanceRole.issued or sts.issued (got ${show(id)})`);
        }
        return id;
      });
      roles.set(arn, new Set(allowed));
    });
    sts = { roles, issued: stsIssued, grantSeconds: seconds(o.grantSeconds, 'sts.grantSeconds') };
  }
  return { sts, instanceRole };
}
