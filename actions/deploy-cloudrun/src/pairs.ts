import { InputError, type Logger } from '@deploy-actions/toolkit';
import { quote } from './quote';

/**
 * KEY=VALUE inputs (env-vars, secrets, labels) in both forms users bring:
 *  - one per line, the value kept whole (commas and `=` included): this action's form;
 *  - a single line of comma-separated pairs, `A=1,B=2`, with `\,` for a comma inside a value and `\\` for a
 *    backslash: google-github-actions/deploy-cloudrun's form.
 * A multi-line value is read line by line; a single line with an unescaped comma is read as a list. When a
 * value contains a comma, the log says which form was read, since the two disagree about it.
 * `#` lines are comments, as in the peer.
 */

export type PairForm = 'lines' | 'commas';

export interface Pair {
  key: string;
  value: string;
}

/** Splits on unescaped commas, unescaping `\,` and `\\`. */
function splitCommas(line: string): string[] {
  const parts: string[] = [];
  let current = '';
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === '\\' && (line[i + 1] === ',' || line[i + 1] === '\\')) {
      current += line[++i];
    } else if (c === ',') {
      parts.push(current);
      current = '';
    } else current += c;
  }
  parts.push(current);
  return parts;
}

export function parsePairs(name: string, text: string | undefined): { pairs: Pair[]; form: PairForm } {
  const lines = (text ?? '')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  const form: PairForm = lines.length === 1 && /(^|[^\\]),/.test(lines[0]) ? 'commas' : 'lines';
  const items =
    form === 'commas'
      ? splitCommas(lines[0])
          .map((p) => p.trim())
          .filter(Boolean)
      : lines;
  const pairs = items.map((item) => {
    const eq = item.indexOf('=');
    if (eq <= 0)
      throw new InputError(
        name,
        `${quote(item.split('=')[0])} is not KEY=VALUE`,
        form === 'commas'
          ? 'on a single line, commas separate pairs (google-github-actions/deploy-cloudrun form): escape a comma inside a value as \\, or write one KEY=VALUE per line'
          : 'write one KEY=VALUE per line',
      );
    let value = item.slice(eq + 1).trim();
    if (form === 'commas' && value.length >= 2 && value.startsWith('"') && value.endsWith('"'))
      value = value.slice(1, -1);
    return { key: item.slice(0, eq).trim(), value };
  });
  return { pairs, form };
}

/** Reads a KEY=VALUE input's text; logs which form was read when that decided the meaning of a comma. */
export function readPairs(name: string, text: string | undefined, log: Pick<Logger, 'info'>): Pair[] {
  const { pairs, form } = parsePairs(name, text);
  const withComma = pairs.filter((p) => p.value.includes(',')).map((p) => p.key);
  if (form === 'commas' && pairs.length > 1)
    log.info(
      `${name}: read as a comma-separated list (${pairs.length} pairs, google-github-actions/deploy-cloudrun form)${withComma.length ? `; escaped commas kept in ${withComma.join(', ')}` : ''}`,
    );
  else if (withComma.length)
    log.info(
      `${name}: read one KEY=VALUE per line; the commas in ${withComma.join(', ')} stay part of the value (on a single line, commas would separate pairs)`,
    );
  return pairs;
}
