/**
 * The one hook of the credential services in the emulator's request handling: routes metadata
 * GETs and STS requests (scope service `sts`) to their answers, and refuses a DTS request signed
 * with a temporary key that has expired. Everything else goes on to the DTS side, which checks
 * keys against `credentials` (permanent keys and unexpired temporary ones).
 */
import type { ResolvedCredentialServices } from './credential-config';
import { errorResponse } from './errors';
import { Keyring } from './keyring';
import { answerMetadata, isMetadataPath } from './metadata';
import type { EmulatorCredential } from './model';
import { answerSts, STS_ACTION, STS_SERVICE, STS_VERSION } from './sts';
import { parseTc3Authorization, ReceivedRequest } from './tc3-verify';

export interface RoutedAnswer {
  readonly status: number;
  readonly contentType: string;
  readonly body: Buffer;
  /** `Success` or the error code, for the request log. */
  readonly outcome: string;
  /** Request-log fields (never a secret: the SecretId only). */
  readonly log: { readonly action?: string; readonly secretId?: string; readonly signedHeaders?: string };
}

export class CredentialRoutes {
  private readonly keyring: Keyring;

  /** @param now the emulator's clock (machine time plus any configured skew), epoch ms */
  constructor(
    private readonly config: ResolvedCredentialServices & { readonly credentials: ReadonlyMap<string, EmulatorCredential> },
    now: () => number,
  ) {
    this.keyring = new Keyring(config.credentials, now);
  }

  /** The keys the DTS side accepts: permanent ones and unexpired temporary ones. */
  public get credentials(): ReadonlyMap<string, EmulatorCredential> {
    return this.keyring.view();
  }

  /** The answer for a metadata or STS request, or for a DTS request with an expired key; undefined for the rest. */
  public answer(req: ReceivedRequest, nowMs: number): RoutedAnswer | undefined {
    if (isMetadataPath(req.path)) {
      const a = answerMetadata(req.method, req.path, this.config.instanceRole, this.keyring);
      return { status: a.status, contentType: a.contentType, body: Buffer.from(a.body, 'utf8'), outcome: a.outcome, log: { action: `${req.method} ${req.path.slice(0, 200)}` } };
    }
    const authorization = req.headers.authorization;
    const auth = parseTc3Authorization(Array.isArray(authorization) ? authorization.join(',') : authorization);
    if (!auth) return undefined;
    const log = { secretId: auth.secretId, signedHeaders: auth.signedHeadersRaw };
    // The real services live on different hosts; on this one port, a request is STS's when it is
    // signed for STS and names STS's action or version. A DTS action signed for another service
    // stays with the DTS side, which refuses the scope.
    const forSts = req.headers['x-tc-action'] === STS_ACTION || req.headers['x-tc-version'] === STS_VERSION;
    if (auth.service === STS_SERVICE && forSts) {
      const a = answerSts(req, auth, nowMs, this.config.sts, this.keyring);
      return json(a.code, a.response, log);
    }
    const expiredAtMs = this.keyring.lookup(auth.secretId).expiredAtMs;
    if (expiredAtMs !== undefined) {
      return json('AuthFailure.TokenFailure', errorResponse('AuthFailure.TokenFailure', `The temporary credentials expired at ${new Date(expiredAtMs).toISOString()}.`), log);
    }
    return undefined;
  }
}

function json(code: string, response: Record<string, unknown>, log: RoutedAnswer['log']): RoutedAnswer {
  return { status: 200, contentType: 'application/json', body: Buffer.from(JSON.stringify({ Response: response }), 'utf8'), outcome: code, log };
}
