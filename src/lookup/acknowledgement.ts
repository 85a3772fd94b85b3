/**
 * An acknowledgement: a check that has not passed, waived on purpose until an expiry date, with
 * a reason a reviewer sees. One rule for both places that enforce it, the construct at synth
 * time and the gate at apply time, each comparing the expiry with its own clock, so a waiver
 * stops holding by itself once it expires.
 *
 * What it waives: an answer of the API that is not a pass (the check failed, or has not finished
 * within the wait). It never waives a lookup that failed (no credentials, an API error, a network
 * failure): then nobody knows what the check says, and the gate fails closed.
 */
import type { BatchResult } from './protocol';
import { DtsInputError } from '../dts/errors';
import { quoteValue } from '../dts/regions';

/** The longest an acknowledgement may hold, from the moment it is checked. */
export const MAX_ACKNOWLEDGEMENT_DAYS = 90;
/** The longest reason, in characters: a sentence for a reviewer, not a document. */
export const MAX_REASON_LENGTH = 500;

const DAY_MS = 24 * 60 * 60 * 1000;

/** A validated acknowledgement. */
export interface Acknowledgement {
  readonly reason: string;
  /** The expiry as written. */
  readonly expires: string;
  /** The instant it stops holding: the date-time given, or the end of the date given (UTC). */
  readonly expiresAt: string;
  readonly expiresAtMs: number;
}

/** The names to use in error messages (props at synth time, environment variables at apply time). */
export interface AcknowledgementNames {
  readonly reason: string;
  readonly expires: string;
}

/** `YYYY-MM-DD`: holds through the end of that day, UTC. */
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
/** `YYYY-MM-DDTHH:MM[:SS[.sss]]` with `Z` or an offset `±HH:MM`: a zone is required, so the instant is unambiguous. */
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?(Z|[+-]\d{2}:\d{2})$/;

export const EXPIRES_FORMS = '`YYYY-MM-DD` (through the end of that day, UTC) or `YYYY-MM-DDTHH:MM[:SS[.sss]]` with `Z` or an offset such as `+08:00`';

/**
 * Validate an acknowledgement against `nowMs`: a reason (one line, not empty, at most 500
 * characters, no Terraform template sequence), an expiry in one of `EXPIRES_FORMS` at most 90
 * days ahead. An expiry in the past is valid: the acknowledgement simply no longer holds.
 */
