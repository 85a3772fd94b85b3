/**
 * The ten steps of a sync check. Names and the success message are the API page's sample
 * (2018-09-18); the 2021-12-06 step ids, failure texts, solutions and help links are invented
 * in the style of that API, since no public sample lists them.
 */
import { Language, text } from './language';

export interface CheckStepDefinition {
  /** 1-based. */
  readonly stepNo: number;
  /** `StepName` in both API versions (Chinese; `english` has the rest). */
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
  /** The same texts in English, for `X-TC-Language: en-US`. */
  readonly english: StepTexts;
}

/** A step's texts in one language. */
export interface StepTexts {
  readonly name: string;
  readonly failureMessage: string;
  readonly solution: string;
  readonly warningMessage: string;
}

/** The 2018-03-30 `StepMessage` of a passed step (API sample). */
export const STEP_PASSED_MESSAGE = '校验成功';

/** A step's texts in a language (the Chinese ones are the step's own fields). */
export function stepTexts(step: CheckStepDefinition, language: Language): StepTexts {
  return language === 'en-US' ? step.english : step;
}

/** Texts the check prints besides the steps' own, in both languages. */
export const CHECK_TEXTS = {
  /** 2018-03-30 `StepMessage` of a passed step: the API sample's. */
  stepPassed: text(STEP_PASSED_MESSAGE, 'Check passed'),
  /** 2018-03-30 `ErrorMessage` by status; `灾备检查成功` is the API sample's, the others follow its style. */
  starting: text('校验任务启动中', 'The check is starting'),
  running: text('校验任务进行中', 'The check is running'),
  passed: text('灾备检查成功', 'The disaster recovery check passed'),
  failed: text('灾备检查失败', 'The disaster recovery check failed'),
  /** 2021-12-06 `StepTip.SkipInfo` of a failed step and of a skipped one, and `Solution` of a warning. */
  notSkippable: text('该检查项不支持跳过', 'This check item cannot be skipped'),
  skipped: text('该检查项未通过, 已按用户要求跳过', 'This check item did not pass and was skipped at the request of the user'),
  warningSolution: text('可忽略此警告继续同步,建议按帮助文档处理', 'You may ignore this warning and go on; the help document says how to fix it'),
};

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
    english: {
      name: 'Check parameters',
      failureMessage: 'The sync job parameters are invalid',
      solution: 'Correct the job parameters with ModifySyncJob, then start the check again',
      warningMessage: 'Some parameters use their default values',
    },
  },
  {
    stepNo: 2,
    name: '检查源实例',
    stepId: 'SrcInstanceCheck',
    errorCode: 'SrcInstanceUnreachable',
    failureMessage: '源实例连接失败',
    solution: '请检查源实例的网络、账号和密码,确认 DTS 可以访问源实例',
    warningMessage: '源实例连接延迟较高',
    english: {
      name: 'Check the source instance',
      failureMessage: 'Cannot connect to the source instance',
      solution: 'Check the network, account and password of the source instance, and that DTS can reach it',
      warningMessage: 'The source instance answers slowly',
    },
  },
  {
    stepNo: 3,
    name: '检查目标实例',
    stepId: 'DstInstanceCheck',
    errorCode: 'DstInstanceUnreachable',
    failureMessage: '目标实例连接失败',
    solution: '请检查目标实例的网络、账号和密码,确认 DTS 可以访问目标实例',
    warningMessage: '目标实例连接延迟较高',
    english: {
      name: 'Check the target instance',
      failureMessage: 'Cannot connect to the target instance',
      solution: 'Check the network, account and password of the target instance, and that DTS can reach it',
      warningMessage: 'The target instance answers slowly',
    },
  },
  {
    stepNo: 4,
    name: '检查实例状态',
    stepId: 'InstanceStatusCheck',
    errorCode: 'InstanceStatusAbnormal',
    failureMessage: '实例状态异常',
    solution: '请等待实例恢复运行中状态后重新发起校验',
    warningMessage: '实例正在变更配置',
    english: {
      name: 'Check the instance status',
      failureMessage: 'The instance status is abnormal',
      solution: 'Wait until the instance is running again, then start the check again',
      warningMessage: 'The instance configuration is being changed',
    },
  },
  {
    stepNo: 5,
    name: '检查实例规格',
    stepId: 'InstanceSpecCheck',
    errorCode: 'InstanceSpecMismatch',
    failureMessage: '目标实例规格小于源实例规格',
    solution: '请将目标实例升级到不小于源实例的规格',
    warningMessage: '目标实例规格与源实例接近上限',
    english: {
      name: 'Check the instance specification',
      failureMessage: 'The target instance is smaller than the source instance',
      solution: 'Upgrade the target instance to at least the specification of the source instance',
      warningMessage: 'The target instance specification is close to the limit of the source instance',
    },
  },
  {
    stepNo: 6,
    name: '检查实例版本',
    stepId: 'VersionCheck',
    errorCode: 'VersionIncompatible',
    failureMessage: '源实例与目标实例版本不兼容',
    solution: '请使用版本不低于源实例的目标实例',
    warningMessage: '源实例与目标实例小版本不一致',
    english: {
      name: 'Check the instance version',
      failureMessage: 'The source and target instance versions are incompatible',
      solution: 'Use a target instance whose version is not lower than that of the source instance',
      warningMessage: 'The minor versions of the source and target instances differ',
    },
  },
  {
    stepNo: 7,
    name: '检查目标实例是否为空',
    stepId: 'DstEmptyCheck',
    errorCode: 'DstInstanceNotEmpty',
    failureMessage: '目标实例不为空',
    solution: '请清空目标实例中与同步对象同名的库表,或选择一个空的目标实例',
    warningMessage: '目标实例存在系统库以外的对象',
    english: {
      name: 'Check that the target instance is empty',
      failureMessage: 'The target instance is not empty',
      solution: 'Empty the databases and tables in the target instance that have the names of the sync objects, or choose an empty target instance',
      warningMessage: 'The target instance holds objects besides the system databases',
    },
  },
  {
    stepNo: 8,
    name: '检查是否开启加密',
    stepId: 'EncryptionCheck',
    errorCode: 'EncryptionMismatch',
    failureMessage: '源实例与目标实例加密配置不一致',
    solution: '请为源实例和目标实例使用一致的透明数据加密配置',
    warningMessage: '源实例未开启 SSL 加密传输',
    english: {
      name: 'Check whether encryption is enabled',
      failureMessage: 'The source and target instances have different encryption settings',
      solution: 'Use the same transparent data encryption settings on the source and target instances',
      warningMessage: 'The source instance does not use SSL for transfers',
    },
  },
  {
    stepNo: 9,
    name: '检查实例同步的库表信息',
    stepId: 'SyncObjectsCheck',
    errorCode: 'SyncObjectsInvalid',
    failureMessage: '同步对象中存在不支持的库表',
    solution: '请从同步对象中移除不支持的库表后重新发起校验',
    warningMessage: '部分表没有主键',
    english: {
      name: 'Check the databases and tables to sync',
      failureMessage: 'The sync objects include unsupported databases or tables',
      solution: 'Remove the unsupported databases and tables from the sync objects, then start the check again',
      warningMessage: 'Some tables have no primary key',
    },
  },
  {
    stepNo: 10,
    name: '检查实例冷备数据',
    stepId: 'ColdBackupCheck',
    errorCode: 'ColdBackupMissing',
    failureMessage: '实例冷备数据不可用',
    solution: '请确认源实例已完成至少一次全量备份后重新发起校验',
    warningMessage: '最近一次冷备数据超过 7 天',
    english: {
      name: 'Check the cold backup data of the instance',
      failureMessage: 'The cold backup data of the instance is unavailable',
      solution: 'Make sure the source instance has completed at least one full backup, then start the check again',
      warningMessage: 'The latest cold backup is more than 7 days old',
    },
  },
];

/** The `HelpDoc` link of a step's error or warning. */
export function helpDocFor(step: CheckStepDefinition): string {
  return `${STEP_HELP_DOC_BASE}${58700 + step.stepNo}`;
}
