import { runInNewContext } from 'node:vm';
import { InputError } from '@deploy-actions/toolkit';

/**
 * `type=match` patterns and `match=` attributes are user regular expressions run on the tag name. They
 * keep JavaScript's RegExp semantics (metadata-action's, so lookarounds and backreferences still work),
 * but each match runs in a fresh V8 context with a time limit: `^(a+)+$` on 28 characters no longer runs
 * for seconds, it fails the step naming the rule. A linear-time engine (re2js) would refuse the
 * lookarounds existing workflows use; a static "safe regex" check has false positives and negatives.
 * Patterns and values are also bounded in length, so the limit is about backtracking, not size.
 */

export const MATCH_TIMEOUT_MS = 1000;
const MAX_PATTERN = 1000;
const MAX_VALUE = 1024;

const SCRIPT = 'var m = new RegExp(pattern, flags).exec(value); m ? JSON.stringify(Array.from(m)) : null';

/** The match as an array (undefined for groups that did not take part), or undefined when there is none. */
export function boundedMatch(
  pattern: string,
  flags: string,
  value: string,
  rule: string,
  timeoutMs = MATCH_TIMEOUT_MS,
): Array<string | undefined> | undefined {
  const bad = (problem: string, fix: string) => new InputError('tags', `rule "${shorten(rule)}" ${problem}`, fix);
  if (pattern.length > MAX_PATTERN)
    throw bad(`has a pattern of ${pattern.length} characters`, `keep patterns under ${MAX_PATTERN} characters`);
  if (value.length > MAX_VALUE)
    throw bad(`is matched against a ${value.length}-character value`, 'match a shorter value');
  if (!/^[dgimsuvy]*$/.test(flags)) throw bad(`has unknown regular expression flags "${flags}"`, 'use flags such as i');
  let result: unknown;
  try {
    result = runInNewContext(SCRIPT, { pattern, flags, value }, { timeout: timeoutMs });
  } catch (error) {
    const e = error as { code?: string; name?: string; message?: string };
    if (e.code === 'ERR_SCRIPT_EXECUTION_TIMEOUT')
      throw bad(
        `has a pattern that ran for more than ${timeoutMs} ms on "${shorten(value)}" (catastrophic backtracking)`,
        'simplify it, e.g. avoid nested repetition such as (a+)+',
      );
    if (e.name === 'SyntaxError')
      throw bad(`has a pattern that is not a regular expression (${e.message})`, 'fix the pattern');
    throw error;
  }
  if (typeof result !== 'string') return undefined;
  return (JSON.parse(result) as Array<string | null>).map((group) => group ?? undefined);
}

function shorten(text: string): string {
  const line = text.replace(/[\r\n]/g, ' ');
  return line.length > 80 ? `${line.slice(0, 60)}... (${text.length} characters)` : line;
}
