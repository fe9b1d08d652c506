import { InputError } from '@deploy-actions/toolkit';
import { parse } from 'csv-parse/sync';

/**
 * The `tags`, `flavor` and `images` syntax of docker/metadata-action (its src/tag.ts, flavor.ts and
 * image.ts, Apache-2.0), parsed the same way and checked up front so a typo fails the step before
 * anything is built, with the offending line quoted. Each rule is one CSV line of `key=value` attributes
 * (csv-parse, so quoted values may hold commas); a field without `=` is the rule's value.
 */

export type RuleType = 'schedule' | 'semver' | 'pep440' | 'match' | 'edge' | 'ref' | 'raw' | 'sha';

export interface TagRule {
  type: RuleType;
  /** The attributes with metadata-action's defaults filled in (priority and enable as text, as there). */
  attrs: Record<string, string>;
  priority: number;
  /** The line as written, for error messages. */
  source: string;
}

export const DEFAULT_PRIORITIES: Record<RuleType, string> = {
  schedule: '1000',
  semver: '900',
  pep440: '900',
  match: '800',
  edge: '700',
  ref: '600',
  raw: '200',
  sha: '100',
};

/** metadata-action's default rules when `tags` is empty. */
export const DEFAULT_TAG_RULES = ['type=schedule', 'type=ref,event=branch', 'type=ref,event=tag', 'type=ref,event=pr'];

/**
 * Input lines as metadata-action reads them (`getInputList` with `comment: '#'`): one entry a line,
 * blank lines and lines starting with `#` dropped; a `#` inside a value (`foo#bar`) is kept.
 */
export function inputLines(text: string | undefined): string[] {
  return (text ?? '')
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line.length > 0 && !line.startsWith('#'));
}

function fields(line: string, input: string): string[] {
  try {
    const rows = parse(line, { relax_column_count: true, skip_empty_lines: true }) as string[][];
    return (rows[0] ?? []).map(String);
  } catch (error) {
    const reason = ((error as Error).message.split('\n')[0] ?? '').replace(/^Invalid Record Length: /, '');
    throw new InputError(input, `cannot read "${line}" (${reason})`, 'write key=value pairs separated by commas');
  }
}

/** `key=value` split at the first `=`, both trimmed, the key lowercased; a field without `=` has no key. */
function keyValue(field: string): [string | undefined, string] {
  const eq = field.indexOf('=');
  if (eq <= 0) return [undefined, field.trim()];
  return [field.slice(0, eq).trim().toLowerCase(), field.slice(eq + 1).trim()];
}

const has = (attrs: Record<string, string>, key: string) => Object.hasOwn(attrs, key);

export function parseTagRule(line: string, input = 'tags'): TagRule {
  const bad = (problem: string, fix: string) => new InputError(input, `rule "${line}" ${problem}`, fix);
  let type: RuleType | undefined;
  const attrs: Record<string, string> = Object.create(null);
  for (const field of fields(line, input)) {
    const [key, value] = keyValue(field);
    if (key === undefined) attrs.value = value;
    else if (key === 'type') {
      if (!has(DEFAULT_PRIORITIES, value))
        throw bad(`has an unknown type "${value}"`, `use one of ${Object.keys(DEFAULT_PRIORITIES).join(', ')}`);
      type = value as RuleType;
    } else if (key === '__proto__' || key === 'constructor' || key === 'prototype')
      throw bad(`has an attribute "${key}" that no rule takes`, 'remove it');
    else attrs[key] = value;
  }
  type ??= 'raw';

  switch (type) {
    case 'schedule':
      if (!has(attrs, 'pattern')) attrs.pattern = 'nightly';
      break;
    case 'semver':
    case 'pep440':
      if (!has(attrs, 'pattern')) throw bad('has no pattern', `add pattern=..., e.g. type=${type},pattern={{version}}`);
      if (!has(attrs, 'value')) attrs.value = '';
      if (!has(attrs, 'match')) attrs.match = '';
      break;
    case 'match':
      if (!has(attrs, 'pattern')) throw bad('has no pattern', 'add pattern=..., e.g. type=match,pattern=\\d.\\d.\\d');
      if (!has(attrs, 'group')) attrs.group = '0';
      if (!/^\d+$/.test(attrs.group)) throw bad('has a group that is not a number', 'use group=0, 1, ...');
      if (!has(attrs, 'value')) attrs.value = '';
      break;
    case 'edge':
      if (!has(attrs, 'branch')) attrs.branch = '';
      break;
    case 'ref':
      if (!has(attrs, 'event'))
        throw bad('needs event=branch, event=tag or event=pr', 'add one of them, e.g. type=ref,event=branch');
      if (!['branch', 'tag', 'pr'].includes(attrs.event))
        throw bad(`has event=${attrs.event}`, 'use event=branch, event=tag or event=pr');
      if (attrs.event === 'pr' && !has(attrs, 'prefix')) attrs.prefix = 'pr-';
      break;
    case 'raw':
      if (!has(attrs, 'value')) throw bad('has no value', 'add value=..., e.g. type=raw,value=stable');
      break;
    case 'sha':
      if (!has(attrs, 'prefix')) attrs.prefix = 'sha-';
      if (!has(attrs, 'format')) attrs.format = 'short';
      if (!['short', 'long'].includes(attrs.format))
        throw bad(`has format "${attrs.format}"`, 'use format=short or format=long');
      break;
  }
  if (!has(attrs, 'enable')) attrs.enable = 'true';
  if (!has(attrs, 'priority')) attrs.priority = DEFAULT_PRIORITIES[type];
  if (!/^-?\d+$/.test(attrs.priority)) throw bad('has a priority that is not a whole number', 'use e.g. priority=500');
  return { type, attrs: { ...attrs }, priority: Number(attrs.priority), source: line };
}

