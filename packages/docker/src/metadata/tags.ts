import { InputError } from '@deploy-actions/toolkit';
import { branchOf, isDefaultBranch, type MetadataContext, tagOf } from './context';
import { expand } from './expressions';
import { type Flavor, type ImageName, regexFlags, regexSource, type TagRule } from './rules';
import { fillVersion, isWholeVersion, type ParsedVersion, parsePep440, parseSemver } from './versions';

/**
 * Tags from rules, the way docker/metadata-action computes them: rules in priority order, the first
 * value is the version (`main`), later ones partial tags, and `latest` when a release rule says so.
 * One deliberate difference: with `latest=auto`, a push to the repository's default branch is tagged
 * `latest` too, which is what most users expect (metadata-action #147, #171, #223).
 */

export interface TagResult {
  /** The highest-priority tag: the `version` output and the OCI version label. */
  version: string;
  /** Tags without image names, in order: main, partials, latest. */
  tags: string[];
  /** `image:tag` for every enabled image and tag. */
  refs: string[];
  latest: boolean;
  warnings: string[];
}

interface Version {
  main?: string;
  partial: string[];
  latest: boolean;
}

const MAX_TAG = 128;

/** Docker's tag grammar: [A-Za-z0-9_][A-Za-z0-9_.-]{0,127}; anything else becomes `-`, as in metadata-action. */
export function sanitizeTag(tag: string): string {
  return tag
    .replace(/[^a-zA-Z0-9._-]+/g, '-')
    .replace(/^[.-]+/, '')
    .slice(0, MAX_TAG);
}

export function computeTags(
  rules: TagRule[],
  flavor: Flavor,
  images: ImageName[],
  context: MetadataContext,
  input = 'tags',
): TagResult {
  const version: Version = { partial: [], latest: false };
  const warnings: string[] = [];
  const push = (value: string | undefined, rule: TagRule, latest = false) => {
    if (value === undefined) return;
    const tag = sanitizeTag(affix(value, rule, flavor, context, input));
    if (!tag) return;
    if (latest) version.latest = true;
    if (version.main === undefined) version.main = tag;
    else if (tag !== version.main && !version.partial.includes(tag)) version.partial.push(tag);
  };

  for (const rule of rules) {
    const exp = (text: string) => expand(text, context, input, rule.source, rule.attrs.tz);
    const enabled = exp(rule.attrs.enable).toLowerCase();
    if (enabled !== 'true' && enabled !== 'false')
      throw new InputError(input, `rule "${rule.source}" has enable=${enabled}`, 'enable must be true or false');
    if (enabled === 'false') continue;
    switch (rule.type) {
      case 'schedule':
        if (context.eventName === 'schedule') push(exp(rule.attrs.pattern), rule);
        break;
      case 'semver':
      case 'pep440': {
        const raw = releaseValue(rule, context, exp);
        if (raw === undefined) break;
        const parsed: ParsedVersion | undefined = rule.type === 'semver' ? parseSemver(raw) : parsePep440(raw);
        if (!parsed) {
          warnings.push(
            `${raw} is not a valid ${rule.type === 'semver' ? 'semantic version' : 'PEP 440 version'}: rule "${rule.source}" gives no tag`,
          );
          break;
        }
        // Pre-releases get only the whole version: 2.0.0-rc.1 must not move the `2` or `2.0` tags.
        const pattern = exp(rule.attrs.pattern);
        if (parsed.prerelease) push(fillVersion(isWholeVersion(pattern) ? pattern : '{{version}}', parsed), rule);
        else push(fillVersion(pattern, parsed), rule, true);
        break;
      }
      case 'match': {
        const raw = releaseValue(rule, context, exp);
        if (raw === undefined) break;
        const match = new RegExp(regexSource(rule.attrs.pattern), regexFlags(rule.attrs.pattern)).exec(raw);
        const group = match?.[Number(rule.attrs.group)];
        if (group) push(group, rule, true);
        break;
      }
      case 'edge': {
        const branch = rule.attrs.branch ? exp(rule.attrs.branch) : context.repository.defaultBranch;
        if (branch && branchOf(context.ref) === branch) push('edge', rule);
        break;
      }
      case 'ref':
        if (rule.attrs.event === 'branch') push(branchOf(context.ref), rule);
        else if (rule.attrs.event === 'tag') {
          const tag = tagOf(context.ref);
          if (tag !== undefined) push(tag, rule, true);
        } else if (context.prNumber !== undefined) push(String(context.prNumber), rule);
        break;
      case 'raw':
        push(exp(rule.attrs.value), rule);
        break;
      case 'sha':
        if (context.sha) push(rule.attrs.format === 'long' ? context.sha : context.sha.slice(0, 7), rule);
        break;
    }
  }

  const defaultBranchPush =
    isDefaultBranch(context) && !context.eventName.startsWith('pull_request') && context.eventName !== 'schedule';
  const latest =
    flavor.latest === 'true' ||
    (flavor.latest === 'auto' && (version.latest || (defaultBranchPush && version.main !== undefined)));
  const tags = [version.main, ...version.partial].filter((t): t is string => t !== undefined);
  if (latest) {
    const tag = `${flavor.prefixOnLatest ? flavor.prefix : ''}latest${flavor.suffixOnLatest ? flavor.suffix : ''}`;
    if (!tags.includes(tag)) tags.push(sanitizeTag(expand(tag, context, 'flavor', tag)));
  }
  const enabledImages = images.filter((image) => {
    const value = expand(image.enable, context, 'images', image.name).toLowerCase();
    if (value !== 'true' && value !== 'false')
      throw new InputError('images', `"${image.name}" has enable=${value}`, 'enable must be true or false');
    return value === 'true';
  });
  return {
    version: version.main ?? '',
    tags,
    refs: enabledImages.flatMap((image) => tags.map((tag) => `${image.name}:${tag}`)),
    latest,
    warnings,
  };
}

/** The version text a semver/pep440/match rule reads: its `value`, else the tag being built. */
function releaseValue(rule: TagRule, context: MetadataContext, exp: (text: string) => string): string | undefined {
  let raw = rule.attrs.value ? exp(rule.attrs.value) : tagOf(context.ref);
  if (!raw) return undefined;
  if (rule.type !== 'match' && rule.attrs.match) {
    const match = new RegExp(regexSource(rule.attrs.match), regexFlags(rule.attrs.match)).exec(raw);
    if (!match) return undefined;
    raw = match[1] ?? match[0];
  }
  return raw;
}

/** The rule's own prefix/suffix when it has one, else the flavor's. */
function affix(value: string, rule: TagRule, flavor: Flavor, context: MetadataContext, input: string): string {
  const exp = (text: string) => expand(text, context, input, rule.source, rule.attrs.tz);
  const prefix = rule.given.has('prefix') ? rule.attrs.prefix : flavor.prefix;
  const suffix = rule.given.has('suffix') ? rule.attrs.suffix : flavor.suffix;
  return `${exp(prefix ?? '')}${value}${exp(suffix ?? '')}`;
}
