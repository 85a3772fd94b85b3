/**
 * Validators for configuration values: each throws `EmulatorConfigError` naming the field, what
 * was expected and what was given.
 */

/** A configuration mistake; `field` is the path of the offending field (`jobs[1].failStep`). */
export class EmulatorConfigError extends Error {
  public readonly field: string;
  constructor(field: string, message: string) {
    super(`${field} ${message}`);
    this.name = 'EmulatorConfigError';
    this.field = field;
  }
}

export function show(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 60)}…` : text;
}

export function asObject(value: unknown, where: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new EmulatorConfigError(where, `must be an object (got ${show(value)})`);
  }
  return value as Record<string, unknown>;
}

export function asArray(value: unknown, where: string): readonly unknown[] {
  if (!Array.isArray(value)) throw new EmulatorConfigError(where, `must be an array (got ${show(value)})`);
  return value;
}

export function checkFields(obj: Record<string, unknown>, allowed: readonly string[], where: string, prefix: string): void {
  for (const key of Object.keys(obj)) {
    if (!allowed.includes(key) && obj[key] !== undefined) {
      throw new EmulatorConfigError(`${prefix}${key}`, `is not a field of ${where} (expected one of ${allowed.filter((k) => /^\w/.test(k)).join(', ')})`);
    }
  }
}

export function reqString(value: unknown, where: string, pattern: RegExp, expected: string): string {
  if (typeof value !== 'string' || !pattern.test(value)) {
    throw new EmulatorConfigError(where, `must be ${expected} (got ${show(value)})`);
  }
  return value;
}

export function optString(value: unknown, where: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.length === 0 || value.length > 1000) {
    throw new EmulatorConfigError(where, `must be a non-empty string of at most 1000 characters (got ${show(value)})`);
  }
  return value;
}

export function optBoolean(value: unknown, where: string): boolean | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'boolean') throw new EmulatorConfigError(where, `must be true or false (got ${show(value)})`);
  return value;
}

export function optNumber(value: unknown, where: string, range: { min: number; max: number; integer?: boolean }): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || (range.integer && !Number.isInteger(value)) || value < range.min || value > range.max) {
    const kind = range.integer ? 'an integer' : 'a number';
    throw new EmulatorConfigError(where, `must be ${kind} ${range.min}..${range.max} (got ${show(value)})`);
  }
  return value;
}

/** One of `choices` (each listed quoted in the error). */
export function optChoice<T extends string>(value: unknown, where: string, choices: readonly T[]): T | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !(choices as readonly string[]).includes(value)) {
    throw new EmulatorConfigError(where, `must be one of ${choices.map((c) => JSON.stringify(c)).join(', ')} (got ${show(value)})`);
  }
  return value as T;
}

/** A list of distinct names, each one of `choices`; errors name the element. */
export function optNames(value: unknown, where: string, choices: readonly string[]): readonly string[] {
  if (value === undefined) return [];
  const list = asArray(value, where);
  return list.map((item, i) => {
    const name = optChoice(item ?? null, `${where}[${i}]`, choices)!;
    if (list.indexOf(item) !== i) throw new EmulatorConfigError(`${where}[${i}]`, `repeats ${show(item)}`);
    return name;
  });
}
