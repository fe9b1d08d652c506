import * as core from '@actions/core';
import { parseDuration } from './duration';
import { InputError } from './errors';
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

/** Quotes a value for an error message, unless it is secret. */
function shown(value: string, options: Common): string {
  if (options.secret) return 'the value';
  return `"${value.length > 80 ? `${value.slice(0, 77)}...` : value}"`;
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
  if (value !== undefined && !pattern.test(value)) {
    throw new InputError(name, `${shown(value, options)} is not ${described}`, `use ${described}`);
  }
  return value;
}

const TRUE = ['true', 'yes', 'on', '1'];
const FALSE = ['false', 'no', 'off', '0'];

export function getBoolean(name: string, options: Common = {}): boolean | undefined {
  const value = raw(name, options)?.toLowerCase();
  if (value === undefined) return undefined;
  if (TRUE.includes(value)) return true;
  if (FALSE.includes(value)) return false;
  throw new InputError(name, `${shown(value, options)} is not a boolean`, 'use true or false');
}

export function getInteger(name: string, options: Common & { min?: number; max?: number } = {}): number | undefined {
  const value = raw(name, options);
  if (value === undefined) return undefined;
  const { min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER } = options;
  const range = `a whole number from ${min} to ${max}`;
  if (!/^-?\d+$/.test(value))
    throw new InputError(name, `${shown(value, options)} is not a whole number`, `use ${range}`);
  const number = Number(value);
  if (number < min || number > max) throw new InputError(name, `${value} is out of range`, `use ${range}`);
  return number;
}

/** A duration in milliseconds: `90s`, `10m`, `2h`, `1h30m`, or bare seconds. */
export function getDuration(name: string, options: Common & { min?: number; max?: number } = {}): number | undefined {
  const value = raw(name, options);
  if (value === undefined) return undefined;
  const ms = parseDuration(value);
  if (ms === undefined) {
    throw new InputError(name, `${shown(value, options)} is not a duration`, 'write it like 90s, 10m or 2h');
  }
  if (options.min !== undefined && ms < options.min) {
    throw new InputError(name, `${value} is too short`, `use at least ${options.min / 1000}s`);
  }
  if (options.max !== undefined && ms > options.max) {
    throw new InputError(name, `${value} is too long`, `use at most ${options.max / 1000}s`);
  }
  return ms;
}

/** Items separated by newlines or commas; blank items and surrounding spaces dropped. */
export function getList(name: string, options: Common = {}): string[] {
  const value = raw(name, options);
  if (value === undefined) return [];
  return value
    .split(/\r?\n|,/)
    .map((item) => item.trim())
    .filter(Boolean);
}

/** Items one per line only, for values that may themselves contain commas. */
export function getLines(name: string, options: Common = {}): string[] {
  const value = raw(name, options);
  if (value === undefined) return [];
  return value
    .split(/\r?\n/)
    .map((item) => item.trim())
    .filter(Boolean);
}

interface MapOptions extends Common {
  /** Keys must match this, described in words for the error ("letters, digits and _"). */
  keyPattern?: RegExp;
  keyDescribed?: string;
  /** What a key is called in errors: KEY (default), ID, NAME... */
  keyWord?: string;
  /** One pair per line only, for values that may themselves contain commas. */
  linesOnly?: boolean;
}

/**
 * `KEY=VALUE` pairs, one per line, or comma-separated on a single line (unless `linesOnly`). A value keeps
 * any `=` after the first; a line without `=` or with an empty key is an error that names the line.
 */
export function getMap(name: string, options: MapOptions = {}): Record<string, string> {
  const value = raw(name, options);
  if (value === undefined) return {};
  const separator = options.linesOnly || value.includes('\n') ? /\r?\n/ : ',';
  const entries = value
    .split(separator)
    .map((e) => e.trim())
    .filter(Boolean);
  const word = options.keyWord ?? 'KEY';
  const map: Record<string, string> = {};
  for (const entry of entries) {
    const eq = entry.indexOf('=');
    const key = eq > 0 ? entry.slice(0, eq).trim() : '';
    if (!key) {
      const what = options.secret ? 'a line' : `"${entry}"`;
      throw new InputError(name, `${what} is not ${word}=VALUE`, `write one ${word}=VALUE per line`);
    }
    if (options.keyPattern && !options.keyPattern.test(key)) {
      const fix = options.keyDescribed ?? `keys matching ${options.keyPattern}`;
      throw new InputError(name, `"${key}" is not a valid ${word.toLowerCase()}`, `use ${fix}`);
    }
    map[key] = entry.slice(eq + 1).trim();
  }
  return map;
}

export function getEnum<T extends string>(name: string, values: readonly T[], options: Common = {}): T | undefined {
  const value = raw(name, options);
  if (value === undefined) return undefined;
  const match = values.find((v) => v === value.toLowerCase());
  if (!match)
    throw new InputError(
      name,
      `${shown(value, options)} is not one of the choices`,
      `use one of: ${values.join(', ')}`,
    );
  return match;
}

/** An absolute URL with one of the allowed protocols (http and https by default). */
export function getUrl(name: string, options: Common & { protocols?: string[] } = {}): URL | undefined {
  const value = raw(name, options);
  if (value === undefined) return undefined;
  const protocols = options.protocols ?? ['https:', 'http:'];
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InputError(
      name,
      `${shown(value, options)} is not a URL`,
      `give an absolute URL such as ${protocols[0]}//host/path`,
    );
  }
  if (!protocols.includes(url.protocol)) {
    throw new InputError(name, `the URL uses ${url.protocol}`, `use a ${protocols.join(' or ')} URL`);
  }
  return url;
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

/** Either all of the named inputs are set or none. */
export function together(given: Record<string, unknown>): void {
  const set = Object.entries(given).filter(([, v]) => isSet(v));
  if (set.length > 0 && set.length < Object.keys(given).length) {
    const missing = Object.keys(given).find((k) => !isSet(given[k]))!;
    throw new InputError(missing, `is required when "${set[0][0]}" is set`, 'set both or neither');
  }
}

function isSet(value: unknown): boolean {
  if (Array.isArray(value)) return value.length > 0;
  if (value && typeof value === 'object' && !(value instanceof URL)) return Object.keys(value).length > 0;
  return value !== undefined && value !== '' && value !== false;
}
