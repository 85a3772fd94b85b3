/**
 * Which fault, if any, a request gets. Decisions are repeatable: each fault has its own
 * counter and its own random stream derived from the emulator's `seed` and the fault's place
 * in the configuration, so adding a fault does not reshuffle the others.
 */
import { createHmac } from 'node:crypto';
import { ResolvedConfig, ResolvedFault } from './config';
import { ApiError, FAULT_ERRORS } from './errors';
import { FaultKind } from './model';

/** Faults answered with a Tencent-style API error instead of the real answer. */
export const API_ERROR_FAULTS: Partial<Record<FaultKind, () => ApiError>> = {
  [FaultKind.INTERNAL_DATABASE_ERROR]: FAULT_ERRORS.internalDatabaseError,
  [FaultKind.INTERNAL_PROTOCOL_ERROR]: FAULT_ERRORS.internalProtocolError,
  [FaultKind.NOT_ALLOW_OPERATION]: FAULT_ERRORS.notAllowOperation,
  [FaultKind.SERVICE_UNAVAILABLE]: FAULT_ERRORS.serviceUnavailable,
  [FaultKind.REQUEST_LIMIT]: FAULT_ERRORS.requestLimit,
};

/** Faults that deliver the real answer in a broken way (so the answer is computed first). */
export const DELIVERY_FAULTS: readonly FaultKind[] = [FaultKind.SLOW_BODY, FaultKind.TRUNCATED_JSON, FaultKind.WRONG_CONTENT_TYPE];

const HTTP_FAULTS: Partial<Record<FaultKind, readonly [status: number, reason: string]>> = {
  [FaultKind.HTTP_500]: [500, 'Internal Server Error'],
  [FaultKind.HTTP_502]: [502, 'Bad Gateway'],
  [FaultKind.HTTP_503]: [503, 'Service Temporarily Unavailable'],
};

/** The status and HTML page of an `http5xx` fault, like the one a gateway in front of the API sends. */
export function httpFaultPage(kind: FaultKind): { status: number; html: string } | undefined {
  const http = HTTP_FAULTS[kind];
  if (!http) return undefined;
  const [status, reason] = http;
  return {
    status,
    html: `<html>\r\n<head><title>${status} ${reason}</title></head>\r\n<body>\r\n<center><h1>${status} ${reason}</h1></center>\r\n<hr><center>stgw</center>\r\n</body>\r\n</html>\r\n`,
  };
}

/** A body that starts like an answer and is not JSON. */
export function garbledBody(requestId: string): string {
  return `{"Response": {"RequestId": "${requestId}", "Status": "fini\u0000\ufffd\ufffd{[,,"StepInfo": [{"StepNo": 1,, }`;
}

/**
 * The n-th number (0..1) of a fault's random stream: HMAC-SHA256 keyed by the seed over the
 * fault's place and n. Repeatable across runs and machines; no state beyond a counter.
 */
function draw(seed: number, where: string, n: number): number {
  const digest = createHmac('sha256', `dts-emulator-seed:${seed}`).update(`${where}#${n}`).digest();
  return digest.readUIntBE(0, 6) / 2 ** 48;
}

export class FaultPlanner {
  private readonly applied = new Map<string, number>();
  private readonly draws = new Map<string, number>();

  constructor(private readonly config: ResolvedConfig) {}

  /** The fault this request gets (counted as applied), or undefined. Job faults win over global ones. */
  public pick(action: string | undefined, jobId: string | undefined): ResolvedFault | undefined {
    const job = jobId === undefined ? undefined : this.config.jobs.get(jobId);
    const candidates = [...(job?.faults ?? []), ...this.config.faults.filter((f) => f.jobId === undefined || f.jobId === jobId)];
    for (const fault of candidates) {
      if (fault.action !== undefined && fault.action !== action) continue;
      const count = this.applied.get(fault.where) ?? 0;
      if (fault.times !== undefined && count >= fault.times) continue;
      if (fault.probability < 1 && this.nextDraw(fault) >= fault.probability) continue;
      this.applied.set(fault.where, count + 1);
      return fault;
    }
    return undefined;
  }

  private nextDraw(fault: ResolvedFault): number {
    const n = this.draws.get(fault.where) ?? 0;
    this.draws.set(fault.where, n + 1);
    return draw(this.config.seed, fault.where, n);
  }
}
