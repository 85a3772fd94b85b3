/**
 * A fault's configuration, validated, with its defaults filled in.
 */
import { ACTION_NAMES } from './actions';
import { asObject, checkFields, EmulatorConfigError, optNumber, optString, reqString, show } from './config-values';
import { EmulatorFault, FaultKind } from './model';
import { JOB_ID_PATTERN } from '../dts/regions';

/** A fault as TypeScript callers may write it: the kind as an enum member or its string. */
export interface EmulatorFaultConfig extends Omit<EmulatorFault, 'kind'> {
  readonly kind: FaultKind | `${FaultKind}`;
}

/** A fault after validation, with its defaults filled in. */
export interface ResolvedFault {
  readonly kind: FaultKind;
  readonly action?: string;
  readonly jobId?: string;
  readonly times?: number;
  readonly probability: number;
  readonly durationMs: number;
  readonly skewSeconds: number;
  /** Where it came from, e.g. `faults[0]` or `jobs[2].faults[1]`: keys its counter and random stream. */
  readonly where: string;
}

const FAULT_FIELDS = ['kind', 'action', 'jobId', 'times', 'probability', 'durationMs', 'skewSeconds'];
const FAULT_KINDS = Object.values(FaultKind) as string[];
const MAX_SECONDS = 24 * 3600;

export function resolveFault(input: unknown, where: string, global: boolean): ResolvedFault {
  const f = asObject(input, where);
  checkFields(f, FAULT_FIELDS, where, `${where}.`);
  if (typeof f.kind !== 'string' || !FAULT_KINDS.includes(f.kind)) {
    throw new EmulatorConfigError(`${where}.kind`, `must be one of ${FAULT_KINDS.join(', ')} (got ${show(f.kind)})`);
  }
  const action = optString(f.action, `${where}.action`);
  if (action !== undefined && !ACTION_NAMES.includes(action)) {
    throw new EmulatorConfigError(`${where}.action`, `must be one of ${ACTION_NAMES.join(', ')} (got ${show(action)})`);
  }
  if (!global && f.jobId !== undefined) {
    throw new EmulatorConfigError(`${where}.jobId`, 'is only for global faults: a job\'s own faults already match that job');
  }
  const jobId = f.jobId === undefined ? undefined : reqString(f.jobId, `${where}.jobId`, JOB_ID_PATTERN, 'a job id such as "sync-blj8wnt1"');
  return {
    kind: f.kind as FaultKind,
    action,
    jobId,
    times: optNumber(f.times, `${where}.times`, { min: 1, max: 1_000_000, integer: true }),
    probability: optNumber(f.probability, `${where}.probability`, { min: 0, max: 1 }) ?? 1,
    durationMs: optNumber(f.durationMs, `${where}.durationMs`, { min: 0, max: 600_000, integer: true }) ?? 2000,
    skewSeconds: optNumber(f.skewSeconds, `${where}.skewSeconds`, { min: -MAX_SECONDS, max: MAX_SECONDS }) ?? 600,
    where,
  };
}
