import { parseDuration } from './duration';
import { InputError } from './errors';

/**
 * Pure parsers for input values, one per kind, with the suite's one-line messages (input, problem, fix).
 * The manifest reader (`readInputs`) and the actions' own cross-field checks use them, so the wording is the same.
 */

export interface ParseOptions {
  /** Never quote the value in an error. */
  secret?: boolean;
}

/** Quotes a value for an error message, unless it is secret. */
export function shown(value: string, options: ParseOptions): string {
  if (options.secret) return 'the value';
  // One line whatever the value holds: a newline would split the error annotation.
  const line = value.replace(/[\r\n\t]/g, ' ');
  return `"${line.length > 80 ? `${line.slice(0, 77)}...` : line}"`;
}

/** Refuses a value longer than `max` characters (a 100 KB value is a mistake, and would be sent on). */
export function checkLength(name: string, value: string, max: number | undefined): void {
  if (max !== undefined && value.length > max)
    throw new InputError(name, `is ${value.length} characters long`, `give at most ${max} characters`);
}

export function parseMatching(
  name: string,
  value: string,
  pattern: RegExp,
  described: string,
  options: ParseOptions = {},
): string {
  if (!pattern.test(value))
    throw new InputError(name, `${shown(value, options)} is not ${described}`, `use ${described}`);
  return value;
}

const TRUE = ['true', 'yes', 'on', '1'];
const FALSE = ['false', 'no', 'off', '0'];

export function parseBoolean(name: string, text: string, options: ParseOptions = {}): boolean {
  const value = text.toLowerCase();
  if (TRUE.includes(value)) return true;
  if (FALSE.includes(value)) return false;
  throw new InputError(name, `${shown(value, options)} is not a boolean`, 'use true or false');
}

export interface Bounds {
  min?: number;
  max?: number;
}

export function parseInteger(name: string, value: string, options: ParseOptions & Bounds = {}): number {
  const { min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER } = options;
  const range = `a whole number from ${min} to ${max}`;
  if (!/^-?\d+$/.test(value))
    throw new InputError(name, `${shown(value, options)} is not a whole number`, `use ${range}`);
  const number = Number(value);
  if (number < min || number > max) throw new InputError(name, `${value} is out of range`, `use ${range}`);
  return number;
}

export function parseNumber(name: string, value: string, options: ParseOptions & Bounds = {}): number {
  const { min = -Number.MAX_VALUE, max = Number.MAX_VALUE } = options;
  const number = /^-?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(value) ? Number(value) : Number.NaN;
  const range =
    options.min !== undefined && options.max !== undefined
      ? `a number from ${min} to ${max}`
      : options.min !== undefined
        ? `a number of at least ${min}`
        : options.max !== undefined
          ? `a number of at most ${max}`
          : 'a number such as 1.5';
  if (!Number.isFinite(number)) throw new InputError(name, `${shown(value, options)} is not a number`, `use ${range}`);
  if (number < min || number > max) throw new InputError(name, `${value} is out of range`, `use ${range}`);
  return number;
}

/** A duration in milliseconds: `90s`, `10m`, `2h`, `1h30m`, or bare seconds. */
export function parseDurationInput(name: string, value: string, options: ParseOptions & Bounds = {}): number {
  const ms = parseDuration(value);
  if (ms === undefined)
    throw new InputError(name, `${shown(value, options)} is not a duration`, 'write it like 90s, 10m or 2h');
  if (options.min !== undefined && ms < options.min)
    throw new InputError(name, `${value} is too short`, `use at least ${options.min / 1000}s`);
  if (options.max !== undefined && ms > options.max)
    throw new InputError(name, `${value} is too long`, `use at most ${options.max / 1000}s`);
  return ms;
}

/** Items separated by newlines or commas (`lines`: newlines only); blank items and surrounding spaces dropped. */
export function parseList(value: string, lines = false): string[] {
  return value
    .split(lines ? /\r?\n/ : /\r?\n|,/)
    .map((item) => item.trim())
    .filter(Boolean);
}

export interface MapParseOptions extends ParseOptions {
  /** Keys must match this, described in words for the error ("letters, digits and _"). */
  keyPattern?: RegExp;
  keyDescribed?: string;
  /** What a key is called in errors: KEY (default), ID, NAME... */
  keyWord?: string;
  /** One pair per line only, for values that may themselves contain commas. */
  linesOnly?: boolean;
  /**
   * google-github-actions' form as well: pairs separated by newlines or by commas, a literal comma written
   * `\,` (and a backslash `\\`), so `A=1,B=x\,y` is `{A: '1', B: 'x,y'}`.
   */
  escapedCommas?: boolean;
}

/** Splits on newlines and unescaped commas, unescaping `\,` and `\\`. */
function splitEscaped(value: string): string[] {
  const items: string[] = [];
  let current = '';
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (c === '\\' && (value[i + 1] === ',' || value[i + 1] === '\\')) current += value[++i];
    else if (c === ',' || c === '\n') {
      items.push(current);
      current = '';
    } else if (c !== '\r') current += c;
  }
  items.push(current);
  return items;
}

/**
 * `KEY=VALUE` pairs, one per line, or comma-separated on a single line (unless `linesOnly`). A value keeps
 * any `=` after the first; a line without `=` or with an empty key is an error that names the line. The
 * result has no prototype, so keys such as `__proto__` are plain keys.
 */
export function parseMap(name: string, value: string, options: MapParseOptions = {}): Record<string, string> {
  const separator = options.linesOnly || value.includes('\n') ? /\r?\n/ : ',';
  const entries = (options.escapedCommas ? splitEscaped(value) : value.split(separator))
    .map((e) => e.trim())
    .filter(Boolean);
  const word = options.keyWord ?? 'KEY';
  const map: Record<string, string> = Object.create(null);
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

export function parseEnum<T extends string>(
  name: string,
  value: string,
  values: readonly T[],
  options: ParseOptions = {},
): T {
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
export function parseUrl(
  name: string,
  value: string,
  options: ParseOptions & { protocols?: readonly string[] } = {},
): URL {
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
  if (!protocols.includes(url.protocol))
    throw new InputError(name, `the URL uses ${url.protocol}`, `use a ${protocols.join(' or ')} URL`);
  return url;
}
