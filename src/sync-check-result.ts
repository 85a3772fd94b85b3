import { Construct, IConstruct } from 'constructs';
import { acknowledgementOf } from './acknowledge';
import { Annotations, DefaultTokenResolver, ITerraformDependable, StringConcat, TerraformResource, TerraformStack, Token, Tokenization } from './core';
import { endpointOverride } from './dts/endpoints';
import { DtsError } from './dts/errors';
import { checkSeconds, SecondsOption } from './dts/options';
import { quoteValue, validateEndpoint, validateJobId, validateRegion } from './dts/regions';
import { ApiVersion, CheckPhase, SyncCheckReport, SyncCheckStep } from './dts/types';
import { createGate, GateResourceType } from './gate';
import { Acknowledgement, acknowledgementHolds, unneededAcknowledgementNote, waiverFor } from './lookup/acknowledgement';
import { lookupSync } from './lookup/bridge';
import { lookupErrorMessage, notPassedMessage, verdictLine } from './lookup/message';
import { BatchRequest, BatchResult, ENV } from './lookup/protocol';
import { Enforcement, SyncCheckResultProps } from './props';
import { CheckRecord, checkRecord, recordInStack } from './record';
import { stubbedResult, STUB_CONTEXT_KEY } from './stub';

/** What synthesis did with a check's result (also written to the record file). */
interface SynthDecision {
  readonly decision: CheckRecord['decision'];
  readonly waivedBy: CheckRecord['waivedBy'];
  /** The failure message (decision `failed`), or the message a waiver warns with. */
  readonly message?: string;
  readonly acknowledgementHeld?: boolean;
}

/** All SyncCheckResults of one app, so their synth-time lookups share one batch. */
const registry = new WeakMap<IConstruct, Set<SyncCheckResult>>();

/**
 * Reads a Tencent Cloud DTS sync job's pre-migration check and gates the stack on it.
 *
 * At synth time (when `jobId` is a literal) the check is looked up with the same signed lookup
 * script Terraform runs at apply time; its values (`passed`, `status`, `steps`, ...) can be read
 * in code, and synthesis fails when it has not passed. At apply time a gate resource runs the
 * script again and fails the apply before anything that depends on this construct is created.
 */
export class SyncCheckResult extends Construct implements ITerraformDependable {
  /** The sync job id (may be a token). */
  public readonly jobId: string;
  /** The region. */
  public readonly region: string;
  /** The enforcement in force. */
  public readonly enforcement: Enforcement;
  /**
   * The apply-time gate resource (undefined with `Enforcement.SYNTH_ONLY`).
   *
   * Resources that must wait for the apply-time check depend on this construct, or on the gate
   * itself: both put the gate in their `depends_on`.
   */
  public readonly gate?: TerraformResource;

  private readonly request?: BatchRequest;
  private result?: BatchResult;
  private readonly acknowledgement?: Acknowledgement;
  private readonly apiVersion: ApiVersion;
  private readonly stubbed: boolean = false;
  private readonly recheckOnEveryApply: boolean;
  /** The gate starts a new check at apply time, so synthesis does not judge the stored one. */
  private readonly startCheck: boolean;
  /** The decision the validation took, so the record says exactly what synthesis did. */
  private decided?: SynthDecision;

