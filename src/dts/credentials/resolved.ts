/**
 * A key pair ready to sign with. Secrets live in private fields, so `JSON.stringify`,
 * `toString()`, `util.inspect` and error messages can only ever show the SecretId's last
 * characters, never the SecretKey or the session token.
 */
import { DtsCredentialsError } from '../errors';

const INSPECT = Symbol.for('nodejs.util.inspect.custom');

/**
 * Where the credentials came from, for messages: a variable name, a path or a role, never a value.
 * `explicit`, `environment`, `profile NAME in FILE`, `instance role NAME`, `role ARN assumed with ...`.
 */
export type CredentialSource = string;

export class ResolvedCredentials {
  readonly #secretKey: string;
  readonly #sessionToken: string | undefined;

  /**
   * @param expiresAt when temporary credentials stop working (epoch ms), as their issuer said;
   *   undefined for permanent ones
   */
  constructor(
    public readonly secretId: string,
    secretKey: string,
    sessionToken: string | undefined,
    public readonly source: CredentialSource,
    public readonly expiresAt?: number,
  ) {
    this.#secretKey = secretKey;
    this.#sessionToken = sessionToken || undefined;
  }

  public get secretKey(): string {
    return this.#secretKey;
  }

  public get sessionToken(): string | undefined {
    return this.#sessionToken;
  }

  public toJSON(): Record<string, unknown> {
    return {
      secretId: maskId(this.secretId),
      source: this.source,
      sessionToken: this.#sessionToken ? '***' : undefined,
      expiresAt: this.expiresAt === undefined ? undefined : new Date(this.expiresAt).toISOString(),
    };
  }

  public toString(): string {
    return `ResolvedCredentials(${maskId(this.secretId)} from ${this.source}${this.#sessionToken ? ', with session token' : ''})`;
  }

  public [INSPECT](): string {
    return this.toString();
  }
}

/** Only the last four characters of the SecretId: enough to tell two keys apart in a log. */
export function maskId(secretId: string): string {
  return secretId.length > 8 ? `***${secretId.slice(-4)}` : '***';
}

/**
 * The SecretId and token travel in headers (`Authorization`, `X-TC-Token`) and the SecretId in
 * the credential scope, where `/` and `,` are separators: a value that could break either is
 * refused before it is sent, naming where it came from and never the value.
 */
export function checkShape(creds: ResolvedCredentials, where: string, code: string): void {
  if (!/^[\x21-\x7e]{1,1024}$/.test(creds.secretId) || /[/,]/.test(creds.secretId)) {
    throw new DtsCredentialsError(`the SecretId from ${where} has characters a SecretId cannot have (spaces, control characters, "/" or ",")`, { code });
  }
  if (creds.sessionToken !== undefined && !/^[\x21-\x7e]{1,16384}$/.test(creds.sessionToken)) {
    throw new DtsCredentialsError(`the session token from ${where} has characters a token cannot have (spaces or control characters)`, { code });
  }
}
