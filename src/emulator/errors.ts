/**
 * The emulator's API errors: a Tencent-style code and a text in both languages, rendered in the
 * request's language when answered. Every error text lives here, so the two languages stay in
 * step and each rule has one wording.
 */
import { randomUUID } from 'node:crypto';
import { Language, text, Text } from './language';

/** An error the emulated API answers with (HTTP 200, `Response.Error`). */
export class ApiError extends Error {
  constructor(public readonly code: string, public readonly texts: Text) {
    super(texts['en-US']);
    this.name = 'ApiError';
  }
}

/** The envelope's `Response` of an error. */
export function errorResponse(code: string, message: string, requestId: string = randomUUID()): Record<string, unknown> {
  return { Error: { Code: code, Message: message }, RequestId: requestId };
}

/** An error's `Response` in a language. */
export function renderError(e: ApiError, language: Language, requestId?: string): Record<string, unknown> {
  return errorResponse(e.code, e.texts[language], requestId);
}

/** A user value shown in a message: JSON-quoted, bounded, one line. */
export function shown(value: unknown, max = 40): string {
  const raw = typeof value === 'string' ? (value.length > max ? `${value.slice(0, max)}…` : value) : value;
  return (JSON.stringify(raw) ?? String(raw)).slice(0, max + 20);
}

const err = (code: string, zh: string, en: string) => new ApiError(code, text(zh, en));

