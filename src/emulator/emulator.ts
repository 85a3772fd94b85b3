/**
 * The emulator for every jsii language: `DtsEmulator.start()`. TypeScript users may prefer
 * `startEmulator` from `cdktf-dts-sync-check/lib/emulator`, which accepts string literals for
 * the enums and a per-request listener.
 */
import { loadConfigFile } from './config';
import { EmulatorRequestLogEntry, EmulatorSettings } from './model';
import type { RunningEmulator } from './server';
import { startEmulator } from './worker';

export * from './model';

/**
 * Options of `DtsEmulator.start`.
 */
export interface DtsEmulatorOptions extends EmulatorSettings {
  /**
   * The port to listen on (always on 127.0.0.1). 0 picks a free port.
   * @default 0
   */
  readonly port?: number;
  /**
   * A JSON configuration file (same fields as these options). Fields given here win over the file's.
   * @default - no file
   */
  readonly configFile?: string;
}

/**
 * A local stand-in for the DTS check-result API (`DescribeSyncCheckJob` 2018-03-30 and
 * `DescribeCheckSyncJobResult` 2021-12-06) on 127.0.0.1, with TC3 signature checks, the
 * check lifecycle, rate limits and injectable faults. Point a `DtsClient` or the construct's
 * `endpoint` at `url`.
 */
export class DtsEmulator {
  /** The SecretId accepted when no credentials are configured. */
  public static readonly DEFAULT_SECRET_ID = 'AKIDEXAMPLE';
  /** The SecretKey accepted when no credentials are configured (not a secret). */
  public static readonly DEFAULT_SECRET_KEY = 'SECRETEXAMPLE';

  /** Start an emulator; resolves once it is listening. */
  public static async start(options: DtsEmulatorOptions = {}): Promise<DtsEmulator> {
    const { configFile, ...inline } = options;
    const fromFile = configFile === undefined ? {} : loadConfigFile(configFile);
    const defined = Object.fromEntries(Object.entries(inline).filter(([, v]) => v !== undefined));
    return new DtsEmulator(await startEmulator({ ...fromFile, ...defined }));
  }

  /** `http://127.0.0.1:PORT`. */
  public readonly url: string;
  /** The port listened on. */
  public readonly port: number;

  private constructor(private readonly running: RunningEmulator) {
    this.url = running.url;
    this.port = running.port;
  }

  /** How many requests were received so far. */
  public get requestCount(): number {
    return this.running.requests.length;
  }

  /** A copy of the request log, oldest first. Secrets never appear in it. */
  public get requests(): EmulatorRequestLogEntry[] {
    return this.running.requests.map((e) => ({ ...e }));
  }

  /** Stop listening and end every connection, stalled ones included. */
  public async close(): Promise<void> {
    await this.running.close();
  }
}
