/**
 * The pace state (pace.ts) in a file every process on this machine shares: one small JSON file
 * per endpoint and SecretId, changed under a lock file. Terraform runs each gate as its own
 * process, so only state outside the process can keep a whole apply under the service's limit.
 *
 * Why files and a lock: nothing to start or stop (a coordinating daemon would need a lifetime,
 * a socket and a fallback anyway), works for every runner with a writable temp folder, and the
 * lock is held only while the process runs synchronous code (read, decide, write: microseconds),
 * never across an await. So:
 * - a lock left by a process killed inside that moment is older than `LOCK_STALE_MS` and is
 *   removed by whoever meets it (its age is judged both ways, so a clock set back cannot make a
 *   lock look young forever);
 * - the file is read only under the lock, so a torn file can only come from a killed writer, and
 *   a file that does not parse is replaced by an empty state, never an error;
 * - two waiters breaking the same stale lock at once, or a holder stalled longer than
 *   `LOCK_STALE_MS`, can lose one update: at worst one request more than the pace, which the
 *   service answers with a throttle the client retries.
 *
 * Secrets: the file name is a SHA-256 of origin and SecretId; the file holds only times and
 * rates. The default folder, `<tmpdir>/dts-sync-check-rate-<uid>`, is created 0700 and used only
 * when it is a real folder owned by this user that no one else can write; files are created 0600
 * and opened without following symbolic links.
 */
/* eslint-disable no-bitwise -- open flags and file modes are bit sets */
import { createHash } from 'node:crypto';
import { chmodSync, closeSync, constants, lstatSync, mkdirSync, openSync, readdirSync, readFileSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { EMPTY_PACE, PaceState, parsePace } from './pace';
import { sleep } from './retry';

/** A lock older (or younger: a clock set back) than this was left by a process that died holding it. */
export const LOCK_STALE_MS = 2_000;
/** A state file unchanged this long holds nothing a fresh one would not (its times are all past, its backoff recovered). */
export const SWEEP_IDLE_MS = 10 * 60_000;
/** Waiting longer than this for a lock means the folder does not behave; the caller falls back to its own pace. */
export const LOCK_GIVE_UP_MS = 10_000;

const NOFOLLOW = constants.O_NOFOLLOW ?? 0;
/** The state file's size: room for the largest state (two logs of 50 times), so a write never leaves an old tail. */
const STATE_FILE_BYTES = 4096;
const FILE_NAME = /^[0-9a-f]{64}\.(?:json|lock)$/;

/** The folder or its files cannot be used as a shared limit (permissions, ownership, I/O). */
export class SharedBucketError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SharedBucketError';
  }
}

/** `<tmpdir>/dts-sync-check-rate-<uid>`: one folder per user, so users never share (or block) one another's files. */
export function defaultRateDir(): string {
  const uid = process.getuid?.();
  return path.join(tmpdir(), uid === undefined ? 'dts-sync-check-rate' : `dts-sync-check-rate-${uid}`);
}

/** The state file's base name for one endpoint and SecretId: a SHA-256, never the SecretId itself. */
export function bucketName(origin: string, secretId: string): string {
  return createHash('sha256').update(`dts-sync-check rate limit\n${origin}\n${secretId}`).digest('hex');
}

/** What one change of the shared state returns: the new state (undefined: unchanged) and a value for the caller. */
export interface PaceChange<T> {
  readonly state?: PaceState;
  readonly value: T;
}

/** Where a pace state lives; `update` runs `change` atomically for everyone who shares it. */
export interface PaceStore {
  update<T>(change: (state: PaceState) => PaceChange<T>): Promise<T>;
}

/** The state of one process only (the opt-out, and the fallback when the folder cannot be used). */
export class MemoryPaceStore implements PaceStore {
  private state: PaceState = EMPTY_PACE;

  public async update<T>(change: (state: PaceState) => PaceChange<T>): Promise<T> {
    const { state, value } = change(this.state);
    if (state) this.state = state;
    return value;
  }
}

