import { InputError } from '../../toolkit/src/errors';
import { registerSecret } from '../../toolkit/src/secrets';
import type { StatusMatcher } from './probe';

/**
 * Parsers for the health inputs whose values are not one of the manifest's kinds, with deploy-cloudrun's
 * messages: expected statuses (`200`, `200,204`, `2xx`), a percentage (`5%`), and `Name: value` header lines.
 */

/** `200`, `200,204`, `2xx`: a matcher and the text for messages. */
export function parseExpectedStatus(
  text: string,
  input = 'health-expected-status',
): { matcher: StatusMatcher; text: string } {
  const parts = text
    .split(',')
    .map((p) => p.trim().toLowerCase())
    .filter(Boolean);
  if (!parts.length) throw new InputError(input, 'is empty', 'write statuses like 200, 200,204 or 2xx');
  for (const part of parts)
    if (!/^[1-5](\d\d|xx)$/.test(part))
      throw new InputError(input, `"${part}" is not an HTTP status`, 'write statuses like 200, 200,204 or 2xx');
  const matcher: StatusMatcher = (status) =>
    parts.some((p) => (p.endsWith('xx') ? Math.floor(status / 100) === Number(p[0]) : status === Number(p)));
  return { matcher, text: parts.join(',') };
}

/** `5%` or `5` → 0.05. */
export function parsePercent(text: string, input = 'health-max-error-rate'): number {
  const value = text.trim();
  const n = Number(value.replace(/%$/, ''));
  if (!/^\d+(\.\d+)?%?$/.test(value) || n > 100)
    throw new InputError(input, `"${value}" is not a percentage`, 'write a value from 0% to 100%, like 5%');
  return n / 100;
}

/**
 * `Name: value` lines into headers (a null-prototype object). Every value is masked, and for
 * `Bearer X` / `Basic X` the credential X on its own too (registerSecret does it).
 */
export function parseHealthHeaders(lines: readonly string[], input = 'health-headers'): Record<string, string> {
  const headers: Record<string, string> = Object.create(null);
  for (const line of lines) {
    const colon = line.indexOf(':');
    const key = colon > 0 ? line.slice(0, colon).trim() : '';
    if (!key || !/^[A-Za-z0-9-]+$/.test(key))
      throw new InputError(input, 'a line is not "Name: value"', 'write one "Header-Name: value" per line');
    const value = line.slice(colon + 1).trim();
    registerSecret(value);
    const credential = /^[A-Za-z][A-Za-z0-9-]*\s+(\S.*)$/.exec(value)?.[1];
    if (credential) registerSecret(credential);
    headers[key] = value;
  }
  return headers;
}