  constructor(scope: Construct, id: string, props: SyncCheckResultProps) {
    super(scope, id);
    const where = (prop: string) => `${this.node.path}: \`${prop}\``;
    const jobIsToken = Token.isUnresolved(props.jobId);
    const regionIsToken = Token.isUnresolved(props.region);
    this.jobId = jobIsToken ? props.jobId : rethrow(() => validateJobId(props.jobId, where('jobId')));
    this.region = regionIsToken ? props.region : rethrow(() => validateRegion(props.region, where('region')));
    if (props.endpoint !== undefined) rethrow(() => validateEndpoint(props.endpoint, where('endpoint')));
    const apiVersion = (this.apiVersion = oneOf(ApiVersion, props.apiVersion ?? ApiVersion.AUTO, where('apiVersion')));
    const gateResourceType = oneOf(GateResourceType, props.gateResourceType ?? GateResourceType.NULL_RESOURCE, where('gateResourceType'));
    // The client's own limits, checked now: a value the lookup would refuse must fail here,
    // not at apply time.
    const seconds = (option: SecondsOption, value: number | undefined, fallback: number) =>
      rethrow(() => checkSeconds(option, value ?? fallback, where(option)));
    const waitTimeoutSeconds = seconds('waitTimeoutSeconds', props.waitTimeoutSeconds, 300);
    const pollIntervalSeconds = seconds('pollIntervalSeconds', props.pollIntervalSeconds, 5);
    const attemptTimeoutSeconds = props.attemptTimeoutSeconds === undefined ? undefined : seconds('attemptTimeoutSeconds', props.attemptTimeoutSeconds, 10);
    const maxCheckAgeSeconds = props.maxCheckAgeSeconds === undefined ? undefined : seconds('maxCheckAgeSeconds', props.maxCheckAgeSeconds, 0);
    if (props.startCheck !== undefined && typeof props.startCheck !== 'boolean') {
      throw new Error(`${where('startCheck')} must be true or false (got ${quoteValue(props.startCheck)})`);
    }
    this.startCheck = props.startCheck ?? false;
    this.enforcement = oneOf(Enforcement, props.enforcement ?? Enforcement.SYNTH_AND_APPLY, where('enforcement'));
    if (this.startCheck && this.enforcement === Enforcement.SYNTH_ONLY) {
      throw new Error(`${where('startCheck')} needs the apply-time gate, which starts the check; ${where('enforcement')} SYNTH_ONLY creates none (synthesis never starts a check)`);
    }
    this.acknowledgement = acknowledgementOf(props.acknowledge, where, Date.now());
    this.recheckOnEveryApply = this.acknowledgement !== undefined || (props.recheckOnEveryApply ?? true);
    if (this.enforcement === Enforcement.SYNTH_ONLY && (jobIsToken || regionIsToken)) {
      // Nothing would check: no synth-time lookup of a token, and no gate with SYNTH_ONLY.
      throw new Error(`${where('enforcement')} SYNTH_ONLY needs a literal \`jobId\` and \`region\`: the ${jobIsToken ? 'job id' : 'region'} is a token, known only at apply time, and SYNTH_ONLY creates no apply-time gate to check it`);
    }
    if (this.acknowledgement) this.noteAcknowledgement(this.acknowledgement, props.recheckOnEveryApply === false);

    const synthLookup = this.enforcement !== Enforcement.APPLY_ONLY && !jobIsToken && !regionIsToken;
    if (synthLookup) {
      this.request = {
        jobId: this.jobId,
        region: this.region,
        endpoint: rethrow(() => endpointOverride(props.endpoint)),
        apiVersion,
        attemptTimeoutSeconds,
        waitTimeoutSeconds,
        pollIntervalSeconds,
        // Never `startCheck`: synthesis only reads (the batch refuses it too).
        maxCheckAgeSeconds,
        label: this.node.path,
      };
      const stub = stubbedResult(this, this.jobId, this.region);
      if (stub) {
        this.result = stub;
        this.stubbed = true;
        Annotations.of(this).addWarning(`the check of ${this.jobId} is stubbed by the "${STUB_CONTEXT_KEY}" context (for tests); the apply-time gate still checks for real`);
      }
      registryOf(this).add(this);
      this.node.addValidation({ validate: () => this.validateCheck() });
    } else if (this.enforcement !== Enforcement.APPLY_ONLY) {
      Annotations.of(this).addInfo(
        `the ${jobIsToken ? 'job id' : 'region'} is only known at apply time, so the DTS sync check runs at apply time (gate ${id}/gate)`,
      );
    }

    if (this.enforcement !== Enforcement.SYNTH_ONLY) {
      const environment: Record<string, string> = {
        [ENV.JOB_ID]: this.jobId,
        [ENV.REGION]: this.region,
        [ENV.API_VERSION]: apiVersion,
        [ENV.WAIT_TIMEOUT]: String(waitTimeoutSeconds),
        [ENV.POLL_INTERVAL]: String(pollIntervalSeconds),
        [ENV.ENFORCE]: String(this.enforcement !== Enforcement.REPORT_ONLY),
        // Only for messages; reduced to characters Terraform cannot read as an interpolation.
        [ENV.CONSTRUCT_PATH]: this.node.path.replace(/[^\w./-]/g, '_'),
      };
      if (props.endpoint !== undefined) environment[ENV.ENDPOINT] = props.endpoint;
      if (attemptTimeoutSeconds !== undefined) environment[ENV.ATTEMPT_TIMEOUT] = String(attemptTimeoutSeconds);
      const triggers: Record<string, string> = { job_id: this.jobId, region: this.region, api_version: apiVersion, enforcement: this.enforcement };
      // In the triggers too: a reviewer of the plan sees them, and changing them re-runs the gate.
      if (this.startCheck) {
        environment[ENV.START_CHECK] = 'true';
        triggers.start_check = 'true';
      }
      if (maxCheckAgeSeconds !== undefined) {
        environment[ENV.MAX_CHECK_AGE] = String(maxCheckAgeSeconds);
        triggers.max_check_age_seconds = String(maxCheckAgeSeconds);
      }
      if (this.acknowledgement) {
        // The gate validates these again and compares the expiry with its own clock at apply time.
        environment[ENV.ACK_REASON] = this.acknowledgement.reason;
        environment[ENV.ACK_EXPIRES] = this.acknowledgement.expires;
        // In the triggers, a reviewer of the plan sees the waiver, and changing it re-runs the gate.
        triggers.acknowledged_until = this.acknowledgement.expiresAt;
        triggers.acknowledgement_reason = this.acknowledgement.reason;
      }
      this.gate = createGate(this, 'gate', { type: gateResourceType, environment, triggers, recheckOnEveryApply: this.recheckOnEveryApply });
    }
    recordInStack(TerraformStack.of(this), () => this.record());
  }

