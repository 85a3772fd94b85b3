/**
 * The keys the emulator accepts: the configured permanent pairs, and the temporary ones STS and
 * the metadata service issued, each until it expires (on the emulator's clock).
 */
import type { EmulatorIssuedCredentials } from './credential-config';
import type { EmulatorCredential } from './model';

export interface IssuedKey extends EmulatorCredential {
  readonly sessionToken: string;
  /** Epoch ms on the emulator's clock. */
  readonly expiresAtMs: number;
  /** The configured first-issue SecretId this key was derived from. */
  readonly issuedFrom: string;
}

export interface KeyLookup {
  /** The key, when it is known and has not expired. */
  readonly credential?: EmulatorCredential;
  /** Set for a temporary key that has expired. */
  readonly expiredAtMs?: number;
  /** The SecretId a trust list names it by: its own, or the configured id it was issued from. */
  readonly principal?: string;
}

export class Keyring {
  private readonly issuedKeys = new Map<string, IssuedKey>();
  private readonly counts = new Map<string, number>();

  constructor(private readonly permanent: ReadonlyMap<string, EmulatorCredential>, private readonly now: () => number) {}

  /** Issue the next key of a configured pair: the first exactly as configured, the n-th with `.n` appended. */
  public issue(template: EmulatorIssuedCredentials, grantSeconds: number): IssuedKey {
    const n = (this.counts.get(template.secretId) ?? 0) + 1;
    this.counts.set(template.secretId, n);
    const suffix = n === 1 ? '' : `.${n}`;
    const key: IssuedKey = {
      secretId: `${template.secretId}${suffix}`,
      secretKey: `${template.secretKey}${suffix}`,
      sessionToken: `${template.sessionToken}${suffix}`,
      // ExpiredTime is whole seconds: the key stops working at the second it names.
      expiresAtMs: Math.floor((this.now() + grantSeconds * 1000) / 1000) * 1000,
      issuedFrom: template.secretId,
    };
    this.issuedKeys.set(key.secretId, key);
    return key;
  }

  public lookup(secretId: string): KeyLookup {
    const permanent = this.permanent.get(secretId);
    if (permanent) return { credential: permanent, principal: secretId };
    const issued = this.issuedKeys.get(secretId);
    if (!issued) return {};
    if (this.now() >= issued.expiresAtMs) return { expiredAtMs: issued.expiresAtMs, principal: issued.issuedFrom };
    return { credential: issued, principal: issued.issuedFrom };
  }

  /** What the DTS side checks keys against: permanent keys and unexpired temporary ones. */
  public view(): ReadonlyMap<string, EmulatorCredential> {
    const keyring = this;
    const live = () => new Map<string, EmulatorCredential>([
      ...keyring.permanent,
      ...[...keyring.issuedKeys].filter(([id]) => keyring.lookup(id).credential !== undefined),
    ]);
    return {
      get: (id: string) => keyring.lookup(id).credential,
      has: (id: string) => keyring.lookup(id).credential !== undefined,
      get size() {
        return live().size;
      },
      forEach: (fn, thisArg) => live().forEach(fn, thisArg),
      entries: () => live().entries(),
      keys: () => live().keys(),
      values: () => live().values(),
      [Symbol.iterator]: () => live()[Symbol.iterator](),
    };
  }
}