/** Every error the emulator answers, by what went wrong. */
export const ERRORS = {
  // ---- HTTP and the request's shape
  bodyTooLarge: (max: number) => err('RequestSizeLimitExceeded', `请求包大小超过了 ${max} 字节的限制。`, `The request body exceeds ${max} bytes.`),
  methodNotSupported: (method: string) =>
    err(
      'UnsupportedProtocol',
      `不支持 ${shown(method, 10)} 请求: 接口接受 POST (application/json 或 application/x-www-form-urlencoded) 和 GET。`,
      `The API accepts POST (application/json or application/x-www-form-urlencoded) and GET; ${shown(method, 10)} is not supported.`,
    ),
  pathNotSupported: (path: string) =>
    err('UnsupportedProtocol', `接口只在路径 / 上提供 (收到 ${shown(path, 80)})。`, `The API is served at path / only (got ${shown(path, 80)}).`),
  contentTypeNotSupported: (contentType: string) =>
    err(
      'UnsupportedProtocol',
      `不支持 Content-Type ${shown(contentType, 60)}: POST 请求请使用 application/json (签名方法 v3, TC3-HMAC-SHA256) 或 application/x-www-form-urlencoded (签名方法 v1, HmacSHA1/HmacSHA256)。`,
      `Content-Type ${shown(contentType, 60)} is not supported: POST takes application/json (signature v3, TC3-HMAC-SHA256) or application/x-www-form-urlencoded (signature v1, HmacSHA1/HmacSHA256).`,
    ),
  getContentType: (contentType: string) =>
    err(
      'UnsupportedProtocol',
      `使用 TC3-HMAC-SHA256 签名的 GET 请求的 Content-Type 必须是 application/x-www-form-urlencoded (收到 ${shown(contentType, 60)})。`,
      `A GET request signed with TC3-HMAC-SHA256 must send Content-Type application/x-www-form-urlencoded (got ${shown(contentType, 60)}).`,
    ),
  formWithTc3: () =>
    err(
      'AuthFailure.SignatureFailure',
      'application/x-www-form-urlencoded 的 POST 请求必须使用签名方法 v1 (HmacSHA1 或 HmacSHA256, 通过 Signature 等公共参数); TC3-HMAC-SHA256 请使用 application/json 的 POST 或 GET。',
      'A POST with application/x-www-form-urlencoded must be signed with signature v1 (HmacSHA1 or HmacSHA256, in the Signature and other common parameters); TC3-HMAC-SHA256 takes a POST with application/json, or a GET.',
    ),
  duplicateParameter: (name: string) =>
    err('InvalidParameter', `参数 \`${shown(name)}\` 重复出现。`, `The parameter \`${shown(name)}\` is given more than once.`),

  // ---- common parameters
  missingHeader: (name: string) => err('MissingParameter', `缺少必需的请求头 \`${name}\`。`, `The request is missing the required header \`${name}\`.`),
  missingCommonParameter: (name: string) =>
    err('MissingParameter', `缺少必需的公共参数 \`${name}\`。`, `The request is missing the required common parameter \`${name}\`.`),
  invalidLanguage: (where: string, value: string) =>
    err('InvalidParameterValue', `${where} 的取值 ${shown(value)} 无效, 可选值: zh-CN、en-US。`, `${where} must be zh-CN or en-US (got ${shown(value)}).`),
  noSuchVersion: (version: string, versions: readonly string[]) =>
    err(
      'NoSuchVersion',
      `服务 dts 不存在接口版本 \`${shown(version)}\` (可用: ${versions.join('、')})。`,
      `The API version \`${shown(version)}\` does not exist for service dts (use ${versions.join(' or ')}).`,
    ),
  invalidAction: (action: string, version: string, servedIn?: string) =>
    err(
      'InvalidAction',
      `接口版本 ${version} 中不存在接口 \`${shown(action)}\`${servedIn ? ` (它在 ${servedIn} 版本中提供)` : ''}。`,
      `The action \`${shown(action)}\` does not exist in version ${version}${servedIn ? ` (it is served in ${servedIn})` : ''}.`,
    ),
  actionOffline: (action: string, replacement: string, replacementVersion: string) =>
    err('ActionOffline', `接口 \`${action}\` 已下线, 请使用 \`${replacement}\` (${replacementVersion})。`, `The action \`${action}\` is offline; use \`${replacement}\` (${replacementVersion}).`),
  badTimestamp: (where: string, value: string) =>
    err('InvalidParameter', `${where} 必须是以秒为单位的 UNIX 时间戳 (收到 ${shown(value)})。`, `${where} must be a unix time in seconds (got ${shown(value)}).`),

  // ---- authentication
  missingAuthorization: () => err('AuthFailure.InvalidAuthorization', '请求缺少 Authorization 请求头。', 'The request is missing the Authorization header.'),
  malformedAuthorization: () =>
    err(
      'AuthFailure.InvalidAuthorization',
      'Authorization 请求头格式错误, 应为 TC3-HMAC-SHA256 Credential=<SecretId>/<date>/<service>/tc3_request, SignedHeaders=<...>, Signature=<64 位十六进制>。',
      'The Authorization header is not TC3-HMAC-SHA256 Credential=<SecretId>/<date>/<service>/tc3_request, SignedHeaders=<...>, Signature=<64 hex>.',
    ),
  secretIdNotFound: () => err('AuthFailure.SecretIdNotFound', '密钥不存在, 请检查 SecretId 是否存在且已启用。', 'The SecretId is not found; check that it exists and is enabled.'),
  signatureExpire: (timestamp: number, serverSeconds: number, window: number) =>
    err(
      'AuthFailure.SignatureExpire',
      `签名过期: 时间戳 ${timestamp} 与服务器时间 ${serverSeconds} 相差 ${serverSeconds - timestamp} 秒 (超过 ${window} 秒)。`,
      `Signature expired: the timestamp ${timestamp} and the server time ${serverSeconds} differ by ${serverSeconds - timestamp} s (more than ${window} s).`,
    ),
  scopeDate: (date: string, expected: string) =>
    err(
      'AuthFailure.SignatureFailure',
      `凭证范围中的日期 ${date} 不是 X-TC-Timestamp 的 UTC 日期 (${expected})。`,
      `The credential scope date ${date} is not the UTC date of X-TC-Timestamp (${expected}).`,
    ),
  scopeService: (service: string) =>
    err(
      'AuthFailure.SignatureFailure',
      `凭证范围中的服务名为 ${shown(service)}, DTS 接口的签名必须使用服务名 "dts" (Credential=<SecretId>/<date>/dts/tc3_request)。从接入点域名首段推导服务名的客户端在 127.0.0.1 上会签名为 "127": 请使用真实域名并将连接导向模拟器 (见 README)。`,
      `The credential scope names service ${shown(service)}; DTS actions are signed for service "dts" (Credential=<SecretId>/<date>/dts/tc3_request). A client that takes the service from its endpoint's first label signs "127" on 127.0.0.1: give it the real host name and route its connection to the emulator (see the README).`,
    ),
  signedHeaders: (raw: string) =>
    err('AuthFailure.SignatureFailure', `SignedHeaders 必须包含 content-type 和 host (收到 ${shown(raw, 80)})。`, `SignedHeaders must include content-type and host (got ${shown(raw, 80)}).`),
  signatureMismatch: () =>
    err(
      'AuthFailure.SignatureFailure',
      '签名与请求不匹配, 请检查 SecretKey、签名的请求头、查询串和请求体。',
      'The signature does not match the request (check the SecretKey, the signed headers, the query string and the body).',
    ),
  signatureMethod: (value: string) =>
    err('AuthFailure.SignatureFailure', `SignatureMethod 必须是 HmacSHA1 或 HmacSHA256 (收到 ${shown(value)})。`, `SignatureMethod must be HmacSHA1 or HmacSHA256 (got ${shown(value)}).`),
  tokenInvalid: () => err('AuthFailure.TokenFailure', '临时凭证的 Token 无效。', 'The token is invalid for these credentials.'),
  tokenMissing: () => err('AuthFailure.TokenFailure', '临时凭证需要携带 Token (X-TC-Token 或 Token 参数)。', 'Temporary credentials need their token (X-TC-Token, or the Token parameter).'),
  tokenWithPermanent: () => err('AuthFailure.TokenFailure', '永久密钥不应携带 Token。', 'A token was sent with permanent credentials.'),

  // ---- region
  malformedRegion: (region: string) =>
    err(
      'UnsupportedRegion',
      `地域 ${shown(region)} 无效或不受支持, 地域形如 ap-guangzhou、ap-shanghai-fsi。`,
      `The region ${shown(region)} is not valid or not supported; regions look like ap-guangzhou or ap-shanghai-fsi.`,
    ),
  jobInOtherRegion: (jobId: string, jobRegion: string, region: string) =>
    err('UnsupportedRegion', `同步任务 ${jobId} 位于地域 ${jobRegion}, 而不是 ${region}。`, `The sync job ${jobId} is in region ${jobRegion}, not ${region}.`),
  financeHost: (region: string, expected: string, host: string) =>
    err('UnsupportedRegion', `地域 ${region} 必须通过域名 ${expected} 调用 (收到 ${shown(host, 80)})。`, `Region ${region} must be called on host ${expected} (got ${shown(host, 80)}).`),

  // ---- rate limit
  rateLimited: (limit: number, action: string) =>
    err('RequestLimitExceeded', `请求的次数超过了频率限制: 每个 SecretId 调用 ${action} 每秒最多 ${limit} 次。`, `Request limit exceeded: at most ${limit} requests per second per SecretId for ${action}.`),

  // ---- the action's parameters
  bodyNotJson: () => err('InvalidParameter', '请求体不是合法的 JSON。', 'The request body is not valid JSON.'),
  bodyNotObject: () => err('InvalidParameter', '请求体必须是参数组成的 JSON 对象。', 'The request body must be a JSON object of parameters.'),
  unknownParameter: (name: string, action: string, takes: readonly string[]) =>
    err('UnknownParameter', `未知参数 \`${shown(name)}\` (${action} 的参数: ${takes.join('、')})。`, `Unknown parameter \`${shown(name)}\` (${action} takes ${takes.join(', ')}).`),
  missingJobId: () => err('MissingParameter', '缺少必需参数 `JobId`。', 'The request is missing the required parameter `JobId`.'),
  badJobId2018: (value: unknown) =>
    err('InvalidParameter', `参数错误: JobId 应形如 sync-xxxxxxxx (收到 ${shown(value)})。`, `Invalid parameter: JobId must look like sync-xxxxxxxx (got ${shown(value)}).`),
  badJobId2021: (value: unknown) =>
    err(
      'InvalidParameterValue.InvalidParameterValueError',
      `参数取值错误: JobId 应形如 sync-xxxxxxxx (收到 ${shown(value)})。`,
      `Invalid parameter value: JobId must look like sync-xxxxxxxx (got ${shown(value)}).`,
    ),
  badBoolean: (name: string, value: unknown) =>
    err('InvalidParameterValue.InvalidParameterValueError', `参数 ${name} 必须是 true 或 false (收到 ${shown(value)})。`, `${name} must be true or false (got ${shown(value)}).`),

  // ---- the job
  jobNotExist2018: (jobId: string) => err('ResourceNotFound.JobNotExist', `迁移任务不存在。(JobId ${jobId})`, `The job does not exist. (JobId ${jobId})`),
  jobNotExist2021: (jobId: string) =>
    err('ResourceNotFound.ResourceNotFoundError', `资源未找到: 同步任务 ${jobId} 不存在。`, `The resource does not exist: no sync job ${jobId}.`),
  checkRefused: (code: string, jobId: string) => new ApiError(code, REFUSAL_TEXTS[code]?.(jobId) ?? text(`禁止该操作。(JobId ${jobId})`, `The operation is not allowed. (JobId ${jobId})`)),

  // ---- the emulator itself
  internal: (why: string) => err('InternalError', `模拟器内部错误: ${why}`, `emulator error: ${why}`),
};

