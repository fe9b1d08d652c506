import { InputError, UserError } from '@deploy-actions/toolkit';
import pep440 from '@renovatebot/pep440';
import Handlebars from 'handlebars';
import semver from 'semver';
import type { MetadataContext, RepositoryInfo } from './context';
import {
  type Flavor,
  type ImageName,
  parseFlavor,
  parseImages,
  parseTagRules,
  splitRegex,
  type TagRule,
} from './rules';
import { boundedMatch } from './safe-match';

/**
 * Tags, labels and annotations computed as docker/metadata-action computes them (a port of its
 * src/meta.ts, Apache-2.0), so moving over does not change a single tag: rules run in priority order, the
 * first value is the version (`main`), later ones are partial tags, and `latest` is decided by the rule
 * that produced the first tag. Templates are Handlebars, as there, and dates are formatted by
 * moment-timezone (loaded only when a template has `{{date}}` or `{{commit_date}}`, since its zone data
 * is most of its size).
 *
 * Differences, each an error where metadata-action is silent: an unknown `{{name}}`, an unknown `tz=`
 * zone and a `type=match` pattern that takes too long. The one behaviour metadata-action does not have,
 * `latest` on every default-branch push, is opt-in (`latestOnDefaultBranch`).
 */

export interface MetaInputs {
  images: string[];
  tags: string[];
  flavor: string[];
  labels: string[];
  annotations: string[];
}

export interface Version {
  main: string | undefined;
  partial: string[];
  latest: boolean | undefined;
}

export interface MetaOptions {
  /** When the build happens: the `created` label and `{{date}}`. */
  now?: Date;
  /** moment-timezone, needed when a template formats a date (see loadMoment). */
  moment?: MomentLike;
  /** DOCKER_METADATA_SHORT_SHA_LENGTH. */
  shortShaLength?: string;
  /** Tag `latest` on every push to the default branch (with flavor latest=auto). Not metadata-action's default. */
  latestOnDefaultBranch?: boolean;
  /** Longest a `type=match` (or `match=`) pattern may run on one value. */
  matchTimeoutMs?: number;
}

export type MomentLike = typeof import('moment-timezone');

const DEFAULT_SHORT_SHA_LENGTH = 7;

const GLOBAL_HELPERS = [
  'branch',
  'tag',
  'sha',
  'base_ref',
  'commit_date',
  'is_default_branch',
  'is_not_default_branch',
  'date',
];
const DATE_HELPERS = ['date', 'commit_date'];
const SEMVER_FIELDS = ['raw', 'version', 'major', 'minor', 'patch', 'prerelease', 'build', 'loose', 'options'];
const PEP440_FIELDS = ['raw', 'version', 'major', 'minor', 'patch'];
const BUILTINS = ['if', 'unless', 'each', 'with', 'lookup', 'log'];