  /**
   * The gate's address, so this construct can be used in `dependsOn`.
   */
  public get fqn(): string {
    if (!this.gate) {
      throw new Error(`${this.node.path}: with Enforcement.SYNTH_ONLY there is no apply-time gate to depend on; use SYNTH_AND_APPLY to order resources after the check`);
    }
    return this.gate.fqn;
  }

  /**
   * Whether a report was read at synth time, so `status`, `steps`, `failedSteps` and `report`
   * can be read. False (and never a throw) when the job id or region is a token, with
   * `Enforcement.APPLY_ONLY`, or when the lookup failed; branch on it before reading the values.
   */
  public get hasReport(): boolean {
    if (!this.request) return false;
    return this.lookedUp().report !== undefined;
  }

  /** Whether the check passed (false when it could not be read: fail closed). */
  public get passed(): boolean {
    const result = this.lookedUp();
    return result.report?.passed === true;
  }

  /** One sentence: why the check passed or why not. */
  public get reason(): string {
    const result = this.lookedUp();
    return result.report ? result.report.reason : `the check could not be read: ${result.error!.message}`;
  }

  /** The check status exactly as the API spelled it. */
  public get status(): string {
    return this.reportOrThrow().status;
  }

  /** The normalized phase of the check. */
  public get phase(): CheckPhase {
    return this.reportOrThrow().phase;
  }

  /** All steps of the check. */
  public get steps(): SyncCheckStep[] {
    return this.reportOrThrow().steps;
  }

  /** The steps that failed. */
  public get failedSteps(): SyncCheckStep[] {
    return this.reportOrThrow().failedSteps;
  }