export function parseAcknowledgement(reason: unknown, expires: unknown, nowMs: number, names: AcknowledgementNames): Acknowledgement {
  const refuse = (message: string) => new DtsInputError(message, { code: 'InvalidAcknowledgement' });
  if (typeof reason !== 'string' || reason.trim() === '') {
    throw refuse(`${names.reason} must say why the check is waived: a reviewer reads it (got ${reason === undefined ? 'nothing' : quoteValue(reason)})`);
  }
  if (reason.length > MAX_REASON_LENGTH) throw refuse(`${names.reason} must be at most ${MAX_REASON_LENGTH} characters (got ${reason.length})`);
  if (/[\p{Cc}\p{Zl}\p{Zp}]/u.test(reason)) throw refuse(`${names.reason} must be one line without control characters (got ${quoteValue(reason)})`);
  // It is written into the Terraform configuration, where these would start a template sequence.
  if (/[$%]\{/.test(reason)) throw refuse(`${names.reason} must not contain "\${" or "%{", which Terraform reads as a template (got ${quoteValue(reason)})`);
  if (typeof expires !== 'string') throw refuse(`${names.expires} must be ${EXPIRES_FORMS} (got ${expires === undefined ? 'nothing' : quoteValue(expires)})`);
  const expiresAtMs = expiryInstant(expires);
  if (expiresAtMs === undefined) throw refuse(`${names.expires} must be ${EXPIRES_FORMS}, a real calendar date and time (got ${quoteValue(expires)})`);
  const latest = nowMs + MAX_ACKNOWLEDGEMENT_DAYS * DAY_MS;
  if (expiresAtMs > latest) {
    throw refuse(
      `${names.expires} must be at most ${MAX_ACKNOWLEDGEMENT_DAYS} days ahead, so a waiver is looked at again `
      + `(got ${quoteValue(expires)}, which ends ${new Date(expiresAtMs).toISOString()}; the latest allowed now is ${new Date(latest).toISOString()})`,
    );
  }
  return { reason, expires, expiresAt: new Date(expiresAtMs).toISOString(), expiresAtMs };
}

/** The instant an expiry ends (ms since the epoch), or undefined when it is not one of the accepted forms. */
export function expiryInstant(expires: string): number | undefined {
  const date = DATE.exec(expires);
  if (date) {
    const [y, mo, d] = date.slice(1).map(Number);
    return realDate(y, mo, d) ? Date.UTC(y, mo - 1, d + 1) : undefined;
  }
  const dt = DATE_TIME.exec(expires);
  if (!dt) return undefined;
  const [y, mo, d, h, mi] = dt.slice(1, 6).map(Number);
  const s = dt[6] === undefined ? 0 : Number(dt[6]);
  const ms = dt[7] === undefined ? 0 : Number(dt[7].padEnd(3, '0'));
  if (!realDate(y, mo, d) || h > 23 || mi > 59 || s > 59) return undefined;
  let offsetMinutes = 0;
  if (dt[8] !== 'Z') {
    const [oh, om] = dt[8].slice(1).split(':').map(Number);
    if (oh > 14 || om > 59) return undefined;
    offsetMinutes = (dt[8][0] === '-' ? -1 : 1) * (oh * 60 + om);
  }
  return Date.UTC(y, mo - 1, d, h, mi, s, ms) - offsetMinutes * 60_000;
}

function realDate(y: number, mo: number, d: number): boolean {
  const t = new Date(Date.UTC(y, mo - 1, d));
  return y >= 1970 && t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d;
}

/** Whether the acknowledgement still holds at `nowMs`. */
export function acknowledgementHolds(ack: Acknowledgement, nowMs: number): boolean {
  return nowMs < ack.expiresAtMs;
}

/** What an acknowledgement does to a result that is not a pass. */
export type Waiver =
  /** The acknowledgement holds and the result is an answer: go on, with this warning. */
  | { readonly waived: true; readonly warning: string }
  /** Not waived: enforce, and add this note to the failure message. */
  | { readonly waived: false; readonly note: string };

/**
 * Decide whether `ack` waives `result` (which has not passed) at `nowMs`. The one place that
 * says what an acknowledgement waives and how it is worded, at synth and at apply time.
 */
export function waiverFor(ack: Acknowledgement, result: BatchResult, nowMs: number): Waiver {
  if (!result.report) {
    return { waived: false, note: `  ${describeAcknowledgement(ack)} waives a check that ran and did not pass, not a lookup that failed, so it does not apply here.` };
  }
  if (!acknowledgementHolds(ack, nowMs)) {
    return { waived: false, note: `  ${describeAcknowledgement(ack)} expired at ${ack.expiresAt}, so the check is enforced again.` };
  }
  return { waived: true, warning: `acknowledged until ${ack.expiresAt} (reason: ${quoteValue(ack.reason, MAX_REASON_LENGTH)}), so this does not stop the deployment until then` };
}

/** A note for a check that passed while an acknowledgement was given. */
export function unneededAcknowledgementNote(ack: Acknowledgement, nowMs: number): string {
  return acknowledgementHolds(ack, nowMs)
    ? `the check passed, so ${describeAcknowledgement(ack)} (until ${ack.expiresAt}) is not needed; remove it once the check keeps passing`
    : `the check passed; ${describeAcknowledgement(ack)} expired at ${ack.expiresAt}: remove it`;
}

function describeAcknowledgement(ack: Acknowledgement): string {
  return `the acknowledgement (reason: ${quoteValue(ack.reason, MAX_REASON_LENGTH)})`;
}
