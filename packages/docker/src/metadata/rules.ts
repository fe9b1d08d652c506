import { InputError } from '@deploy-actions/toolkit';
import { parse } from 'csv-parse/sync';

/**
 * The `tags`, `flavor` and `images` syntax of docker/metadata-action, parsed and checked up front so a typo
 * fails the step before anything is built, with the offending rule quoted. Each rule is one CSV line of
 * `key=value` attributes (csv-parse, so quoted values may hold commas, as in metadata-action); a line with
 * no `type=` is a raw value.
 */

export type RuleType = 'schedule' | 'semver' | 'pep440' | 'match' | 'edge' | 'ref' | 'raw' | 'sha';

export interface TagRule {
  type: RuleType;
  attrs: Record<string, string>;
  /** Attributes the user wrote, so a rule's own empty `prefix=` overrides the flavor's. */
  given: Set<string>;
  priority: number;
  /** The line as written, for error messages. */
  source: string;
}

const COMMON = ['enable', 'priority', 'prefix', 'suffix'];
const SPEC: Record<RuleType, { priority: number; attrs: string[]; defaults: Record<string, string> }> = {
  schedule: { priority: 1000, attrs: ['pattern', 'tz'], defaults: { pattern: 'nightly', tz: 'UTC' } },
  semver: { priority: 900, attrs: ['pattern', 'value', 'match'], defaults: {} },
  pep440: { priority: 900, attrs: ['pattern', 'value', 'match'], defaults: {} },
  match: { priority: 800, attrs: ['pattern', 'group', 'value'], defaults: { group: '0' } },
  edge: { priority: 700, attrs: ['branch'], defaults: {} },
  ref: { priority: 600, attrs: ['event'], defaults: {} },
  raw: { priority: 200, attrs: ['value'], defaults: {} },
  sha: { priority: 100, attrs: ['format'], defaults: { format: 'short', prefix: 'sha-' } },
};

/** metadata-action's default rules when `tags` is empty. */
export const DEFAULT_TAG_RULES = ['type=schedule', 'type=ref,event=branch', 'type=ref,event=tag', 'type=ref,event=pr'];

function fields(line: string, input: string): string[] {
  try {
    const rows = parse(line, { relax_column_count: true, skip_empty_lines: true, trim: true }) as string[][];
    return rows[0] ?? [];
  } catch (error) {
    throw new InputError(
      input,
      `cannot read "${line}" (${(error as Error).message})`,
      'write key=value pairs separated by commas',
    );
  }
}

function keyValues(line: string, input: string): Array<[string, string | undefined]> {
  return fields(line, input).map((field) => {
    const eq = field.indexOf('=');
    return eq < 0 ? [field, undefined] : [field.slice(0, eq).trim().toLowerCase(), field.slice(eq + 1).trim()];
  });
}

export function parseTagRule(line: string, input = 'tags'): TagRule {
  const bad = (problem: string, fix: string) => new InputError(input, `rule "${line}" ${problem}`, fix);
  let type: RuleType | undefined;
  const attrs: Record<string, string> = {};
  const given = new Set<string>();
  for (const [key, value] of keyValues(line, input)) {
    if (value === undefined) {
      attrs.value = key;
      given.add('value');
      continue;
    }
    if (key === 'type') {
      if (!(value in SPEC)) throw bad(`has an unknown type "${value}"`, `use one of ${Object.keys(SPEC).join(', ')}`);
      type = value as RuleType;
      continue;
    }
    attrs[key] = value;
    given.add(key);
  }
  if (!type && attrs.value && /[/:@]/.test(attrs.value))
    throw bad(
      'looks like a full image reference (build-push-action style)',
      'put the name in "images" and only tag rules here, e.g. type=raw,value=v1',
    );
  type ??= 'raw';
  const spec = SPEC[type];
  for (const key of given) {
    if (!COMMON.includes(key) && !spec.attrs.includes(key)) {
      throw bad(
        `has an attribute "${key}" that type=${type} does not take`,
        `use ${[...spec.attrs, ...COMMON].join(', ')}`,
      );
    }
  }
  for (const [key, value] of Object.entries(spec.defaults)) if (!given.has(key)) attrs[key] = value;
  // `sha-` and `pr-` are the rules' own prefixes (as in metadata-action), so the flavor's does not stack on them.
  if (type === 'ref' && attrs.event === 'pr' && !given.has('prefix')) attrs.prefix = 'pr-';
  if ('prefix' in attrs) given.add('prefix');

  if ((type === 'semver' || type === 'pep440' || type === 'match') && !attrs.pattern)
    throw bad(
      'has no pattern',
      `add pattern=..., e.g. type=${type},pattern=${type === 'match' ? '\\d.\\d.\\d' : '{{version}}'}`,
    );
  if (type === 'raw' && !attrs.value) throw bad('has no value', 'add value=..., e.g. type=raw,value=stable');
  if (type === 'ref' && !['branch', 'tag', 'pr'].includes(attrs.event ?? ''))
    throw bad('needs event=branch, event=tag or event=pr', 'add one of them, e.g. type=ref,event=branch');
  if (type === 'sha' && !['short', 'long'].includes(attrs.format))
    throw bad(`has format "${attrs.format}"`, 'use format=short or format=long');
  if (type === 'match' && !/^\d+$/.test(attrs.group))
    throw bad('has a group that is not a number', 'use group=0, 1, ...');
  if (type === 'match') {
    try {
      new RegExp(regexSource(attrs.pattern));
    } catch {
      throw bad('has a pattern that is not a regular expression', 'fix the pattern');
    }
  }
  let priority = spec.priority;
  if (given.has('priority')) {
    if (!/^-?\d+$/.test(attrs.priority))
      throw bad('has a priority that is not a whole number', 'use e.g. priority=500');
    priority = Number(attrs.priority);
  }
  attrs.enable ??= 'true';
  return { type, attrs, given, priority, source: line };
}

