import { Construct, IConstruct } from 'constructs';
import { Annotations, ITerraformDependable, TerraformResource, Token } from './core';
import { DtsError } from './dts/errors';
import { checkSeconds, SecondsOption } from './dts/options';
import { quoteValue, validateEndpoint, validateJobId, validateRegion } from './dts/regions';
import { ApiVersion, CheckPhase, SyncCheckReport, SyncCheckStep } from './dts/types';
import { createGate, GateResourceType } from './gate';
import { lookupSync } from './lookup/bridge';
import { lookupErrorMessage, notPassedMessage, verdictLine } from './lookup/message';
import { BatchRequest, BatchResult, ENV } from './lookup/protocol';
import { stubbedResult, STUB_CONTEXT_KEY } from './stub';

/**
 * When a check that has not passed stops the deployment.
 */
export enum Enforcement {
  /** Fail synthesis and fail the apply (the default). */
  SYNTH_AND_APPLY = 'synth-and-apply',
  /** Fail synthesis only; no apply-time gate is created. */
  SYNTH_ONLY = 'synth-only',
  /** No lookup at synth time; only the apply-time gate checks, and fails the apply. */
  APPLY_ONLY = 'apply-only',
  /** Look up at synth and apply, but only warn: a warning annotation at synth, a warning line at apply. */
  REPORT_ONLY = 'report-only',
}

/**
 * Properties of a `SyncCheckResult`.
 */
export interface SyncCheckResultProps {
  /**
   * The DTS sync job whose check must have passed, e.g. `sync-blj8wnt1`. May be a token (a job
   * created in the same stack): then the check runs only at apply time.
   */
  readonly jobId: string;
  /**
   * The job's region, one of the 14 regions DTS serves the check in. Finance regions get their
   * own host automatically.
   */
  readonly region: string;
  /**
   * Override the API endpoint, e.g. the local emulator. Written into the gate's environment.
   * @default - at synth time `DTS_SYNC_CHECK_ENDPOINT` from the environment if set, else the
   * public endpoint; at apply time the same rule in the environment Terraform runs in
   */
  readonly endpoint?: string;
  /**
   * Which API version to ask.
   * @default ApiVersion.AUTO
   */
  readonly apiVersion?: ApiVersion;
  /**
   * How long to wait for a check that is still running, at synth and at apply time
   * (0 to 86400; 0 looks once).
   * @default 300
   */
  readonly waitTimeoutSeconds?: number;
  /**
   * Seconds between two looks at a running check (above 0, at most 3600).
   * @default 5
   */
  readonly pollIntervalSeconds?: number;
  /**
   * How long one HTTP attempt may take (above 0, at most 600).
   * @default 10
   */
  readonly attemptTimeoutSeconds?: number;
  /**
   * When a check that has not passed stops the deployment.
   * @default Enforcement.SYNTH_AND_APPLY
   */
  readonly enforcement?: Enforcement;
  /**
   * Which resource carries the apply-time gate.
   * @default GateResourceType.NULL_RESOURCE
   */
  readonly gateResourceType?: GateResourceType;
  /**
   * Re-run the check on every apply. When false, the gate runs only when it is created or
   * when the job id, region, API version or script change.
   * @default true
   */
  readonly recheckOnEveryApply?: boolean;
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
   * The apply-time gate resource; depend on this construct (or on it) to wait for the gate.
   * Undefined with `Enforcement.SYNTH_ONLY`.
   */
  public readonly gate?: TerraformResource;

  private readonly request?: BatchRequest;
  private result?: BatchResult;

  constructor(scope: Construct, id: string, props: SyncCheckResultProps) {
    super(scope, id);
    const where = (prop: string) => `${this.node.path}: \`${prop}\``;
    const jobIsToken = Token.isUnresolved(props.jobId);
    const regionIsToken = Token.isUnresolved(props.region);
    this.jobId = jobIsToken ? props.jobId : rethrow(() => validateJobId(props.jobId, where('jobId')));
    this.region = regionIsToken ? props.region : rethrow(() => validateRegion(props.region, where('region')));
    if (props.endpoint !== undefined) rethrow(() => validateEndpoint(props.endpoint, where('endpoint')));
    const apiVersion = oneOf(ApiVersion, props.apiVersion ?? ApiVersion.AUTO, where('apiVersion'));
    const gateResourceType = oneOf(GateResourceType, props.gateResourceType ?? GateResourceType.NULL_RESOURCE, where('gateResourceType'));
    // The client's own limits, checked now: a value the lookup would refuse must fail here,
    // not at apply time.
    const seconds = (option: SecondsOption, value: number | undefined, fallback: number) =>
      rethrow(() => checkSeconds(option, value ?? fallback, where(option)));
    const waitTimeoutSeconds = seconds('waitTimeoutSeconds', props.waitTimeoutSeconds, 300);
    const pollIntervalSeconds = seconds('pollIntervalSeconds', props.pollIntervalSeconds, 5);
    const attemptTimeoutSeconds = props.attemptTimeoutSeconds === undefined ? undefined : seconds('attemptTimeoutSeconds', props.attemptTimeoutSeconds, 10);
    this.enforcement = oneOf(Enforcement, props.enforcement ?? Enforcement.SYNTH_AND_APPLY, where('enforcement'));

    const synthLookup = this.enforcement !== Enforcement.APPLY_ONLY && !jobIsToken && !regionIsToken;
    if (synthLookup) {
      this.request = {
        jobId: this.jobId,
        region: this.region,
        endpoint: props.endpoint ?? (process.env[ENV.ENDPOINT] || undefined),
        apiVersion,
        attemptTimeoutSeconds,
        waitTimeoutSeconds,
        pollIntervalSeconds,
        label: this.node.path,
      };
      const stub = stubbedResult(this, this.jobId, this.region);
      if (stub) {
        this.result = stub;
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
      this.gate = createGate(this, 'gate', {
        type: gateResourceType,
        environment,
        triggers: { job_id: this.jobId, region: this.region, api_version: apiVersion, enforcement: this.enforcement },
        recheckOnEveryApply: props.recheckOnEveryApply ?? true,
      });
    }
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
    const result = this.lookedUp();
    const ctx = { jobId: this.jobId, region: this.region, constructPath: this.node.path, waitedSeconds: this.request!.waitTimeoutSeconds };
    if (result.report?.passed) return [];
    const message = result.report ? notPassedMessage(result.report, ctx) : lookupErrorMessage(result.error!, ctx);
    if (this.enforcement === Enforcement.REPORT_ONLY) {
      Annotations.of(this).addWarning(`report-only: ${message}`);
      return [];
    }
    return [message];
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
}

function registryOf(c: IConstruct): Set<SyncCheckResult> {
  const root = c.node.root;
  let set = registry.get(root);
  if (!set) registry.set(root, (set = new Set()));
  return set;
}

/** Look up every SyncCheckResult of the app that has not been looked up yet, in one batch. */
function lookUpPending(trigger: SyncCheckResult): void {
  const pending = [...registryOf(trigger)].filter((c) => c._pendingRequest !== undefined);
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
