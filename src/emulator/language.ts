/**
 * The two languages the service answers in (`X-TC-Language`, or the `Language` parameter of a
 * signature-v1 request): every text the emulator sends exists in both.
 */

export type Language = 'zh-CN' | 'en-US';

/** What the common parameter accepts (API 3.0 common parameters); Chinese when absent. */
export const LANGUAGES: readonly Language[] = ['zh-CN', 'en-US'];
export const DEFAULT_LANGUAGE: Language = 'zh-CN';

/** A text in every language the emulator answers in. */
export interface Text {
  readonly 'zh-CN': string;
  readonly 'en-US': string;
}

export function text(zh: string, en: string): Text {
  return { 'zh-CN': zh, 'en-US': en };
}

/** A text given by the user (a configured message): the same in both languages. */
export function verbatim(value: string): Text {
  return text(value, value);
}

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}
