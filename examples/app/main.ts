/**
 * Example CDKTF app: a disaster-recovery cut-over that must not happen before the DTS sync
 * job's pre-migration check has passed.
 *
 *   cd examples/app && npx cdktf synth        # needs credentials, or the emulator (see README)
 *
 * Environment:
 *   DTS_DEMO_JOB_ID        the sync job to check at synth and apply time (default sync-blj8wnt1)
 *   DTS_DEMO_ENFORCEMENT   synth-and-apply (default), synth-only, apply-only or report-only
 *   DTS_SYNC_CHECK_ENDPOINT, TENCENTCLOUD_SECRET_ID, TENCENTCLOUD_SECRET_KEY: as for any use of the library
 *
 * Only `terraform_data` resources are used (the gates included), so `cdktf deploy` needs no
 * provider download: the stand-ins below would be the DNS record or application config of a
 * real stack.
 */
import { App, DataResource, TerraformOutput, TerraformStack, TerraformVariable } from 'cdktf';
import { Construct } from 'constructs';
import { Enforcement, GateResourceType, StepState, SyncCheckResult } from '../../src';
import { formatReportTable } from '../../src/cli/table';

export const DEFAULT_JOB_ID = 'sync-blj8wnt1';
export const REGION = 'ap-guangzhou';
export const STACK_NAME = 'dr-cutover';

export interface DrCutoverStackProps {
  /** The sync job of the primary database; a literal, so it is checked at synth time too. */
  readonly jobId: string;
  /** @default Enforcement.SYNTH_AND_APPLY */
  readonly enforcement?: Enforcement;
}

export class DrCutoverStack extends TerraformStack {
  /** The check of the primary database's sync job (looked up at synth and apply time). */
  public readonly primaryCheck: SyncCheckResult;
  /** The check of the standby job, whose id is a variable: checked at apply time only. */
  public readonly standbyCheck: SyncCheckResult;

  constructor(scope: Construct, id: string, props: DrCutoverStackProps) {
    super(scope, id);
    const enforcement = props.enforcement ?? Enforcement.SYNTH_AND_APPLY;

    // 1. The gate: synthesis fails when this check has not passed, and so does the apply
    //    (re-checked then: the plan may be hours old).
    this.primaryCheck = new SyncCheckResult(this, 'primary-sync-check', {
      jobId: props.jobId,
      region: REGION,
      enforcement,
      gateResourceType: GateResourceType.TERRAFORM_DATA,
      waitTimeoutSeconds: 120,
      pollIntervalSeconds: 2,
    });

    // 2. What must not exist before the check passed: the DNS switch to the DR replica.
    new DataResource(this, 'dns-switch', {
      input: { record: 'db.internal.example', target: 'dr-replica.internal.example', ttl: 60 },
      dependsOn: [this.primaryCheck],
    });

    // 3. Code can branch on the check's steps when it was read at synth time (not with
    //    apply-only enforcement; not when the lookup failed, which fails synthesis anyway).
    if (this.primaryCheck.hasReport) {
      const report = this.primaryCheck.report;
      const steps = report.steps;
      const done = steps.filter((s) => s.state === StepState.PASSED || s.state === StepState.SKIPPED).length;
      new TerraformOutput(this, 'primary_check_summary', {
        description: 'The pre-migration check of the primary sync job, as seen at synth time',
        value: `${report.status}: ${done} of ${steps.length} steps passed`,
      });
      const warnings = steps.flatMap((s) => s.warnings.map((w) => `step ${s.stepNo} ${s.name}: ${w.message ?? w.code ?? 'warning'}`));
      if (warnings.length > 0) {
        // Warnings do not block the cut-over, but on-call should see them next to the outputs.
        new TerraformOutput(this, 'primary_check_warnings', { value: warnings });
      }
    }

    // 4. A second job whose id is only known at apply time (here a variable; a job created in
    //    the same stack works the same): no synth-time lookup, the gate checks it at apply.
    const standbyJobId = new TerraformVariable(this, 'standby_job_id', {
      type: 'string',
      default: DEFAULT_JOB_ID,
      description: 'The DTS sync job of the standby database',
    });
    this.standbyCheck = new SyncCheckResult(this, 'standby-sync-check', {
      jobId: standbyJobId.stringValue,
      region: REGION,
      gateResourceType: GateResourceType.TERRAFORM_DATA,
      pollIntervalSeconds: 2,
    });
    new DataResource(this, 'standby-app-config', {
      input: { readReplica: 'standby.internal.example' },
      dependsOn: [this.standbyCheck],
    });
  }
}

/** The enforcement asked for by `DTS_DEMO_ENFORCEMENT`, validated. */
export function enforcementFromEnv(env: NodeJS.ProcessEnv = process.env): Enforcement {
  const raw = env.DTS_DEMO_ENFORCEMENT || Enforcement.SYNTH_AND_APPLY;
  const all = Object.values(Enforcement) as string[];
  if (!all.includes(raw)) throw new Error(`DTS_DEMO_ENFORCEMENT must be one of ${all.join(', ')} (got ${JSON.stringify(raw)})`);
  return raw as Enforcement;
}

/** Build the app; `outdir` is set by `cdktf synth` (through CDKTF_OUTDIR) or by a caller. */
export function buildApp(options: { outdir?: string; env?: NodeJS.ProcessEnv } = {}): { app: App; stack: DrCutoverStack } {
  const env = options.env ?? process.env;
  const app = new App(options.outdir ? { outdir: options.outdir } : {});
  const stack = new DrCutoverStack(app, STACK_NAME, {
    jobId: env.DTS_DEMO_JOB_ID || DEFAULT_JOB_ID,
    enforcement: enforcementFromEnv(env),
  });
  return { app, stack };
}

if (require.main === module) {
  try {
    const { app, stack } = buildApp();
    if (stack.primaryCheck.hasReport && stack.primaryCheck.passed) {
      // A summary for whoever reads the synth log; a check that has not passed fails the synth below.
      process.stdout.write(formatReportTable(stack.primaryCheck.report));
    }
    app.synth();
  } catch (e) {
    // The message names the construct, the failed steps and the request id; a stack trace adds nothing.
    process.stderr.write(`${(e as Error).message}\n`);
    process.exitCode = 1;
  }
}
