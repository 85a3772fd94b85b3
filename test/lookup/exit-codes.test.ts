import { CheckPhase, SyncCheckReport } from '../../src/dts/types';
import { EXIT, exitCodeFor } from '../../src/lookup/protocol';

const report = (passed: boolean, phase: CheckPhase) => ({ passed, phase } as SyncCheckReport);

test.each([
  ['a passed check', { report: report(true, CheckPhase.FINISHED) }, EXIT.PASSED],
  ['a finished check that did not pass', { report: report(false, CheckPhase.FINISHED) }, EXIT.NOT_PASSED],
  ['a running check', { report: report(false, CheckPhase.RUNNING) }, EXIT.NOT_FINISHED],
  ['a check not started', { report: report(false, CheckPhase.PENDING) }, EXIT.NOT_FINISHED],
  ['bad input', { error: { kind: 'invalid-input', code: 'InvalidJobId', message: 'x' } }, EXIT.USAGE],
  ['an API error', { error: { kind: 'api', code: 'ResourceNotFound.JobNotExist', message: 'x' } }, EXIT.LOOKUP_ERROR],
  ['an internal error', { error: { kind: 'internal', code: 'InternalLookupError', message: 'x' } }, EXIT.LOOKUP_ERROR],
  ['a result with neither report nor error', {}, EXIT.NOT_FINISHED],
])('%s exits %p', (_what, result, code) => {
  expect(exitCodeFor(result)).toBe(code);
});
