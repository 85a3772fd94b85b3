/**
 * The names the credential chain reads: the variables of the tencentcloud Terraform provider,
 * tccli and the SDKs (so users set nothing new), and our two endpoint overrides.
 */

export const ENV_SECRET_ID = 'TENCENTCLOUD_SECRET_ID';
export const ENV_SECRET_KEY = 'TENCENTCLOUD_SECRET_KEY';
/** The SDKs' name for the session token. */
export const ENV_SESSION_TOKEN = 'TENCENTCLOUD_SESSION_TOKEN';
/** The Terraform provider's name for the session token (its `security_token`). */
export const ENV_SECURITY_TOKEN = 'TENCENTCLOUD_SECURITY_TOKEN';
/** tccli's name for the session token. */
export const ENV_TOKEN_ALIAS = 'TENCENTCLOUD_TOKEN';
/** The token variables, in the order they are read: the first one set wins. */
export const ENV_TOKENS = [ENV_SESSION_TOKEN, ENV_SECURITY_TOKEN, ENV_TOKEN_ALIAS] as const;

/** The profile to read (tccli's `--profile`, the provider's `profile`). */
export const ENV_PROFILE = 'TENCENTCLOUD_PROFILE';
export const DEFAULT_PROFILE = 'default';
/** Moves tccli's folder (`~/.tccli`), as the provider's `shared_credentials_dir`. */
export const ENV_SHARED_CREDENTIALS_DIR = 'TENCENTCLOUD_SHARED_CREDENTIALS_DIR';

/** The CVM instance role (the provider's `cam_role_name`). */
export const ENV_CAM_ROLE_NAME = 'TENCENTCLOUD_CAM_ROLE_NAME';

export const ENV_ASSUME_ROLE_ARN = 'TENCENTCLOUD_ASSUME_ROLE_ARN';
export const ENV_ASSUME_ROLE_SESSION_NAME = 'TENCENTCLOUD_ASSUME_ROLE_SESSION_NAME';
export const ENV_ASSUME_ROLE_SESSION_DURATION = 'TENCENTCLOUD_ASSUME_ROLE_SESSION_DURATION';

/** Endpoint override of STS `AssumeRole` (e.g. the emulator). */
export const ENV_STS_ENDPOINT = 'DTS_SYNC_CHECK_STS_ENDPOINT';
/** Endpoint override of the CVM metadata service (e.g. the emulator), or `off` to never ask it. */
export const ENV_METADATA_ENDPOINT = 'DTS_SYNC_CHECK_METADATA_ENDPOINT';
/** The value of `DTS_SYNC_CHECK_METADATA_ENDPOINT` that turns the instance role off. */
export const METADATA_OFF = 'off';

export const DEFAULT_STS_ENDPOINT = 'https://sts.tencentcloudapi.com';
/**
 * Plain http on purpose: the metadata service answers on the instance's own link and only over
 * http. It is the one non-loopback http endpoint we call, and only this fixed one.
 */
export const DEFAULT_METADATA_ENDPOINT = 'http://metadata.tencentyun.com';
export const METADATA_CREDENTIALS_PATH = '/latest/meta-data/cam/security-credentials/';

/** STS `AssumeRole`: version 2018-08-13, signed with service `sts`. */
export const STS_VERSION = '2018-08-13';
export const STS_SERVICE = 'sts';
export const STS_ACTION = 'AssumeRole';
/** The provider's default and the API's default and maximum (seconds). */
export const DEFAULT_SESSION_DURATION_SECONDS = 7200;
export const MAX_SESSION_DURATION_SECONDS = 43_200;
