/**
 * The `acknowledge` prop: a check that has not passed, waived on purpose with a reason and an
 * expiry. The rule itself (forms, limits, what is waived) lives in lookup/acknowledgement.ts,
 * shared with the apply-time gate; this file checks the prop at construction.
 */
import { Token } from './core';
import { DtsError } from './dts/errors';
import { Acknowledgement, parseAcknowledgement } from './lookup/acknowledgement';

/**
 * A waiver of a check that has not passed: a reason a reviewer sees and an expiry after which the
 * check is enforced again, at synth time and at apply time.
 */
export interface SyncCheckAcknowledgement {
  /**
   * Why the deployment may go on without a passed check, for the reviewer: one line, at most
   * 500 characters, without `${` or `%{`. Printed at synth and apply time and recorded in the
   * synthesized stack.
   */
  readonly reason: string;
  /**
   * Until when the waiver holds: a date `YYYY-MM-DD` (through the end of that day, UTC) or a
   * date-time `YYYY-MM-DDTHH:MM[:SS[.sss]]` with `Z` or an offset such as `+08:00`. At most
   * 90 days ahead. After it, the check is enforced again.
   */
  readonly expires: string;
}

/** The validated acknowledgement of a construct's props, or undefined when none was given. */
export function acknowledgementOf(
  given: SyncCheckAcknowledgement | undefined,
  where: (prop: string) => string,
  nowMs: number,
): Acknowledgement | undefined {
  if (given === undefined) return undefined;
  if (given === null || typeof given !== 'object') throw new Error(`${where('acknowledge')} must be an object with \`reason\` and \`expires\``);
  for (const field of ['reason', 'expires'] as const) {
    // A reviewer must be able to read it in the synthesized stack: no value known only at apply time.
    if (Token.isUnresolved(given[field])) throw new Error(`${where(`acknowledge.${field}`)} must be a literal, not a token`);
  }
  try {
    return parseAcknowledgement(given.reason, given.expires, nowMs, { reason: where('acknowledge.reason'), expires: where('acknowledge.expires') });
  } catch (e) {
    if (e instanceof DtsError) throw new Error(e.message);
    throw e;
  }
}