/** Rules sorted by priority, highest first (stable for equal priorities, as Array.prototype.sort is). */
export function parseTagRules(lines: string[], input = 'tags'): TagRule[] {
  const rules = (lines.length ? lines : DEFAULT_TAG_RULES).map((line) => parseTagRule(line, input));
  return rules.sort((a, b) => b.priority - a.priority);
}

/** A `match` pattern may be written `/regex/flags`, as in metadata-action. */
export function splitRegex(pattern: string): { source: string; flags: string } {
  const literal = /^\/(.+)\/(.*)$/.exec(pattern);
  return literal ? { source: literal[1], flags: literal[2] } : { source: pattern, flags: '' };
}

export interface Flavor {
  latest: 'auto' | 'true' | 'false';
  prefix: string;
  prefixLatest: boolean;
  suffix: string;
  suffixLatest: boolean;
}

export function parseFlavor(lines: string[], input = 'flavor'): Flavor {
  const flavor: Flavor = { latest: 'auto', prefix: '', prefixLatest: false, suffix: '', suffixLatest: false };
  for (const line of lines) {
    let last: 'prefix' | 'suffix' | undefined;
    for (const field of fields(line, input)) {
      const [key, value] = keyValue(field);
      if (key === undefined)
        throw new InputError(
          input,
          `"${line}" has "${value}" without a value`,
          'write latest=auto|true|false, prefix=..., suffix=...',
        );
      if (key === 'latest') {
        if (!['auto', 'true', 'false'].includes(value))
          throw new InputError(
            input,
            `latest=${value} is not a choice`,
            'use latest=auto, latest=true or latest=false',
          );
        flavor.latest = value as Flavor['latest'];
      } else if (key === 'prefix' || key === 'suffix') {
        flavor[key] = value;
        last = key;
      } else if (key === 'onlatest') {
        if (!['true', 'false'].includes(value))
          throw new InputError(input, `onlatest=${value} is not a boolean`, 'use onlatest=true or onlatest=false');
        if (last) flavor[last === 'prefix' ? 'prefixLatest' : 'suffixLatest'] = value === 'true';
      } else {
        throw new InputError(input, `"${line}" has an unknown key "${key}"`, 'use latest, prefix, suffix and onlatest');
      }
    }
  }
  return flavor;
}

export interface ImageName {
  name: string;
  enable: boolean;
}

/**
 * `images`: one name a line, or a single line of comma-separated names, or metadata-action's
 * `name=...,enable=...` lines (also `name,enable=false`). Names are kept as written here; the caller
 * lowercases and checks them against the reference grammar.
 */
export function parseImages(lines: string[], input = 'images'): ImageName[] {
  if (lines.length === 1) {
    const names = fields(lines[0], input).map((f) => f.trim());
    if (names.every((f) => !f.includes('='))) return names.filter(Boolean).map((name) => ({ name, enable: true }));
  }
  return lines.map((line) => {
    const image: ImageName = { name: '', enable: true };
    let named = 0;
    for (const field of fields(line, input)) {
      const [key, value] = keyValue(field);
      if (key === undefined || key === 'name') {
        image.name = value;
        named++;
      } else if (key === 'enable') {
        if (!['true', 'false'].includes(value))
          throw new InputError(input, `"${line}" has enable=${value}`, 'use enable=true or enable=false');
        image.enable = value === 'true';
      } else throw new InputError(input, `"${line}" has an unknown key "${key}"`, 'use name=... and enable=...');
    }
    if (named > 1) throw new InputError(input, `"${line}" names more than one image`, 'give one image a line');
    if (!image.name) throw new InputError(input, `"${line}" has an empty name`, 'write name=ghcr.io/owner/app');
    return image;
  });
}

export interface MetadataInputs {
  images: string[];
  tags: string[];
  flavor: string[];
  labels: string[];
  annotations: string[];
  sepTags: string;
  sepLabels: string;
  sepAnnotations: string;
}

/**
 * metadata-action's inputs, read the way it reads them: lists one entry a line with `#` comment lines
 * dropped, separators untrimmed (a single space is a valid separator) and defaulting to a newline.
 */
export function readMetadataInputs(get: (name: string) => string | undefined): MetadataInputs {
  const sep = (name: string) => {
    const value = get(name);
    return value === undefined || value === '' ? '\n' : value;
  };
  return {
    images: inputLines(get('images')),
    tags: inputLines(get('tags')),
    flavor: inputLines(get('flavor')),
    labels: inputLines(get('labels')),
    annotations: inputLines(get('annotations')),
    sepTags: sep('sep-tags'),
    sepLabels: sep('sep-labels'),
    sepAnnotations: sep('sep-annotations'),
  };
}
