/**
 * Credentials as the tencentcloud Terraform provider, tccli and the SDKs find them: explicit
 * values, the environment, a profile, the CVM instance role, and a role assumed on top
 * (see `chain.ts` for the order). Temporary credentials are refreshed before they expire.
 */
export { credentialProvider, resolveCredentials } from './chain';
export type { CredentialChainOptions, CredentialProvider, ExplicitCredentials } from './chain';
export { ResolvedCredentials, maskId } from './resolved';
export type { CredentialSource } from './resolved';
export { defaultProfileFiles, tccliDir } from './profiles';
export { REFRESH_MARGIN_MS, refreshDueAt } from './refresh';
export * from './names';