  /** The whole normalized report. */
  public get report(): SyncCheckReport {
    return this.reportOrThrow();
  }

  private reportOrThrow(): SyncCheckReport {
    const result = this.lookedUp();
    if (result.report) return result.report;
    throw new Error(lookupErrorMessage(result.error!, { jobId: this.jobId, region: this.region, constructPath: this.node.path }));
  }

  private lookedUp(): BatchResult {
    if (!this.request) {
      const why = this.enforcement === Enforcement.APPLY_ONLY
        ? 'its enforcement is APPLY_ONLY, so the check is not looked up at synth time'
        : 'its job id or region is a token, only known at apply time';
      throw new Error(`${this.node.path}: the DTS sync check values cannot be read at synth time: ${why}`);
    }
    if (!this.result) lookUpPending(this);
    return this.result!;
  }

  private validateCheck(): string[] {
    if (this.startCheck) {
      // The stored check is not what decides, so it is not waited for either (unless code reads it).
      if (this.decided === undefined) {
        Annotations.of(this).addInfo('`startCheck`: the apply-time gate starts a new check and passes only on its verdict; synthesis starts nothing and does not judge the check stored now');
      }
      this.decided = { decision: 'deferred-to-apply', waivedBy: null };
      return [];
    }
    const first = this.decided === undefined;
    const decided = (this.decided = this.decide(this.lookedUp(), Date.now()));
    // Validations may run more than once (Testing.synth, then app.synth): annotate once.
    if (first && decided.decision === 'waived') {
      Annotations.of(this).addWarning(decided.waivedBy === 'report-only' ? `report-only: ${decided.message}` : decided.message!);
    }
    if (first && decided.decision === 'passed' && this.acknowledgement) {
      const note = unneededAcknowledgementNote(this.acknowledgement, Date.now());
      if (decided.acknowledgementHeld) Annotations.of(this).addInfo(note);
      else Annotations.of(this).addWarning(note);
    }
    return decided.decision === 'failed' ? [decided.message!] : [];
  }

  /** What a synth-time result means for synthesis at `nowMs`: the one place that decides it. */
  private decide(result: BatchResult, nowMs: number): SynthDecision {
    const ack = this.acknowledgement;
    const acknowledgementHeld = ack ? acknowledgementHolds(ack, nowMs) : undefined;
    if (result.report?.passed) return { decision: 'passed', waivedBy: null, acknowledgementHeld };
    const ctx = { jobId: this.jobId, region: this.region, constructPath: this.node.path, waitedSeconds: this.request!.waitTimeoutSeconds };
    const message = result.report ? notPassedMessage(result.report, ctx) : lookupErrorMessage(result.error!, ctx);
    if (this.enforcement === Enforcement.REPORT_ONLY) return { decision: 'waived', waivedBy: 'report-only', message, acknowledgementHeld };
    if (!ack) return { decision: 'failed', waivedBy: null, message };
    const waiver = waiverFor(ack, result, nowMs);
    if (waiver.waived) return { decision: 'waived', waivedBy: 'acknowledgement', message: `${waiver.warning}: ${message}`, acknowledgementHeld };
    return { decision: 'failed', waivedBy: null, message: `${message}\n${waiver.note}`, acknowledgementHeld };
  }

  /** Info or warning at construction, so a reviewer of the synth output sees every waiver, even one only the gate applies. */
  private noteAcknowledgement(ack: Acknowledgement, recheckWasOff: boolean): void {
    if (!acknowledgementHolds(ack, Date.now())) {
      Annotations.of(this).addWarning(`the acknowledgement (reason: ${quoteValue(ack.reason, 500)}) expired at ${ack.expiresAt}: it waives nothing any more; remove or renew it`);
      return;
    }
    Annotations.of(this).addInfo(`a check that has not passed is acknowledged until ${ack.expiresAt} (reason: ${quoteValue(ack.reason, 500)})`);
    if (recheckWasOff) {
      Annotations.of(this).addInfo('`recheckOnEveryApply` false is ignored with `acknowledge`: the gate re-checks on every apply so it notices when the acknowledgement expires');
    }
  }