/** What a refused `Create*` answers, by the code configured (all documented DTS codes). */
const REFUSAL_TEXTS: Readonly<Record<string, (jobId: string) => Text>> = {
  'FailedOperation.NotAllowOperation': (id) => text(`禁止该操作: 任务 ${id} 当前不能发起校验。`, `The operation is not allowed: job ${id} cannot start a check now.`),
  'FailedOperation.StatusInConflict': (id) => text(`当前状态冲突, 不能执行该操作: 任务 ${id} 的校验正在进行中。`, `The current status conflicts with the operation: a check of job ${id} is running.`),
  'UnsupportedOperation': (id) => text(`操作不支持: 任务 ${id} 不能发起校验。`, `The operation is not supported: job ${id} cannot start a check.`),
  'UnsupportedOperation.UnsupportedOperationError': (id) => text(`不支持的操作: 任务 ${id} 不能发起校验。`, `Unsupported operation: job ${id} cannot start a check.`),
  'OperationDenied.JobOperationDeniedError': (id) => text(`任务操作失败: 任务 ${id} 不能发起校验。`, `The job operation failed: job ${id} cannot start a check.`),
  'InternalError.UnknownError': () => text('未知的内部错误。', 'An unknown internal error occurred.'),
};

/** Codes a job may refuse a new check with: documented DTS codes (SDK models, API pages). */
export const REFUSE_CHECK_CODES: readonly string[] = Object.keys(REFUSAL_TEXTS);

/** Faults answered as API errors, with their texts. */
export const FAULT_ERRORS = {
  internalDatabaseError: () => err('InternalError.DatabaseError', '迁移平台数据库访问失败。', 'Failed to access the database of the migration platform.'),
  internalProtocolError: () => err('InternalError.ProtocolError', '通信协议错误。', 'A communication protocol error occurred.'),
  notAllowOperation: () => err('FailedOperation.NotAllowOperation', '禁止该操作。', 'The operation is not allowed.'),
  serviceUnavailable: () => err('ServiceUnavailable', '当前服务暂时不可用,请稍后重试。', 'The service is temporarily unavailable; try again later.'),
  requestLimit: () => err('RequestLimitExceeded', '请求的次数超过了频率限制。', 'The number of requests exceeds the frequency limit.'),
};
