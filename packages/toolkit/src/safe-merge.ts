import { InputError } from './errors';

/**
 * Merging user data (a YAML/JSON patch, KEY=VALUE maps) into objects without prototype pollution: only
 * own enumerable keys are copied, into null-prototype objects, and the keys `__proto__`, `constructor` and
 * `prototype` are refused with one line naming the input. Objects merge key by key, arrays and scalars
 * replace, and `null` removes the key (JSON Merge Patch, RFC 7386), unless `nullRemoves: false`.
 */

const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype']);

export interface MergeOptions {
  /** The input the patch comes from, for the error. */
  input: string;
  nullRemoves?: boolean;
}

type Plain = Record<string, unknown>;

const isPlain = (value: unknown): value is Plain =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);

/** A deep copy of user data into null-prototype objects, refusing the forbidden keys. */
export function safeCopy(value: unknown, options: MergeOptions, path = ''): unknown {
  if (Array.isArray(value)) return value.map((item, i) => safeCopy(item, options, `${path}[${i}]`));
  if (!isPlain(value)) return value;
  const out: Plain = Object.create(null);
  for (const key of Object.keys(value)) {
    refuse(key, options, path);
    out[key] = safeCopy(value[key], options, path ? `${path}.${key}` : key);
  }
  return out;
}

/** `base` with `patch` merged in; neither is modified. */
export function safeMerge<T>(base: T, patch: unknown, options: MergeOptions): T {
  return merge(base, patch, options, '') as T;
}

function merge(base: unknown, patch: unknown, options: MergeOptions, path: string): unknown {
  if (!isPlain(patch)) return safeCopy(patch, options, path);
  const out: Plain = Object.create(null);
  if (isPlain(base)) for (const key of Object.keys(base)) out[key] = base[key];
  for (const key of Object.keys(patch)) {
    refuse(key, options, path);
    const value = patch[key];
    const at = path ? `${path}.${key}` : key;
    if (value === null && options.nullRemoves !== false) delete out[key];
    else out[key] = merge(out[key], value, options, at);
  }
  return out;
}

function refuse(key: string, options: MergeOptions, path: string): void {
  if (FORBIDDEN.has(key))
    throw new InputError(
      options.input,
      `has the key "${key}"${path ? ` under ${path}` : ''}, which is refused`,
      'remove it: __proto__, constructor and prototype could change every object of the action',
    );
}