  /** This check's entry in the stack's record file (never starts a lookup). */
  private record(): CheckRecord {
    const stack = TerraformStack.of(this);
    const result = this.request ? this.result : undefined;
    const decided = this.decided ?? (result && !this.startCheck ? this.decide(result, Date.now()) : undefined);
    const ack = this.acknowledgement;
    return checkRecord({
      constructPath: this.node.path,
      jobId: resolvedText(stack, this.jobId),
      region: resolvedText(stack, this.region),
      enforcement: this.enforcement,
      requestedApiVersion: this.apiVersion,
      gate: this.gate
        ? { resourceType: this.gate.terraformResourceType, address: `${this.gate.terraformResourceType}.${this.gate.friendlyUniqueId}`, recheckOnEveryApply: this.recheckOnEveryApply }
        : null,
      synthLookup: this.enforcement === Enforcement.APPLY_ONLY
        ? 'apply-only'
        : !this.request ? 'token' : !result ? (this.startCheck ? 'start-check' : 'not-looked-up') : this.stubbed ? 'stubbed' : 'looked-up',
      result,
      decision: this.startCheck ? 'deferred-to-apply' : decided?.decision ?? (this.request ? 'not-decided' : 'deferred-to-apply'),
      waivedBy: decided?.waivedBy ?? null,
      acknowledgement: ack && { ...ack, heldAtSynth: decided?.acknowledgementHeld ?? acknowledgementHolds(ack, Date.now()) },
      stubbed: this.stubbed,
    });
  }

  /** @internal */
  public _setResult(result: BatchResult): void {
    this.result = result;
    // stdout: cdktf synth labels whatever an app writes to stderr "[ERROR]"; a pass is no error.
    if (result.report?.passed) process.stdout.write(`${verdictLine(result.report)}\n`);
  }

  /** @internal */
  public get _pendingRequest(): BatchRequest | undefined {
    return this.result ? undefined : this.request;
  }

  /**
   * Whether this check joins the batch another construct's lookup starts. Not with `startCheck`:
   * its stored check is looked up only when its own values are read.
   * @internal
   */
  public get _joinsBatch(): boolean {
    return !this.startCheck;
  }
}

/** A value as it appears in the synthesized stack: a token becomes its Terraform expression. */
function resolvedText(stack: TerraformStack, value: string): string {
  return String(Tokenization.resolve(value, { scope: stack, preparing: false, resolver: new DefaultTokenResolver(new StringConcat()) }));
}

function registryOf(c: IConstruct): Set<SyncCheckResult> {
  const root = c.node.root;
  let set = registry.get(root);
  if (!set) registry.set(root, (set = new Set()));
  return set;
}

/**
 * Look up the trigger and every other SyncCheckResult of the app that has not been looked up yet
 * and joins batches, in one batch.
 */
function lookUpPending(trigger: SyncCheckResult): void {
  const pending = [...registryOf(trigger)].filter((c) => c._pendingRequest !== undefined && (c === trigger || c._joinsBatch));
  const results = lookupSync(pending.map((c) => c._pendingRequest!));
  pending.forEach((c, i) => c._setResult(results[i]));
}

/** A string enum's value, or an error naming the prop and every allowed value (JavaScript callers pass strings). */
function oneOf<T extends string>(values: Record<string, T>, value: T, where: string): T {
  const allowed = Object.values(values);
  if (!allowed.includes(value)) throw new Error(`${where} must be one of ${allowed.join(', ')} (got ${quoteValue(value)})`);
  return value;
}

/** Re-throw our input errors as plain Errors (jsii-friendly), keeping the message. */
function rethrow<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof DtsError) throw new Error(e.message);
    throw e;
  }
}
