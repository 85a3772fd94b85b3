/**
 * Profiles on disk: tccli's JSON `<dir>/<profile>.credential` (what `tccli configure` writes and
 * the Terraform provider reads), then the SDKs' INI files with one section per profile.
 *
 * Nothing read here is ever echoed: messages name the file, the profile and the key, never a
 * value, and a JSON parser's message (which quotes the text around the error) is not passed on.
 */
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_PROFILE, ENV_PROFILE, ENV_SHARED_CREDENTIALS_DIR } from './names';
import { DtsCredentialsError } from '../errors';
import { quoteValue } from '../regions';

/** What a profile holds: keys (and maybe a role to assume with them), or tccli's "use the CVM role". */
export interface ProfileCredentials {
  /** `keys`: secretId/secretKey (and token); `instance-role`: tccli's `use-cvm-role true` (`"type": "cvm-role"`). */
  readonly kind: 'keys' | 'instance-role';
  readonly secretId?: string;
  readonly secretKey?: string;
  readonly token?: string;
  /** tccli's `role-arn` (also read as `roleArn`): assume this role with the profile's keys. */
  readonly roleArn?: string;
  /** tccli's `role-session-name` (also read as `roleSessionName`). */
  readonly roleSessionName?: string;
  /** The file it came from. */
  readonly file: string;
  readonly profile: string;
}

export interface ProfileLookup {
  readonly found?: ProfileCredentials;
  /** Every file looked at, in order, for the "no credentials" message. */
  readonly lookedAt: readonly string[];
}

/** tccli, the provider and the SDKs all allow these; anything else could walk out of the folder. */
const PROFILE_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;

/** The profile to read, validated: `TENCENTCLOUD_PROFILE`, else `default`. `explicit` says whether it was asked for by name. */
export function profileName(env: NodeJS.ProcessEnv): { readonly name: string; readonly explicit: boolean } {
  const raw = env[ENV_PROFILE];
  if (raw === undefined || raw === '') return { name: DEFAULT_PROFILE, explicit: false };
  if (!PROFILE_NAME.test(raw)) {
    throw new DtsCredentialsError(
      `${ENV_PROFILE} must be a profile name of letters, digits, "_", "." and "-" (got ${quoteValue(raw)})`,
      { code: 'InvalidCredentialSetting' },
    );
  }
  return { name: raw, explicit: true };
}

function home(env: NodeJS.ProcessEnv): string {
  return env.HOME || env.USERPROFILE || homedir();
}

/** tccli's folder: `TENCENTCLOUD_SHARED_CREDENTIALS_DIR` (a leading `~` is the home folder), else `~/.tccli`. */
export function tccliDir(env: NodeJS.ProcessEnv = process.env): string {
  const dir = env[ENV_SHARED_CREDENTIALS_DIR];
  if (!dir) return join(home(env), '.tccli');
  return dir === '~' || dir.startsWith('~/') ? join(home(env), dir.slice(1)) : dir;
}

/** The SDKs' INI files: `~/.tencentcloud/credentials` (home from `HOME`), then `/etc/tencentcloud/credentials`. */
export function defaultProfileFiles(env: NodeJS.ProcessEnv = process.env): string[] {
  return [join(home(env), '.tencentcloud', 'credentials'), '/etc/tencentcloud/credentials'];
}

/** Look a profile up: tccli's file first, then each INI file; the first that has it wins. */
export function findProfile(profile: string, tccli: string, iniFiles: readonly string[]): ProfileLookup {
  const tccliFile = join(tccli, `${profile}.credential`);
  const lookedAt = [tccliFile, ...iniFiles];
  const fromTccli = readTccliProfile(tccliFile, profile);
  if (fromTccli) return { found: fromTccli, lookedAt };
  for (const file of iniFiles) {
    const found = readIniProfile(file, profile);
    if (found) return { found, lookedAt };
  }
  return { lookedAt };
}

function readText(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw new DtsCredentialsError(`cannot read the profile file ${file} (${code ?? 'unknown error'})`, { code: 'UnreadableProfile' });
  }
}

/** One of two equivalent keys (tccli writes `role-arn`; `roleArn` is accepted too), as a trimmed string. */
function field(obj: Record<string, unknown>, names: readonly string[], file: string, profile: string): string | undefined {
  for (const name of names) {
    const value = obj[name];
    if (value === undefined || value === null) continue;
    if (typeof value !== 'string') {
      throw new DtsCredentialsError(`the profile "${profile}" in ${file} has a \`${name}\` that is not a string`, { code: 'MalformedProfile' });
    }
    if (value.trim() !== '') return value.trim();
  }
  return undefined;
}

function readTccliProfile(file: string, profile: string): ProfileCredentials | undefined {
  const text = readText(file);
  if (text === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    // The parser's own message quotes the text near the error, which may be a key: not passed on.
    throw new DtsCredentialsError(`the tccli profile file ${file} is not valid JSON`, { code: 'MalformedProfile' });
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new DtsCredentialsError(`the tccli profile file ${file} is not a JSON object`, { code: 'MalformedProfile' });
  }
  const obj = parsed as Record<string, unknown>;
  const roleArn = field(obj, ['role-arn', 'roleArn'], file, profile);
  const roleSessionName = field(obj, ['role-session-name', 'roleSessionName'], file, profile);
  const type = field(obj, ['type'], file, profile);
  if (type === 'cvm-role') return { kind: 'instance-role', roleArn, roleSessionName, file, profile };

  const secretId = field(obj, ['secretId'], file, profile);
  const secretKey = field(obj, ['secretKey'], file, profile);
  if (!secretId && !secretKey) return undefined;
  if (!secretId || !secretKey) {
    throw new DtsCredentialsError(
      `the profile "${profile}" in ${file} has ${secretId ? '`secretId`' : '`secretKey`'} but no ${secretId ? '`secretKey`' : '`secretId`'}`,
      { code: 'IncompleteCredentials' },
    );
  }
  return { kind: 'keys', secretId, secretKey, token: field(obj, ['token'], file, profile), roleArn, roleSessionName, file, profile };
}

function readIniProfile(file: string, profile: string): ProfileCredentials | undefined {
  const text = readText(file);
  if (text === undefined) return undefined;
  const section = parseIniSection(text, profile);
  if (!section) return undefined;
  const secretId = section.secret_id;
  const secretKey = section.secret_key;
  if (!secretId && !secretKey) return undefined;
  if (!secretId || !secretKey) {
    throw new DtsCredentialsError(`the [${profile}] profile in ${file} has ${secretId ? 'secret_id' : 'secret_key'} but no ${secretId ? 'secret_key' : 'secret_id'}`, {
      code: 'IncompleteCredentials',
    });
  }
  return { kind: 'keys', secretId, secretKey, token: section.token, file, profile };
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