const preparedDirs = new Set<string>();
const sweptDirs = new Set<string>();

/**
 * Make sure `dir` exists and can hold the state safely. `strict` (the default folder, in a temp
 * folder others can write to): it must be a real folder owned by this user, closed to others.
 */
export function prepareRateDir(dir: string, strict: boolean): void {
  if (preparedDirs.has(dir)) return;
  try {
    try {
      // Not `recursive`: node 20's recursive mkdir spins forever on some paths (under /proc), and
      // the parent (the temp folder, or a folder the user chose) should exist anyway.
      mkdirSync(dir, { mode: 0o700 });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    const st = strict ? lstatSync(dir) : statSync(dir);
    if (!st.isDirectory()) throw new SharedBucketError(`${dir} is not a folder`);
    if (strict) {
      const uid = process.getuid?.();
      if (uid !== undefined && st.uid !== uid) throw new SharedBucketError(`${dir} belongs to another user (uid ${st.uid})`);
      // Ours but opened up (by hand, or by a umask at creation): close it again.
      if ((st.mode & 0o077) !== 0) chmodSync(dir, 0o700);
    }
  } catch (e) {
    throw asBucketError(e, dir);
  }
  preparedDirs.add(dir);
}

export interface SharedBucketOptions {
  /** Check the folder as the default one in a temp folder others can write to (see `prepareRateDir`). @default true */
  readonly strict?: boolean;
  /** @default LOCK_STALE_MS */
  readonly lockStaleMs?: number;
}

interface Pending<T> {
  readonly change: (state: PaceState) => PaceChange<T>;
  readonly resolve: (value: T) => void;
  readonly reject: (e: unknown) => void;
}

/** The shared state of one endpoint and SecretId: `<dir>/<name>.json`, changed under `<dir>/<name>.lock`. */
export class SharedBucket implements PaceStore {
  private readonly file: string;
  private readonly lock: string;
  /** This process's changes not yet applied, in order of asking (in-process fairness). */
  private readonly pending: Array<Pending<unknown>> = [];
  private draining = false;

  private readonly strict: boolean;
  private readonly lockStaleMs: number;

  constructor(private readonly dir: string, name: string, options: SharedBucketOptions = {}) {
    this.file = path.join(dir, `${name}.json`);
    this.lock = path.join(dir, `${name}.lock`);
    this.strict = options.strict ?? true;
    this.lockStaleMs = options.lockStaleMs ?? LOCK_STALE_MS;
  }

  public update<T>(change: (state: PaceState) => PaceChange<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.pending.push({ change, resolve, reject } as Pending<unknown>);
      if (!this.draining) void this.drain();
    });
  }

  /**
   * Apply the pending changes in order, each batch under one lock, one read and one write: the
   * calls of a busy process (a synth-time batch of 2,000 checks) cost one file change per
   * batch, not one each.
   */
  private async drain(): Promise<void> {
    this.draining = true;
    try {
      while (this.pending.length > 0) {
        try {
          prepareRateDir(this.dir, this.strict);
          await this.takeLock();
        } catch (e) {
          for (const p of this.pending.splice(0)) p.reject(asBucketError(e, this.lock));
          return;
        }
        const batch = this.pending.splice(0);
        try {
          const read = this.read();
          let state = read.state;
          let changed = false;
          const values = batch.map((p) => {
            const result = p.change(state);
            if (result.state) {
              state = result.state;
              changed = true;
            }
            return result.value;
          });
          if (changed) this.write(state, read.size);
          batch.forEach((p, i) => p.resolve(values[i]));
        } catch (e) {
          for (const p of batch) p.reject(asBucketError(e, this.file));
        } finally {
          removeQuietly(this.lock);
        }
      }
    } finally {
      this.draining = false;
    }
  }

  private async takeLock(): Promise<void> {
    const giveUpAt = Date.now() + LOCK_GIVE_UP_MS;
    let pauseMs = 1;
    while (!tryLock(this.lock, this.lockStaleMs)) {
      if (Date.now() > giveUpAt) throw new SharedBucketError(`the lock ${this.lock} stayed taken for ${LOCK_GIVE_UP_MS / 1000} s`);
      // Holds last microseconds: a short, jittered, growing pause keeps waiters from polling in step.
      await sleep(pauseMs * (0.5 + Math.random()));
      pauseMs = Math.min(pauseMs * 2, 25);
    }
  }

  /** The state, and the file's size (to overwrite it whole). */
  private read(): { state: PaceState; size: number } {
    let text: string;
    try {
      const fd = openSync(this.file, constants.O_RDONLY | NOFOLLOW);
      try {
        text = readFileSync(fd, 'utf8');
      } finally {
        closeSync(fd);
      }
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      // A new key: a good moment to clear files no one has used for a while (once per process and folder).
      if (!sweptDirs.has(this.dir)) {
        sweptDirs.add(this.dir);
        sweepIdle(this.dir, this.file);
      }
      return { state: EMPTY_PACE, size: 0 };
    }
    try {
      return { state: parsePace(JSON.parse(text)) ?? EMPTY_PACE, size: text.length };
    } catch {
      return { state: EMPTY_PACE, size: text.length }; // torn by a writer killed mid-write: start again
    }
  }

  /**
   * Overwrite the file in place, padded with spaces (JSON allows them) to at least its old size.
   * Not truncated first: on ext4, truncate-then-write makes the close wait for the disk
   * (auto_da_alloc), measured 3.6 ms a write on a loaded machine against 4 us in place.
   */
  private write(state: PaceState, oldSize: number): void {
    const fd = openSync(this.file, constants.O_WRONLY | constants.O_CREAT | NOFOLLOW, 0o600);
    try {
      writeSync(fd, JSON.stringify(state).padEnd(Math.max(STATE_FILE_BYTES, oldSize)), 0);
    } finally {
      closeSync(fd);
    }
  }
}

