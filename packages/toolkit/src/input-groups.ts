import { InputError } from './errors';

/**
 * Rules across inputs that the manifest cannot say per input. Everything else about an input (its kind,
 * default, bounds, the modes it applies to) is declared once in the action's manifest and read by
 * `readInputs`.
 */

/** At most one of the named inputs may be set. */
export function exclusive(given: Record<string, unknown>): void {
  const set = Object.entries(given).filter(([, v]) => isSet(v));
  if (set.length > 1) {
    const names = set.map(([k]) => `"${k}"`);
    throw new InputError(set[0][0], `cannot be combined with ${names.slice(1).join(', ')}`, 'set only one of them');
  }
}

function isSet(value: unknown): boolean {
  if (Array.isArray(value)) return value.length > 0;
  if (value && typeof value === 'object' && !(value instanceof URL)) return Object.keys(value).length > 0;
  return value !== undefined && value !== '' && value !== false;
}
