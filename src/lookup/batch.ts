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
  return { requests };
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
  return Buffer.concat(chunks).toString('utf8');
}
