/**
 * Jest setup (after the framework, so it can register `afterAll`): the request rate limit is
 * shared between processes through files (src/dts/shared-bucket.ts). Each test file, and every
 * process it starts with the inherited environment, uses a folder of its own, removed after the
 * file: tests leave nothing in the machine's temp folder and never share a limit with another
 * test file or run that happens to reuse an emulator's port.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { RATE_LIMIT_ENV } from '../../src/dts/limiter';

const dir = mkdtempSync(path.join(tmpdir(), 'dts-rate-test-'));
process.env[RATE_LIMIT_ENV.DIR] = dir;
afterAll(() => rmSync(dir, { recursive: true, force: true }));
