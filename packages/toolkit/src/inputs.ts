import * as core from './workflow';
import { InputError } from './errors';
import {
  type Bounds,
  type MapParseOptions,
  parseBoolean,
  parseDurationInput,
  parseEnum,
  parseInteger,
  parseList,
  parseMap,
  parseMatching,
  parseUrl,
} from './parse';
import { registerSecret } from './secrets';

/**
 * Typed inputs. Every reader returns `undefined` for an input left empty (so defaults live in action.yml,
 * where the runner and the README see them) and throws an InputError naming the input, the problem and
 * the fix for a value it cannot use. Actions read all their inputs before any side effect.
 */

interface Common {
  required?: boolean;
  /** Mask the value and never quote it in an error. */
  secret?: boolean;
}

function raw(name: string, options: Common = {}): string | undefined {
  const value = core.getInput(name);
  if (options.secret && value) registerSecret(value);
  if (value) return value;
  if (options.required) throw new InputError(name, 'is required but empty', `set it in the step's "with:" block`);
  return undefined;
}

export function getString(name: string, options: Common & { required: true }): string;
export function getString(name: string, options?: Common): string | undefined;
export function getString(name: string, options: Common = {}): string | undefined {
  return raw(name, options);
}

/** A string that must match a pattern, described in words for the error. */
export function getMatching(
  name: string,
  pattern: RegExp,
  described: string,
  options: Common = {},
): string | undefined {
  const value = raw(name, options);
  return value === undefined ? undefined : parseMatching(name, value, pattern, described, options);
}

export function getBoolean(name: string, options: Common = {}): boolean | undefined {
  const value = raw(name, options);
  return value === undefined ? undefined : parseBoolean(name, value, options);
}

export function getInteger(name: string, options: Common & Bounds = {}): number | undefined {
  const value = raw(name, options);
  return value === undefined ? undefined : parseInteger(name, value, options);
}

/** A duration in milliseconds: `90s`, `10m`, `2h`, `1h30m`, or bare seconds. */
export function getDuration(name: string, options: Common & Bounds = {}): number | undefined {
  const value = raw(name, options);
  return value === undefined ? undefined : parseDurationInput(name, value, options);
}

/** Items separated by newlines or commas; blank items and surrounding spaces dropped. */
export function getList(name: string, options: Common = {}): string[] {
  const value = raw(name, options);
  return value === undefined ? [] : parseList(value);
}

/** Items one per line only, for values that may themselves contain commas. */
export function getLines(name: string, options: Common = {}): string[] {
  const value = raw(name, options);
  return value === undefined ? [] : parseList(value, true);
}

/**
 * `KEY=VALUE` pairs, one per line, or comma-separated on a single line (unless `linesOnly`). A value keeps
 * any `=` after the first; a line without `=` or with an empty key is an error that names the line.
 */
export function getMap(name: string, options: Common & MapParseOptions = {}): Record<string, string> {
  const value = raw(name, options);
  return value === undefined ? {} : parseMap(name, value, options);
}

export function getEnum<T extends string>(name: string, values: readonly T[], options: Common = {}): T | undefined {
  const value = raw(name, options);
  return value === undefined ? undefined : parseEnum(name, value, values, options);
}

/** An absolute URL with one of the allowed protocols (http and https by default). */
export function getUrl(name: string, options: Common & { protocols?: string[] } = {}): URL | undefined {
  const value = raw(name, options);
  return value === undefined ? undefined : parseUrl(name, value, options);
}

/** At most one of the named inputs may be set. */
export function exclusive(given: Record<string, unknown>): void {
  const set = Object.entries(given).filter(([, v]) => isSet(v));
  if (set.length > 1) {
    const names = set.map(([k]) => `"${k}"`);
    throw new InputError(set[0][0], `cannot be combined with ${names.slice(1).join(', ')}`, 'set only one of them');
  }
}

/** Exactly one of the named inputs must be set. */
export function oneOf(given: Record<string, unknown>): void {
  exclusive(given);
  if (!Object.values(given).some(isSet)) {
    const names = Object.keys(given).map((k) => `"${k}"`);
    throw new InputError(Object.keys(given)[0], 'is missing', `set one of ${names.join(', ')}`);
  }
}

function isSet(value: unknown): boolean {
  if (Array.isArray(value)) return value.length > 0;
  if (value && typeof value === 'object' && !(value instanceof URL)) return Object.keys(value).length > 0;
  return value !== undefined && value !== '' && value !== false;
}
