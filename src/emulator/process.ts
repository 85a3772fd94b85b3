/**
 * The emulator in a child process, for those who want one: its own process and output, its
 * request log read from a pipe (`settle()`). `startEmulator` (worker.ts) needs none of that to
 * answer while synthesis blocks the calling thread: it serves from a worker thread.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { EmulatorConfig } from './config';
import type { EmulatorRequestLogEntry } from './model';
import type { RunningEmulator } from './server';
import { cliScriptPath } from '../bundles';

export interface EmulatorProcess extends RunningEmulator {
  /**
   * Resolve once the child's request log has been quiet for a moment, so `requests` includes
   * every request answered before the call (the log crosses a pipe).
   */
  settle(): Promise<void>;
}

/** Start the emulator as a child process (127.0.0.1, ephemeral port); resolves once it listens. */
export async function startEmulatorProcess(config: EmulatorConfig = {}, startTimeoutMs = 15_000): Promise<EmulatorProcess> {
  const dir = mkdtempSync(path.join(tmpdir(), 'dts-emulator-'));
  const configFile = path.join(dir, 'emulator.json');
  writeFileSync(configFile, JSON.stringify(config), { mode: 0o600 });
  const child = spawn(process.execPath, [cliScriptPath(), 'emulator', '--port', '0', '--config', configFile, '--verbose'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const requests: EmulatorRequestLogEntry[] = [];
  let lastLogAt = Date.now();
  let stderrTail = '';
  let pending = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    lastLogAt = Date.now();
    pending += chunk;
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) {
      try {
        requests.push(JSON.parse(line) as EmulatorRequestLogEntry);
      } catch {
        stderrTail = `${stderrTail}${line}\n`.slice(-2000);
      }
    }
  });

  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => fail(new Error(`the emulator did not start within ${startTimeoutMs} ms`)), startTimeoutMs);
    const fail = (e: Error) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`${e.message}${stderrTail ? `: ${stderrTail.trim()}` : ''}`));
    };
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      out += chunk;
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.once('exit', (code) => fail(new Error(`the emulator exited with ${code} before listening`)));
    child.once('error', fail);
  });

  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    url,
    port: Number(new URL(url).port),
    requests,
    async close() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
    async settle() {
      const quietMs = 100;
      const started = Date.now();
      while (Date.now() - lastLogAt < quietMs && Date.now() - started < 5_000) {
        await new Promise((r) => setTimeout(r, quietMs / 2));
      }
      await new Promise((r) => setTimeout(r, quietMs));
    },
  };
}