/** Take the lock if it is free or stale; false when a live process holds it. */
function tryLock(lock: string, staleMs: number): boolean {
  if (createExclusive(lock)) return true;
  let age: number;
  try {
    age = Date.now() - lstatSync(lock).mtimeMs;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return createExclusive(lock); // released meanwhile
    throw asBucketError(e, lock);
  }
  if (Math.abs(age) <= staleMs) return false;
  removeQuietly(lock);
  return createExclusive(lock);
}

function createExclusive(file: string): boolean {
  try {
    closeSync(openSync(file, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | NOFOLLOW, 0o600));
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw asBucketError(e, file);
  }
}

function removeQuietly(file: string): void {
  try {
    unlinkSync(file);
  } catch {
    // already gone (a waiter judged it stale); nothing to undo
  }
}

/** Remove other keys' files unchanged for `SWEEP_IDLE_MS`; a state file under its own lock, so no live change is lost. */
function sweepIdle(dir: string, except: string): void {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  const now = Date.now();
  for (const name of names) {
    const file = path.join(dir, name);
    if (!FILE_NAME.test(name) || file === except) continue;
    try {
      if (Math.abs(now - lstatSync(file).mtimeMs) <= SWEEP_IDLE_MS) continue;
      if (name.endsWith('.lock')) {
        removeQuietly(file); // left by a killed process, its key unused since
        continue;
      }
      const lock = file.replace(/\.json$/, '.lock');
      if (!tryLock(lock, LOCK_STALE_MS)) continue;
      try {
        if (Math.abs(now - lstatSync(file).mtimeMs) > SWEEP_IDLE_MS) unlinkSync(file);
      } finally {
        removeQuietly(lock);
      }
    } catch {
      // someone else swept it, or it is not ours to remove: leave it
    }
  }
}

function asBucketError(e: unknown, where: string): SharedBucketError {
  if (e instanceof SharedBucketError) return e;
  const message = e instanceof Error ? e.message : String(e);
  // Node's file system errors name the path and the code already ("EACCES: permission denied, open '...'").
  return new SharedBucketError(message.includes(where) ? message : `${where}: ${message}`);
}
