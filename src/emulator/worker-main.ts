/**
 * The emulator's worker thread (see worker.ts): serves with the in-thread server and tells the
 * starting thread what happened on `parentPort`, and each request log entry on the log port as
 * it is recorded (before the answer is sent), where the starting thread can read it at once.
 */
import { MessagePort, parentPort, workerData } from 'node:worker_threads';
import type { EmulatorConfig } from './config';
import { startEmulator as startInThisThread } from './server';

/** What the starting thread passes in `workerData`. */
export interface EmulatorWorkerData {
  readonly config: EmulatorConfig;
  readonly log: MessagePort;
}

/** Messages from the worker on `parentPort`. */
export type EmulatorWorkerMessage =
  | { readonly type: 'listening'; readonly url: string; readonly port: number }
  | { readonly type: 'failed'; readonly name: string; readonly message: string; readonly code?: string }
  | { readonly type: 'closed' };

const { config, log } = workerData as EmulatorWorkerData;
const parent = parentPort!;
const tell = (m: EmulatorWorkerMessage) => parent.postMessage(m);

startInThisThread(config, (entry) => log.postMessage(entry)).then(
  (running) => {
    parent.on('message', (m: { type?: string }) => {
      if (m?.type === 'close') void running.close().then(() => tell({ type: 'closed' }));
    });
    tell({ type: 'listening', url: running.url, port: running.port });
  },
  (e: Error & { code?: string }) => tell({ type: 'failed', name: e.name, message: e.message, code: e.code }),
);
