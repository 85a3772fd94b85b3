/**
 * The credentials chain, in the order the SDKs, tccli and the Terraform provider use:
 * explicit values, then the environment, then the profile file(s).
 *
 * Secrets live in a private field of `ResolvedCredentials`, so `JSON.stringify`, `toString()`,
 * `util.inspect` and error messages can only ever show the SecretId's last characters.
 */
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { DtsCredentialsError } from './errors';

export const ENV_SECRET_ID = 'TENCENTCLOUD_SECRET_ID';
export const ENV_SECRET_KEY = 'TENCENTCLOUD_SECRET_KEY';
export const ENV_SESSION_TOKEN = 'TENCENTCLOUD_SESSION_TOKEN';
/** tccli's name for the session token. */
export const ENV_TOKEN_ALIAS = 'TENCENTCLOUD_TOKEN';

const INSPECT = Symbol.for('nodejs.util.inspect.custom');

/** Where the credentials came from, for messages: a variable name or a path, never a value. */
export type CredentialSource = 'explicit' | 'environment' | `profile ${string}`;

export class ResolvedCredentials {
  readonly #secretKey: string;
  readonly #sessionToken: string | undefined;

  constructor(public readonly secretId: string, secretKey: string, sessionToken: string | undefined, public readonly source: CredentialSource) {
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
    return { secretId: maskId(this.secretId), source: this.source, sessionToken: this.#sessionToken ? '***' : undefined };
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

export interface ExplicitCredentials {
  readonly secretId: string;
  readonly secretKey: string;
  readonly sessionToken?: string;
}

export interface CredentialChainOptions {
  /** The environment to read. @default process.env */
  readonly env?: NodeJS.ProcessEnv;
  /**
   * Profile files to try in order.
   * @default - `~/.tencentcloud/credentials` (home from `HOME` / os.homedir()), then `/etc/tencentcloud/credentials`
   */
  readonly profileFiles?: readonly string[];
}

export function defaultProfileFiles(env: NodeJS.ProcessEnv = process.env): string[] {
  const home = env.HOME || homedir();
  return [join(home, '.tencentcloud', 'credentials'), '/etc/tencentcloud/credentials'];
}

/** Resolve credentials or throw `DtsCredentialsError` naming every place looked at. */
export function resolveCredentials(explicit?: ExplicitCredentials, options: CredentialChainOptions = {}): ResolvedCredentials {
  if (explicit !== undefined) {
    const missing = (['secretId', 'secretKey'] as const).filter((k) => typeof explicit[k] !== 'string' || explicit[k].trim() === '');
    if (missing.length > 0) {
      throw new DtsCredentialsError(`explicit \`credentials\` are missing ${missing.map((k) => `\`${k}\``).join(' and ')}`, {
        code: 'IncompleteCredentials',
      });
    }
    if (explicit.sessionToken !== undefined && typeof explicit.sessionToken !== 'string') {
      throw new DtsCredentialsError('explicit `credentials.sessionToken` must be a string', { code: 'IncompleteCredentials' });
    }
    return new ResolvedCredentials(explicit.secretId.trim(), explicit.secretKey.trim(), explicit.sessionToken?.trim(), 'explicit');
  }

  const env = options.env ?? process.env;
  const id = env[ENV_SECRET_ID]?.trim();
  const key = env[ENV_SECRET_KEY]?.trim();
  if (id || key) {
    if (!id || !key) {
      const [has, lacks] = id ? [ENV_SECRET_ID, ENV_SECRET_KEY] : [ENV_SECRET_KEY, ENV_SECRET_ID];
      throw new DtsCredentialsError(`${has} is set but ${lacks} is not: set both, or neither to use the profile file`, {
        code: 'IncompleteCredentials',
      });
    }
    const token = env[ENV_SESSION_TOKEN]?.trim() || env[ENV_TOKEN_ALIAS]?.trim();
    return new ResolvedCredentials(id, key, token, 'environment');
  }

  const files = options.profileFiles ?? defaultProfileFiles(env);
  for (const file of files) {
    const found = readProfile(file);
    if (found) return found;
  }

  throw new DtsCredentialsError(
    `no Tencent Cloud credentials found: looked at the \`credentials\` option, the environment variables ${ENV_SECRET_ID}/${ENV_SECRET_KEY} `
    + `(with ${ENV_SESSION_TOKEN} or ${ENV_TOKEN_ALIAS}), and the [default] profile in ${files.join(', ')}`,
    { code: 'NoCredentials' },
  );
}

/** The `[default]` section of an INI profile file, or undefined when the file or section is absent. */
function readProfile(file: string): ResolvedCredentials | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw new DtsCredentialsError(`cannot read the profile file ${file} (${code ?? 'unknown error'})`, { code: 'UnreadableProfile' });
  }
  const section = parseIniSection(text, 'default');
  if (!section) return undefined;
  const id = section.secret_id;
  const key = section.secret_key;
  if (!id && !key) return undefined;
  if (!id || !key) {
    throw new DtsCredentialsError(`the [default] profile in ${file} has ${id ? 'secret_id' : 'secret_key'} but no ${id ? 'secret_key' : 'secret_id'}`, {
      code: 'IncompleteCredentials',
    });
  }
  return new ResolvedCredentials(id, key, section.token, `profile ${file}`);
}

function parseIniSection(text: string, wanted: string): Record<string, string> | undefined {
  let current: string | undefined;
  let result: Record<string, string> | undefined;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const header = /^\[\s*([^\]]+?)\s*\]$/.exec(line);
    if (header) {
      current = header[1];
      if (current === wanted) result = result ?? {};
      continue;
    }
    const eq = line.indexOf('=');
    if (current !== wanted || eq < 0 || !result) continue;
    const name = line.slice(0, eq).trim().toLowerCase();
    const value = line.slice(eq + 1).trim();
    if (value) result[name] = value;
  }
  return result;
}
