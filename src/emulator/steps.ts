/**
 * The ten steps of a sync check. Names and the success message are the API page's sample
 * (2018-09-18); the 2021-12-06 step ids, failure texts, solutions and help links are invented
 * in the style of that API, since no public sample lists them.
 */
export interface CheckStepDefinition {
  /** 1-based. */
  readonly stepNo: number;
  /** `StepName` in both API versions. */
  readonly name: string;
  /** 2021-12-06 `StepId`. */
  readonly stepId: string;
  /** `StepTip.Code` when the step fails. */
  readonly errorCode: string;
  /** Default failure message. */
  readonly failureMessage: string;
  /** `StepTip.Solution` when the step fails. */
  readonly solution: string;
  /** Default warning message when the step is configured to warn. */
  readonly warningMessage: string;
}

/** The 2018-03-30 `StepMessage` of a passed step (API sample). */
export const STEP_PASSED_MESSAGE = '校验成功';

/** Where a failing step's `HelpDoc` points. */
export const STEP_HELP_DOC_BASE = 'https://cloud.tencent.com/document/product/571/';

export const CHECK_STEPS: readonly CheckStepDefinition[] = [
  {
    stepNo: 1,
    name: '检查参数',
    stepId: 'ParamsCheck',
    errorCode: 'ParamsInvalid',
    failureMessage: '同步任务参数不合法',
    solution: '请通过 ModifySyncJob 修正任务参数后重新发起校验',
    warningMessage: '部分参数使用了默认值',
  },
  {
    stepNo: 2,
    name: '检查源实例',
    stepId: 'SrcInstanceCheck',
    errorCode: 'SrcInstanceUnreachable',
    failureMessage: '源实例连接失败',
    solution: '请检查源实例的网络、账号和密码,确认 DTS 可以访问源实例',
    warningMessage: '源实例连接延迟较高',
  },
  {
    stepNo: 3,
    name: '检查目标实例',
    stepId: 'DstInstanceCheck',
    errorCode: 'DstInstanceUnreachable',
    failureMessage: '目标实例连接失败',
    solution: '请检查目标实例的网络、账号和密码,确认 DTS 可以访问目标实例',
    warningMessage: '目标实例连接延迟较高',
  },
  {
    stepNo: 4,
    name: '检查实例状态',
    stepId: 'InstanceStatusCheck',
    errorCode: 'InstanceStatusAbnormal',
    failureMessage: '实例状态异常',
    solution: '请等待实例恢复运行中状态后重新发起校验',
    warningMessage: '实例正在变更配置',
  },
  {
    stepNo: 5,
    name: '检查实例规格',
    stepId: 'InstanceSpecCheck',
    errorCode: 'InstanceSpecMismatch',
    failureMessage: '目标实例规格小于源实例规格',
    solution: '请将目标实例升级到不小于源实例的规格',
    warningMessage: '目标实例规格与源实例接近上限',
  },
  {
    stepNo: 6,
    name: '检查实例版本',
    stepId: 'VersionCheck',
    errorCode: 'VersionIncompatible',
    failureMessage: '源实例与目标实例版本不兼容',
    solution: '请使用版本不低于源实例的目标实例',
    warningMessage: '源实例与目标实例小版本不一致',
  },
  {
    stepNo: 7,
    name: '检查目标实例是否为空',
    stepId: 'DstEmptyCheck',
    errorCode: 'DstInstanceNotEmpty',
    failureMessage: '目标实例不为空',
    solution: '请清空目标实例中与同步对象同名的库表,或选择一个空的目标实例',
    warningMessage: '目标实例存在系统库以外的对象',
  },
  {
    stepNo: 8,
    name: '检查是否开启加密',
    stepId: 'EncryptionCheck',
    errorCode: 'EncryptionMismatch',
    failureMessage: '源实例与目标实例加密配置不一致',
    solution: '请为源实例和目标实例使用一致的透明数据加密配置',
    warningMessage: '源实例未开启 SSL 加密传输',
  },
  {
    stepNo: 9,
    name: '检查实例同步的库表信息',
    stepId: 'SyncObjectsCheck',
    errorCode: 'SyncObjectsInvalid',
    failureMessage: '同步对象中存在不支持的库表',
    solution: '请从同步对象中移除不支持的库表后重新发起校验',
    warningMessage: '部分表没有主键',
  },
  {
    stepNo: 10,
    name: '检查实例冷备数据',
    stepId: 'ColdBackupCheck',
    errorCode: 'ColdBackupMissing',
    failureMessage: '实例冷备数据不可用',
    solution: '请确认源实例已完成至少一次全量备份后重新发起校验',
    warningMessage: '最近一次冷备数据超过 7 天',
  },
];

/** The `HelpDoc` link of a step's error or warning. */
export function helpDocFor(step: CheckStepDefinition): string {
  return `${STEP_HELP_DOC_BASE}${58700 + step.stepNo}`;
}