/** A `match` pattern may be written `/regex/flags`, as in metadata-action. */
export function regexSource(pattern: string): string {
  return /^\/(.+)\/([a-z]*)$/.exec(pattern)?.[1] ?? pattern;
}

export function regexFlags(pattern: string): string {
  return /^\/(.+)\/([a-z]*)$/.exec(pattern)?.[2] ?? '';
}

/** Rules sorted by priority, highest first (stable for equal priorities). */
export function parseTagRules(lines: string[], input = 'tags'): TagRule[] {
  const rules = (lines.length ? lines : DEFAULT_TAG_RULES).map((line) => parseTagRule(line, input));
  return rules
    .map((rule, index) => ({ rule, index }))
    .sort((a, b) => b.rule.priority - a.rule.priority || a.index - b.index)
    .map((r) => r.rule);
}

export interface Flavor {
  latest: 'auto' | 'true' | 'false';
  prefix: string;
  prefixOnLatest: boolean;
  suffix: string;
  suffixOnLatest: boolean;
}

export function parseFlavor(lines: string[], input = 'flavor'): Flavor {
  const flavor: Flavor = { latest: 'auto', prefix: '', prefixOnLatest: false, suffix: '', suffixOnLatest: false };
  for (const line of lines) {
    let last: 'prefix' | 'suffix' | undefined;
    for (const [key, value] of keyValues(line, input)) {
      if (value === undefined)
        throw new InputError(
          input,
          `"${line}" has "${key}" without a value`,
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
        if (!last)
          throw new InputError(
            input,
            `"${line}" has onlatest without a prefix or suffix`,
            'write it after prefix=... or suffix=... on the same line',
          );
        if (!['true', 'false'].includes(value))
          throw new InputError(input, `onlatest=${value} is not a boolean`, 'use onlatest=true or onlatest=false');
        flavor[last === 'prefix' ? 'prefixOnLatest' : 'suffixOnLatest'] = value === 'true';
      } else {
        throw new InputError(input, `"${line}" has an unknown key "${key}"`, 'use latest, prefix, suffix and onlatest');
      }
    }
  }
  return flavor;
}

export interface ImageName {
  name: string;
  enable: string;
}

// A Docker reference name: optional registry host[:port], then lowercase path components.
const NAME =
  /^(?:[a-z0-9.-]+(?::\d+)?\/)?[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/;

/**
 * `images`: names one per line or comma-separated, or metadata-action's `name=...,enable=...` lines.
 * Names are lowercased (as metadata-action does); a name that is still not a valid reference is an error.
 */
export function parseImages(text: string | undefined, input = 'images'): ImageName[] {
  const images: ImageName[] = [];
  for (const line of (text ?? '')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean)) {
    const entries: ImageName[] = [];
    if (/(^|,)\s*name=/.test(line)) {
      const attrs = Object.fromEntries(keyValues(line, input).map(([k, v]) => [k, v ?? '']));
      for (const key of Object.keys(attrs))
        if (key !== 'name' && key !== 'enable')
          throw new InputError(input, `"${line}" has an unknown key "${key}"`, 'use name=... and enable=...');
      entries.push({ name: attrs.name ?? '', enable: attrs.enable ?? 'true' });
    } else {
      for (const name of line
        .split(',')
        .map((n) => n.trim())
        .filter(Boolean))
        entries.push({ name, enable: 'true' });
    }
    for (const entry of entries) {
      const name = entry.name.toLowerCase();
      // A colon in the last path component is a tag (one before a slash is a registry port).
      if (/:[^/]*$/.test(name) || name.includes('@'))
        throw new InputError(
          input,
          `"${entry.name}" has a tag or digest`,
          'give the name only (tags come from the "tags" rules)',
        );
      if (!NAME.test(name))
        throw new InputError(
          input,
          `"${entry.name}" is not a valid image name`,
          'use e.g. ghcr.io/owner/app or 127.0.0.1:5000/app',
        );
      images.push({ name, enable: entry.enable });
    }
  }
  return images;
}
