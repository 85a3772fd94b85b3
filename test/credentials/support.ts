/**
 * Shared set-up of the end-to-end credential tests: canary secrets, an emulator configuration
 * that serves DTS, STS and the metadata service with them, temporary HOME folders holding tccli
 * and INI profiles, and environments built from nothing but PATH (never the developer's).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EmulatorConfig } from '../../src/emulator';
import { harnessEnv } from '../support/run-process';
import { tempDir } from '../support/temp';

/** Permanent keys: one in the environment / a tccli profile, one in an INI profile. */
export const BASE = { secretId: 'AKIDE2EBASE000000001', secretKey: 'CANARY-E2E-BASE-KEY-5c0f7a' };
export const INI_KEY = { secretId: 'AKIDE2EINI0000000001', secretKey: 'CANARY-E2E-INI-KEY-0b3e9d' };
/** Temporary keys the emulator issues. */
export const STS = { secretId: 'AKIDE2ESTS0000000001', secretKey: 'CANARY-E2E-STS-KEY-e8a4c2', sessionToken: 'CANARY-E2E-STS-TOKEN-71d6b0' };
export const INSTANCE = { secretId: 'AKIDE2EINST000000001', secretKey: 'CANARY-E2E-INST-KEY-9f12ab', sessionToken: 'CANARY-E2E-INST-TOKEN-3c5e8d' };

export const ROLE = 'qcs::cam::uin/100000000001:roleName/dts-checker';
export const ROLE_NAME = 'dts-runner';

/** Keys and tokens: they appear nowhere at all. */
export const SECRETS = [BASE.secretKey, INI_KEY.secretKey, STS.secretKey, STS.sessionToken, INSTANCE.secretKey, INSTANCE.sessionToken];
/** SecretIds: only in the emulator's request log, in its `secretId` field. */
export const IDS = [BASE.secretId, INI_KEY.secretId, STS.secretId, INSTANCE.secretId];
export const ALL = [...SECRETS, ...IDS];

/** 2018-family jobs: AUTO answers them with one request, so each lookup's signer shows in one log entry. */
export const JOBS = {
  passed: { jobId: 'sync-e2ecred1', region: 'ap-guangzhou', family: '2018' },
  failed: { jobId: 'sync-e2ecred2', region: 'ap-guangzhou', family: '2018', outcome: 'failed', failStep: 7 },
  /** Runs long enough for several refreshes of the short-lived keys below; each waiting test has its own. */
  slow: { jobId: 'sync-e2eslow1', region: 'ap-guangzhou', family: '2018', checkSeconds: 10 },
  slow2: { jobId: 'sync-e2eslow2', region: 'ap-guangzhou', family: '2018', checkSeconds: 10 },
} as const;

/**
 * Temporary keys live 6 s: refreshed 3 s after they were fetched (half the lifetime), so a key
 * is never used with less than about 3 s left, room enough on a busy machine for a signed
 * request to reach the emulator before the key expires.
 */
export const GRANT_SECONDS = 6;

export function emulatorConfig(): EmulatorConfig {
  return {
    credentials: [BASE, INI_KEY],
    jobs: Object.values(JOBS) as EmulatorConfig['jobs'],
    rateLimitPerSecond: 0,
    sts: {
      roles: [{ roleArn: ROLE, allowedSecretIds: [BASE.secretId, INI_KEY.secretId, INSTANCE.secretId] }],
      issued: STS,
      grantSeconds: GRANT_SECONDS,
    },
    instanceRole: { roleName: ROLE_NAME, issued: INSTANCE, grantSeconds: GRANT_SECONDS },
  };
}

/** A fresh HOME, optionally with tccli's `<profile>.credential` and an INI file. */
export function homeWith(files: { tccli?: Record<string, Record<string, string>>; ini?: string } = {}): string {
  const home = tempDir('dts-e2e-home-');
  for (const [profile, body] of Object.entries(files.tccli ?? {})) {
    mkdirSync(join(home, '.tccli'), { recursive: true });
    writeFileSync(join(home, '.tccli', `${profile}.credential`), JSON.stringify(body), { mode: 0o600 });
  }
  if (files.ini !== undefined) {
    mkdirSync(join(home, '.tencentcloud'), { recursive: true });
    writeFileSync(join(home, '.tencentcloud', 'credentials'), files.ini, { mode: 0o600 });
  }
  return home;
}

/**
 * The environment of a child process: PATH, HOME, the emulator as DTS, STS and metadata
 * service, plus `more` (undefined removes a variable).
 */
export function childEnv(url: string, home: string, more: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: Record<string, string | undefined> = {
    ...harnessEnv(),
    PATH: process.env.PATH,
    HOME: home,
    CHECKPOINT_DISABLE: '1',
    DTS_SYNC_CHECK_ENDPOINT: url,
    DTS_SYNC_CHECK_STS_ENDPOINT: url,
    DTS_SYNC_CHECK_METADATA_ENDPOINT: url,
    ...more,
  };
  return Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined)) as NodeJS.ProcessEnv;
}

export const ENV_KEYS = { TENCENTCLOUD_SECRET_ID: BASE.secretId, TENCENTCLOUD_SECRET_KEY: BASE.secretKey };
export const ASSUME = { TENCENTCLOUD_ASSUME_ROLE_ARN: ROLE, TENCENTCLOUD_ASSUME_ROLE_SESSION_NAME: 'e2e-run' };
export const TCCLI_WITH_ROLE = { 'secretId': BASE.secretId, 'secretKey': BASE.secretKey, 'role-arn': ROLE, 'role-session-name': 'tccli-run' };

/** Fail naming the canary and where it leaked, without printing the text. */
export function expectClean(text: string, where: string, canaries: readonly string[] = ALL): void {
  const leaked = canaries.filter((c) => text.includes(c));
  expect({ where, leaked }).toEqual({ where, leaked: [] });
}