/** Whether any of these templates formats a date, so moment-timezone must be loaded first. */
export function needsMoment(texts: string[]): boolean {
  return texts.some((text) => /\{\{[~#^/\s]*(date|commit_date)\b/.test(text));
}

export async function loadMoment(): Promise<MomentLike> {
  const module = (await import('moment-timezone')) as unknown as { default?: MomentLike } & MomentLike;
  return module.default ?? module;
}

export class Meta {
  readonly version: Version;
  readonly warnings: string[] = [];
  readonly images: ImageName[];
  readonly tags: TagRule[];
  readonly flavor: Flavor;
  private readonly date: Date;
  private readonly shortShaLength: number;

  constructor(
    private readonly inputs: MetaInputs,
    private readonly context: MetadataContext,
    private readonly repo: RepositoryInfo,
    private readonly options: MetaOptions = {},
  ) {
    this.images = parseImages(inputs.images);
    this.tags = parseTagRules(inputs.tags);
    this.flavor = parseFlavor(inputs.flavor);
    this.date = options.now ?? new Date();
    this.shortShaLength = parseShortShaLength(options.shortShaLength);
    this.version = this.computeVersion();
  }

  private computeVersion(): Version {
    let version: Version = { main: undefined, partial: [], latest: undefined };
    for (const tag of this.tags) {
      const enabled = this.globalExp(tag.attrs.enable, tag, 'tags');
      if (!['true', 'false'].includes(enabled))
        throw new InputError('tags', `rule "${tag.source}" has enable=${enabled}`, 'enable must be true or false');
      if (enabled !== 'true') continue;
      switch (tag.type) {
        case 'schedule':
          version = this.procSchedule(version, tag);
          break;
        case 'semver':
          version = this.procSemver(version, tag);
          break;
        case 'pep440':
          version = this.procPep440(version, tag);
          break;
        case 'match':
          version = this.procMatch(version, tag);
          break;
        case 'ref':
          if (tag.attrs.event === 'branch') version = this.procRefBranch(version, tag);
          else if (tag.attrs.event === 'tag') version = this.procRefTag(version, tag);
          else version = this.procRefPr(version, tag);
          break;
        case 'edge':
          version = this.procEdge(version, tag);
          break;
        case 'raw':
          version = this.setVersion(
            version,
            this.setValue(this.globalExp(tag.attrs.value, tag, 'tags'), tag),
            this.latestFor(false),
          );
          break;
        case 'sha':
          if (this.context.sha) {
            const sha = tag.attrs.format === 'short' ? this.shortSha(this.context.sha) : this.context.sha;
            version = this.setVersion(version, this.setValue(sha, tag), this.latestFor(false));
          }
          break;
      }
    }
    version.partial = version.partial.filter((item, index) => version.partial.indexOf(item) === index);
    if (version.latest === undefined) version.latest = false;
    if (
      this.options.latestOnDefaultBranch &&
      this.flavor.latest === 'auto' &&
      version.main !== undefined &&
      this.isDefaultBranch() === 'true' &&
      /^refs\/heads\//.test(this.context.ref) &&
      !/pull_request|schedule/.test(this.context.eventName)
    )
      version.latest = true;
    return version;
  }

  /** `latest` as the flavor decides it, given what the rule itself would say under latest=auto. */
  private latestFor(auto: boolean): boolean {
    return this.flavor.latest === 'auto' ? auto : this.flavor.latest === 'true';
  }

  private procSchedule(version: Version, tag: TagRule): Version {
    if (!/schedule/.test(this.context.eventName)) return version;
    const helpers = { date: this.dateHelper(this.date), commit_date: this.dateHelper(this.context.commitDate) };
    const value = this.render(tag.attrs.pattern, helpers, DATE_HELPERS, tag, 'tags');
    return this.setVersion(version, this.setValue(value, tag), this.latestFor(false));
  }

  /** The text a semver/pep440/match rule reads: its `value`, else the tag being built; undefined to skip. */
  private releaseValue(tag: TagRule): string | undefined {
    if (!/^refs\/tags\//.test(this.context.ref) && tag.attrs.value.length === 0) return undefined;
    if (tag.attrs.value.length > 0) return this.globalExp(tag.attrs.value, tag, 'tags');
    return this.context.ref.replace(/^refs\/tags\//g, '');
  }

  /** `match=`: the first group when the pattern matches; the whole value (with a warning) when it does not. */
  private applyMatch(raw: string, tag: TagRule): string {
    if (tag.attrs.match.length === 0) return raw;
    const found = boundedMatch(tag.attrs.match, '', raw, tag.source, this.options.matchTimeoutMs);
    if (!found) {
      this.warnings.push(`${tag.attrs.match} does not match ${raw}.`);
      return raw;
    }
    return found[1] ?? found[0] ?? raw;
  }

  private procSemver(version: Version, tag: TagRule): Version {
    let raw = this.releaseValue(tag);
    if (raw === undefined) return version;
    raw = this.applyMatch(raw, tag).replace(/\//g, '-');
    if (!semver.valid(raw)) {
      this.warnings.push(`${raw} is not a valid semver. More info: https://semver.org/`);
      return version;
    }
    const parsed = semver.parse(raw, { loose: true }) as semver.SemVer;
    let value: string;
    let latest = false;
    if (semver.prerelease(raw)) {
      const pattern = isRawStatement(tag.attrs.pattern) ? tag.attrs.pattern : '{{version}}';
      value = this.setValue(this.render(pattern, parsed, SEMVER_FIELDS, tag, 'tags'), tag);
    } else {
      value = this.setValue(this.render(tag.attrs.pattern, parsed, SEMVER_FIELDS, tag, 'tags'), tag);
      latest = true;
    }
    return this.setVersion(version, value, this.latestFor(latest));
  }

  private procPep440(version: Version, tag: TagRule): Version {
    let raw = this.releaseValue(tag);
    if (raw === undefined) return version;
    raw = this.applyMatch(raw, tag).replace(/\//g, '-');
    if (!pep440.valid(raw)) {
      this.warnings.push(`${raw} does not conform to PEP 440. More info: https://www.python.org/dev/peps/pep-0440`);
      return version;
    }
    const explained = pep440.explain(raw);
    const release = raw;
    let value: string;
    let latest = false;
    // Pre-, post- and dev-releases get only the whole version: 1.2post1 must not move `1.2`, `1` or `latest`.
    if (explained?.is_prerelease || explained?.is_postrelease || explained?.is_devrelease) {
      value = this.setValue(isRawStatement(tag.attrs.pattern) ? raw : (pep440.clean(raw) ?? raw), tag);
    } else {
      const fields = {
        raw: () => release,
        version: () => pep440.clean(release),
        major: () => pep440.major(release),
        minor: () => pep440.minor(release),
        patch: () => pep440.patch(release),
      };
      value = this.setValue(this.render(tag.attrs.pattern, fields, PEP440_FIELDS, tag, 'tags'), tag);
      latest = true;
    }
    return this.setVersion(version, value, this.latestFor(latest));
  }

  private procMatch(version: Version, tag: TagRule): Version {
    const raw = this.releaseValue(tag);
    if (raw === undefined) return version;
    const { source, flags } = splitRegex(tag.attrs.pattern);
    const found = boundedMatch(source, flags, raw, tag.source, this.options.matchTimeoutMs);
    if (!found) {
      this.warnings.push(`${tag.attrs.pattern} does not match ${raw}.`);
      return version;
    }
    const group = found[Number(tag.attrs.group)];
    if (group === undefined) {
      this.warnings.push(`Group ${tag.attrs.group} does not exist for ${tag.attrs.pattern} pattern.`);
      return version;
    }
    return this.setVersion(version, this.setValue(group, tag), this.latestFor(true));
  }

  private procRefBranch(version: Version, tag: TagRule): Version {
    if (!/^refs\/heads\//.test(this.context.ref)) return version;
    const value = this.setValue(this.context.ref.replace(/^refs\/heads\//g, ''), tag);
    return this.setVersion(version, value, this.latestFor(false));
  }

  private procRefTag(version: Version, tag: TagRule): Version {
    if (!/^refs\/tags\//.test(this.context.ref)) return version;
    const value = this.setValue(this.context.ref.replace(/^refs\/tags\//g, ''), tag);
    return this.setVersion(version, value, this.latestFor(true));
  }

  private procRefPr(version: Version, tag: TagRule): Version {
    if (!/^refs\/pull\//.test(this.context.ref)) return version;
    const pr = this.context.ref.replace(/^refs\/pull\//g, '').replace(/\/merge$/g, '');
    return this.setVersion(version, this.setValue(pr, tag), this.latestFor(false));
  }

  private procEdge(version: Version, tag: TagRule): Version {
    if (!/^refs\/heads\//.test(this.context.ref)) return version;
    const branch = this.context.ref.replace(/^refs\/heads\//g, '');
    if ((tag.attrs.branch || this.repo.default_branch) !== branch) return version;
    return this.setVersion(version, this.setValue('edge', tag), this.latestFor(false));
  }

  private setVersion(version: Version, value: string, latest: boolean): Version {
    if (value.length === 0) return version;
    const tag = sanitizeTag(value);
    if (version.main === undefined) version.main = tag;
    else if (tag !== version.main) version.partial.push(tag);
    if (version.latest === undefined) version.latest = latest;
    return version;
  }

  /** The rule's own prefix/suffix when it has one (even empty), else the flavor's. */
  private setValue(value: string, tag: TagRule): string {
    let result = value;
    if (Object.hasOwn(tag.attrs, 'prefix')) result = `${this.globalExp(tag.attrs.prefix, tag, 'tags')}${result}`;
    else if (this.flavor.prefix.length > 0) result = `${this.globalExp(this.flavor.prefix, tag, 'flavor')}${result}`;
    if (Object.hasOwn(tag.attrs, 'suffix')) result = `${result}${this.globalExp(tag.attrs.suffix, tag, 'tags')}`;
    else if (this.flavor.suffix.length > 0) result = `${result}${this.globalExp(this.flavor.suffix, tag, 'flavor')}`;
    return result;
  }

  private isDefaultBranch(): 'true' | 'false' {
    const { ref, eventName, payload } = this.context;
    const branch = ref.replace(/^refs\/heads\//g, '');
    if (!branch) return 'false';
    if (payload.repository?.default_branch === branch) return 'true';
    // These events always run for the last commit of the default branch.
    if (/create|discussion|issues|schedule/.test(eventName)) return 'true';
    return 'false';
  }

  private globalHelpers(): Record<string, unknown> {
    const { ref, sha, payload } = this.context;
    return {
      branch: () => (/^refs\/heads\//.test(ref) ? ref.replace(/^refs\/heads\//g, '') : ''),
      tag: () => (/^refs\/tags\//.test(ref) ? ref.replace(/^refs\/tags\//g, '') : ''),
      sha: () => this.shortSha(sha),
      base_ref: () => {
        if (/^refs\/tags\//.test(ref) && typeof payload.base_ref === 'string')
          return payload.base_ref.replace(/^refs\/heads\//g, '');
        if (/^refs\/pull\//.test(ref) && payload.pull_request?.base?.ref !== undefined)
          return payload.pull_request.base.ref;
        return '';
      },
      commit_date: this.dateHelper(this.context.commitDate),
      is_default_branch: () => this.isDefaultBranch(),
      is_not_default_branch: () => (this.isDefaultBranch() === 'false' ? 'true' : 'false'),
      date: this.dateHelper(this.date),
    };
  }

  private globalExp(text: string, tag: TagRule | undefined, input: string): string {
    return this.render(text, this.globalHelpers(), GLOBAL_HELPERS, tag, input);
  }

  private dateHelper(date: Date) {
    const moment = this.options.moment;
    return (format: unknown, options: { hash?: Record<string, unknown> } | undefined) => {
      // Called as {{date}} without a format, handlebars passes the options object first.
      const hash = (options ?? (format as typeof options))?.hash ?? {};
      let tz = 'UTC';
      for (const [key, value] of Object.entries(hash)) {
        if (key !== 'tz') throw new TemplateError(`has an unknown ${key}= attribute in a date`, "use tz='Zone'");
        tz = String(value);
      }
      if (!moment) throw new Error('moment-timezone was not loaded for a date template (see needsMoment)');
      if (!moment.tz.zone(tz))
        throw new TemplateError(`has an unknown time zone "${tz}"`, 'use an IANA zone such as UTC or Europe/Paris');
      return moment(date)
        .tz(tz)
        .format(typeof format === 'string' ? format : undefined);
    };
  }

  /** Renders a Handlebars template with the given helpers, refusing names it does not know. */
  private render(text: string, data: object, known: string[], tag: TagRule | undefined, input: string): string {
    const where = tag ? `rule "${tag.source}"` : `"${text}"`;
    let ast: hbs.AST.Program;
    try {
      ast = Handlebars.parseWithoutProcessing(text);
    } catch (error) {
      throw new InputError(
        input,
        `${where} is not a valid template (${(error as Error).message.split('\n')[0]})`,
        'write expressions as {{name}}',
      );
    }
    const unknown = unknownNames(ast, known);
    if (unknown)
      throw new InputError(
        input,
        `${where} uses an unknown expression {{${unknown}}}`,
        `use ${known.map((k) => `{{${k}}}`).join(', ')}`,
      );
    try {
      return Handlebars.compile(text)(data);
    } catch (error) {
      if (error instanceof TemplateError) throw new InputError(input, `${where} ${error.problem}`, error.fix);
      throw error;
    }
  }

  private shortSha(sha: string): string {
    return this.shortShaLength >= sha.length ? sha : sha.substring(0, this.shortShaLength);
  }

  imageNames(): string[] {
    return this.images.filter((image) => image.enable).map((image) => image.name.toLowerCase());
  }

  /** `image:tag` for every enabled image, or the tag names alone when there are no images (or `namesOnly`). */
  getTags(namesOnly = false): string[] {
    const main = this.version.main;
    if (!main) return [];
    if (namesOnly) return this.generateTags(main);
    const images = this.imageNames();
    if (!images.length) return this.generateTags(main);
    return images.flatMap((image) => this.generateTags(main, image));
  }

  private generateTags(main: string, image?: string): string[] {
    const prefix = image ? `${image}:` : '';
    const tags = [`${prefix}${main}`, ...this.version.partial.map((partial) => `${prefix}${partial}`)];
    if (this.version.latest) {
      const latest = `${this.flavor.prefixLatest ? this.flavor.prefix : ''}latest${this.flavor.suffixLatest ? this.flavor.suffix : ''}`;
      tags.push(`${prefix}${sanitizeTag(latest)}`);
    }
    return tags;
  }

  getLabels(): string[] {
    return this.ociWithCustoms(this.inputs.labels, 'labels');
  }

  getAnnotations(): string[] {
    return this.ociWithCustoms(this.inputs.annotations, 'annotations');
  }

  /** The standard OCI keys, then the user's lines (expanded), later keys winning; lines without `=` are dropped. */
  private ociWithCustoms(extra: string[], input: string): string[] {
    const repo = this.repo;
    const lines = [
      `org.opencontainers.image.title=${repo.name || ''}`,
      `org.opencontainers.image.description=${repo.description || ''}`,
      `org.opencontainers.image.url=${repo.html_url || ''}`,
      `org.opencontainers.image.source=${repo.html_url || ''}`,
      `org.opencontainers.image.version=${this.version.main || ''}`,
      `org.opencontainers.image.created=${this.date.toISOString()}`,
      `org.opencontainers.image.revision=${this.context.sha || ''}`,
      `org.opencontainers.image.licenses=${repo.license?.spdx_id || ''}`,
    ];
    for (const line of extra) {
      const expanded = this.globalExp(line, undefined, input);
      if (!expanded.includes('=')) this.warnings.push(`${input}: "${line}" has no "=" and is ignored`);
      lines.push(expanded);
    }
    const map = new Map<string, string>();
    for (const line of lines) {
      const [key, ...values] = line.split('=');
      if (values.length > 0) map.set(key, values.join('='));
    }
    return [...map].sort((a, b) => a[0].localeCompare(b[0])).map(([key, value]) => `${key}=${value}`);
  }

  /** metadata-action's `json` output. */
  getJSON(levels: string[]): {
    tags: string[];
    'tag-names': string[];
    labels: Record<string, string>;
    annotations: string[];
  } {
    const annotations = levels.flatMap((level) => this.getAnnotations().map((a) => `${level}:${a}`));
    return { tags: this.getTags(), 'tag-names': this.getTags(true), labels: this.labelMap(), annotations };
  }
  private labelMap(): Record<string, string> {
    const labels: Record<string, string> = {};
    for (const label of this.getLabels()) {
      const match = /([^=]*)=(.*)/.exec(label);
      if (match) labels[match[1]] = match[2];
    }
    return labels;
  }

  /**
   * metadata-action's bake definitions: `tags`, `labels`, `annotations:LEVELS`, or (no kind) tags and
   * labels together, for `docker buildx bake --file`.
   */
  bakeDefinition(kind?: string, target = 'docker-metadata-action'): { target: Record<string, unknown> } {
    const args = { DOCKER_META_IMAGES: this.imageNames().join(','), DOCKER_META_VERSION: this.version.main };
    let definition: Record<string, unknown>;
    if (kind === undefined) definition = { tags: this.getTags(), labels: this.labelMap(), args };
    else if (kind === 'tags') definition = { tags: this.getTags(), args };
    else if (kind === 'labels') definition = { labels: this.labelMap() };
    else if (kind.startsWith('annotations:'))
      definition = {
        annotations: kind
          .slice('annotations:'.length)
          .split(',')
          .flatMap((level) => this.getAnnotations().map((a) => `${level}:${a}`)),
      };
    else throw new Error(`unknown bake definition kind ${kind}`);
    return JSON.parse(JSON.stringify({ target: { [target]: definition } }));
  }
}

class TemplateError extends Error {
  constructor(
    readonly problem: string,
    readonly fix: string,
  ) {
    super(problem);
  }
}

function parseShortShaLength(value: string | undefined): number {
  if (value === undefined || value === '') return DEFAULT_SHORT_SHA_LENGTH;
  if (!/^\d+$/.test(value.trim()) || Number(value) < 1)
    throw new UserError(
      `DOCKER_METADATA_SHORT_SHA_LENGTH is not a positive whole number ("${value.slice(0, 20)}"); set it to e.g. 12, or unset it`,
    );
  return Number(value);
}

/** Docker's tag characters: anything else becomes `-`, as in metadata-action. */
export function sanitizeTag(tag: string): string {
  return tag.replace(/[^a-zA-Z0-9._-]+/g, '-');
}

/** True when the pattern is exactly `{{raw}}`, which pre-releases keep (metadata-action's isRawStatement). */
export function isRawStatement(pattern: string): boolean {
  try {
    const body = Handlebars.parseWithoutProcessing(pattern).body;
    if (body.length === 1 && body[0].type === 'MustacheStatement') {
      const path = (body[0] as hbs.AST.MustacheStatement).path as hbs.AST.PathExpression;
      return path.parts?.length === 1 && path.parts[0] === 'raw';
    }
  } catch {
    return false;
  }
  return false;
}

/** The first expression name the template uses that is neither known nor a Handlebars built-in. */
function unknownNames(program: hbs.AST.Program, known: string[]): string | undefined {
  for (const node of program.body) {
    if (node.type === 'MustacheStatement' || node.type === 'BlockStatement') {
      const statement = node as hbs.AST.MustacheStatement | hbs.AST.BlockStatement;
      if (statement.path.type === 'PathExpression') {
        const name = (statement.path as hbs.AST.PathExpression).original;
        const allowed = node.type === 'BlockStatement' ? BUILTINS : [...known, ...BUILTINS];
        if (!allowed.includes(name)) return name;
      }
      if (node.type === 'BlockStatement') {
        const block = node as hbs.AST.BlockStatement;
        const inner = unknownNames(block.program, known) ?? (block.inverse && unknownNames(block.inverse, known));
        if (inner) return inner;
      }
    }
  }
  return undefined;
}

export interface MetadataResult {
  meta: Meta;
  version: string;
  /** `image:tag` (or bare tags when there are no images). */
  tags: string[];
  tagNames: string[];
  labels: string[];
  annotations: string[];
  images: string[];
  warnings: string[];
}

/** Loads moment-timezone when a template needs it, then computes everything. */
export async function computeMetadata(
  inputs: MetaInputs,
  context: MetadataContext,
  repo: RepositoryInfo,
  options: MetaOptions = {},
): Promise<MetadataResult> {
  const texts = [...inputs.tags, ...inputs.flavor, ...inputs.labels, ...inputs.annotations];
  const moment = options.moment ?? (needsMoment(texts) ? await loadMoment() : undefined);
  const meta = new Meta(inputs, context, repo, { ...options, moment });
  return {
    meta,
    version: meta.version.main ?? '',
    tags: meta.getTags(),
    tagNames: meta.getTags(true),
    labels: meta.getLabels(),
    annotations: meta.getAnnotations(),
    images: meta.imageNames(),
    warnings: meta.warnings,
  };
}
