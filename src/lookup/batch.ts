/**
 * `dts-sync-check batch`: the synth-time bridge's other half. Reads `{requests}` as JSON on
 * stdin, looks them all up concurrently under the process-wide rate limit, writes `{results}`
 * as JSON on stdout (one per request, same order). Progress goes to stderr.
 */
import { lookupAll } from './lookup';
import { progressReporter } from './progress';
import { BatchInput, BatchOutput, EXIT } from './protocol';

export async function runBatch(stdin: NodeJS.ReadableStream = process.stdin): Promise<number> {
  let input: BatchInput;
  try {
    input = parseInput(await readAll(stdin));
  } catch (e) {
    process.stderr.write(`dts-sync-check batch: ${(e as Error).message}\n`);
    return EXIT.USAGE;
  }
  const progress = progressReporter(process.stderr);
  const results = await lookupAll(input.requests, progress.sink);
  progress.done();
  const output: BatchOutput = { results };
  process.stdout.write(`${JSON.stringify(output)}\n`);
  return EXIT.PASSED;
}

function parseInput(text: string): BatchInput {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new Error('expected a JSON object {"requests": [...]} on stdin');
  }
  const requests = (value as BatchInput | null)?.requests;
  if (!Array.isArray(requests)) throw new Error('expected a JSON object {"requests": [...]} on stdin');
  // The synth-time lookup reads; starting a check is the apply-time gate's (synthesis has no side effects).
  const starting = requests.findIndex((r: { startCheck?: unknown } | null) => r?.startCheck !== undefined && r?.startCheck !== false);
  if (starting >= 0) throw new Error(`requests[${starting}].startCheck: batch never starts a check (it is the synth-time lookup, free of side effects); the apply-time gate does`);
  return { requests };
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
  return Buffer.concat(chunks).toString('utf8');
}
