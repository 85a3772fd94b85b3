/**
 * `startEmulator`: the emulator's server in a worker thread of the calling process.
 *
 * Synthesis waits for the construct's lookup synchronously (spawnSync), which blocks the thread
 * that called it: a server on that thread could not answer, and the lookup would end with "no
 * complete answer" after its timeouts. A server on its own thread keeps answering. The request
 * log crosses to the starting thread on a message port that `requests` drains synchronously, so
 * it holds every request answered so far; `close()` stops the server and ends the thread.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { MessageChannel, receiveMessageOnPort, Worker } from 'node:worker_threads';
import { EmulatorConfig, resolveConfig } from './config';
import type { EmulatorRequestLogEntry } from './model';
import { EmulatorRequestListener, EmulatorRuntimeOptions, RunningEmulator, startEmulator as startInThisThread } from './server';
import type { EmulatorWorkerData, EmulatorWorkerMessage } from './worker-main';
import { emulatorWorkerScriptPath } from '../bundles';

/**
 * Start the emulator on 127.0.0.1, in a worker thread: it keeps answering while this thread is
 * blocked, e.g. by synthesis. Rejects on an invalid configuration (`EmulatorConfigError`) or a
 * port in use. The thread keeps the process alive until `close()`, as a listening server does.
 *
 * The second argument is a request listener or the runtime options. A `clock` for the checks'
 * lifecycle cannot cross to another thread: with one, the server runs on this thread, so it must
 * not be used beside synthesis in the same process.
 */
export async function startEmulator(
  options: EmulatorConfig = {},
  runtime: EmulatorRequestListener | EmulatorRuntimeOptions = {},
): Promise<RunningEmulator> {
  if (typeof runtime !== 'function' && runtime.clock !== undefined) return startInThisThread(options, runtime);
  const onRequest = typeof runtime === 'function' ? runtime : runtime.onRequest;
  resolveConfig(options); // a bad configuration throws here, with the caller's stack
  const script = workerScript();
  const { port1: logPort, port2: workerLogPort } = new MessageChannel();
  const data: EmulatorWorkerData = { config: options, log: workerLogPort };
  const worker = new Worker(script, { workerData: data, transferList: [workerLogPort] });

  const requests: EmulatorRequestLogEntry[] = [];
  const take = (entry: EmulatorRequestLogEntry) => {
    requests.push(entry);
    onRequest?.(entry);
  };
  // Entries arrive as events when this thread is free, and are taken at once when read: both
  // take from the head of the same queue, so none is seen twice or out of order.
  const drain = () => {
    for (let m = receiveMessageOnPort(logPort); m; m = receiveMessageOnPort(logPort)) take(m.message as EmulatorRequestLogEntry);
  };
  logPort.on('message', take);
  logPort.unref();

  let crash: Error | undefined;
  let exited = false;
  const exit = new Promise<void>((resolve) => worker.once('exit', () => {
    exited = true;
    resolve();
  }));
  worker.on('error', (e) => (crash ??= e));

  const listening = await new Promise<{ url: string; port: number }>((resolve, reject) => {
    let settled = false;
    const fail = (e: Error) => {
      if (settled) return; // after listening, close() owns the log port
      settled = true;
      logPort.close();
      reject(e);
    };
    const onMessage = (m: EmulatorWorkerMessage) => {
      if (m.type === 'listening') {
        settled = true;
        worker.off('message', onMessage);
        resolve({ url: m.url, port: m.port });
      } else if (m.type === 'failed') {
        void worker.terminate();
        // The configuration was checked above: what is left is the port (EADDRINUSE, EACCES).
        fail(Object.assign(new Error(m.message), { code: m.code }));
      }
    };
    worker.on('message', onMessage);
    void exit.then(() => fail(new Error(`the emulator's worker thread ended before listening${crash ? `: ${crash.message}` : ''}`)));
  });

  let closing: Promise<void> | undefined;
  return {
    url: listening.url,
    port: listening.port,
    get requests() {
      drain();
      return requests;
    },
    close: () => {
      closing ??= (async () => {
        if (!exited) {
          const closed = new Promise<void>((resolve) => worker.on('message', (m: EmulatorWorkerMessage) => {
            if (m.type === 'closed') resolve();
          }));
          worker.postMessage({ type: 'close' });
          // The server has ended every connection; nothing more runs in the thread.
          await Promise.race([closed.then(() => worker.terminate()), exit]);
        }
        drain();
        logPort.close();
        if (crash) throw new Error(`the emulator's worker thread failed: ${crash.message}`);
      })();
      return closing;
    },
  };
}

/**
 * The bundled worker script. From the sources (ts-jest, ts-node) the bundle is built by
 * `npx projen bundle`; a bundle older than the sources would serve yesterday's emulator, so that
 * is refused.
 */
function workerScript(): string {
  const script = emulatorWorkerScriptPath();
  if (!__filename.endsWith('.ts')) return script;
  const src = path.join(__dirname, '..');
  const builtAt = statSync(script).mtimeMs;
  const newer = [path.join(src, 'emulator'), path.join(src, 'dts'), path.join(src, 'bundles.ts')]
    .flatMap((p) => (existsSync(p) ? filesUnder(p) : []))
    .find((f) => statSync(f).mtimeMs > builtAt);
  if (newer) throw new Error(`the emulator's worker bundle ${script} is older than ${newer}: run "npx projen bundle"`);
  return script;
}

function filesUnder(p: string): string[] {
  return statSync(p).isDirectory() ? readdirSync(p).flatMap((n) => filesUnder(path.join(p, n))) : [p];
}
