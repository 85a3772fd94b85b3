/**
 * What the emulator serves when it is given no jobs or credentials. The README's emulator
 * section documents this set in a table; keep the two in step.
 */
import { EmulatorCredential, EmulatorJob, FaultKind, JobFamily, JobOutcome } from './model';

/** The key pair accepted by default. Not a secret: it is printed in the README. */
export const EMULATOR_DEFAULT_CREDENTIALS: EmulatorCredential = Object.freeze({
  secretId: 'AKIDEXAMPLE',
  secretKey: 'SECRETEXAMPLE',
});

/**
 * The built-in jobs: each family has a passing and a failing job; the 2021-12-06 family (today's
 * data sync jobs) also has the slow, never-ending, warning, skipped, paused, old, refusing,
 * finance-region and flaky ones.
 */
export const EMULATOR_BUILT_IN_JOBS: readonly EmulatorJob[] = Object.freeze([
  // The API page's sample: all ten steps pass; its 2018 answer reproduces the sample field for field.
  { jobId: 'sync-blj8wnt1', region: 'ap-guangzhou', family: JobFamily.V2018, outcome: JobOutcome.PASSED },
  { jobId: 'sync-pass2021', region: 'ap-guangzhou', family: JobFamily.V2021, outcome: JobOutcome.PASSED },
  { jobId: 'sync-fail0001', region: 'ap-guangzhou', family: JobFamily.V2021, outcome: JobOutcome.FAILED, failStep: 7, message: '目标实例不为空' },
  { jobId: 'sync-fail0002', region: 'ap-guangzhou', family: JobFamily.V2018, outcome: JobOutcome.FAILED, failStep: 2, message: '源实例连接失败' },
  { jobId: 'sync-slow0001', region: 'ap-guangzhou', family: JobFamily.V2021, outcome: JobOutcome.PASSED, checkSeconds: 15 },
  { jobId: 'sync-wait0001', region: 'ap-guangzhou', family: JobFamily.V2018, outcome: JobOutcome.PASSED, startDelaySeconds: 5, checkSeconds: 10 },
  { jobId: 'sync-runs0001', region: 'ap-guangzhou', family: JobFamily.V2021, outcome: JobOutcome.RUNNING },
  { jobId: 'sync-warn0001', region: 'ap-guangzhou', family: JobFamily.V2021, outcome: JobOutcome.PASSED, warnStep: 8 },
  { jobId: 'sync-fsi00001', region: 'ap-shanghai-fsi', family: JobFamily.V2021, outcome: JobOutcome.PASSED },
  { jobId: 'sync-skip0001', region: 'ap-guangzhou', family: JobFamily.V2021, outcome: JobOutcome.PASSED, skipStep: 9 },
  { jobId: 'sync-paus0001', region: 'ap-guangzhou', family: JobFamily.V2021, outcome: JobOutcome.PASSED, pauseStep: 5, checkSeconds: 10 },
  { jobId: 'sync-old00001', region: 'ap-guangzhou', family: JobFamily.V2021, outcome: JobOutcome.PASSED, checkSeconds: 30, lastCheckedSecondsAgo: 3 * 24 * 3600 },
  { jobId: 'sync-nock0001', region: 'ap-guangzhou', family: JobFamily.V2021, outcome: JobOutcome.PASSED, lastCheckedSecondsAgo: 3600, refuseCheck: true },
  {
    jobId: 'sync-flky0001',
    region: 'ap-guangzhou',
    family: JobFamily.V2021,
    outcome: JobOutcome.PASSED,
    faults: [{ kind: FaultKind.HTTP_502, times: 2 }],
  },
] as EmulatorJob[]);
