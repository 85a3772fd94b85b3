/**
 * The public (jsii) face of the client. Everything here must stay jsii-compatible: no unions,
 * no function-typed props, no Error subclasses, no free functions. The work is done in
 * `check.ts`, `call.ts`, `http.ts` and friends.
 */
import { describeSyncCheck, waitForSyncCheck } from './check';
import type { DtsClientOptions, WaitForSyncCheckOptions } from './client-options';
import { buildSettings, ClientSettings } from './options';
import { startAndWaitForSyncCheck } from './start-check';
import type { SyncCheckReport } from './types';

export * from './client-options';

/**
 * A client for the DTS check-result actions, signed with TC3-HMAC-SHA256.
 *
 * Options are validated at construction; credentials are resolved at the first call. Calls
 * are retried on throttling, server and network errors with capped, jittered backoff, and all
 * clients of the process share one request pacer per host.
 */
export class DtsClient {
  private readonly settings: ClientSettings;

  constructor(options: DtsClientOptions = {}) {
    this.settings = buildSettings(options);
  }

  /** The region this client asks. */
  public get region(): string {
    return this.settings.region;
  }

  /** Look the check up once. */
  public async describeSyncCheck(jobId: string): Promise<SyncCheckReport> {
    return describeSyncCheck(this.settings, jobId);
  }

  /** Poll until the check is finished or the timeout passes. */
  public async waitForSyncCheck(jobId: string, options: WaitForSyncCheckOptions = {}): Promise<SyncCheckReport> {
    return waitForSyncCheck(this.settings, jobId, options);
  }

  /**
   * Start a new check of the job (`CreateCheckSyncJob`, or `CreateSyncCheckJob` for a job of the
   * 2018-03-30 family) and wait for that check's verdict; a verdict of an earlier check never
   * counts. Not read-only: needs `dts:CreateCheckSyncJob` (or `dts:CreateSyncCheckJob`) besides
   * the describe permission. A refused create throws the service's error.
   */
  public async startSyncCheck(jobId: string, options: WaitForSyncCheckOptions = {}): Promise<SyncCheckReport> {
    return startAndWaitForSyncCheck(this.settings, jobId, options);
  }
}
