/**
 * The TypeScript/JavaScript entry of the client: `import { DtsClient, DtsApiError } from 'cdktf-dts-sync-check/lib/dts'`.
 * Not part of the jsii API (errors extend Error, helpers are free functions).
 */
export * from './types';
export * from './client';
export * from './errors';
export { ACTION_2018, ACTION_2021, actionFor, CREATE_ACTION_2018, CREATE_ACTION_2021, createActionFor, decideOutcome, normalizeReport } from './report';
export { judgeAge } from './freshness';
export type { OutcomeInput, ReportContext } from './report';
export { signTc3, tc3Date, TC3_ALGORITHM } from './tc3';
export type { Tc3SignInput, Tc3Signature, Tc3SignedHeaders } from './tc3';
export { credentialProvider, resolveCredentials, ResolvedCredentials, defaultProfileFiles, tccliDir } from './credentials';
export type { CredentialChainOptions, CredentialProvider, ExplicitCredentials } from './credentials';
export { RETRYABLE_CODES, isRetryableCode, backoffMs } from './retry';
export { closeConnections, DEFAULT_MAX_RESPONSE_BYTES, preferFastStartup, proxyVariablesSet } from './http';
export { lookupMany } from './batch';
export type { LookupManyOptions, LookupOutcome, LookupRequest } from './batch';
export {
  hostForRegion, isFinanceRegion, isRegionId, REGION_PATTERN, REGION_MAX_LENGTH,
  validateEndpoint, validateJobId, validateRegion,
} from './regions';
export { ENDPOINT_ENV, endpointOverride, resolveEndpoint } from './endpoints';
export { batchRuleMs, DEADLINE_MARGIN_MS, queueAllowanceMs } from './deadline';
export type { EndpointSource, ResolvedEndpoint } from './endpoints';
