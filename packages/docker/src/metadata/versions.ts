import semver from 'semver';

/**
 * The version schemes the semver and pep440 rules understand. Semantic versions come from the semver
 * library; PEP 440 (Python's scheme) has no well-kept JavaScript parser small enough to bundle, so its
 * public grammar (the regular expression from PyPA `packaging`) is applied here.
 */

export interface ParsedVersion {
  raw: string;
  /** The normalised version: `1.2.3`, `1.2.3-rc.1`, PEP 440 `1.2.3rc1`. */
  version: string;
  major: number;
  minor: number;
  patch: number;
  prerelease: boolean;
}

export function parseSemver(raw: string): ParsedVersion | undefined {
  if (!semver.valid(raw)) return undefined;
  const parsed = semver.parse(raw, { loose: true });
  if (!parsed) return undefined;
  return {
    raw,
    version: parsed.version,
    major: parsed.major,
    minor: parsed.minor,
    patch: parsed.patch,
    prerelease: parsed.prerelease.length > 0,
  };
}

const PEP440 =
  /^v?(?:(?:(\d+)!)?(\d+(?:\.\d+)*)(?:[-_.]?(a|b|c|rc|alpha|beta|pre|preview)[-_.]?(\d+)?)?(?:(?:-(\d+))|(?:[-_.]?(post|rev|r)[-_.]?(\d+)?))?(?:[-_.]?(dev)[-_.]?(\d+)?)?)(?:\+([a-z0-9]+(?:[-_.][a-z0-9]+)*))?$/i;
const PRE: Record<string, string> = {
  a: 'a',
  alpha: 'a',
  b: 'b',
  beta: 'b',
  c: 'rc',
  rc: 'rc',
  pre: 'rc',
  preview: 'rc',
};

export function parsePep440(raw: string): ParsedVersion | undefined {
  const m = PEP440.exec(raw.trim());
  if (!m) return undefined;
  const [, epoch, release, preL, preN, postN1, postL, postN2, dev, devN, local] = m;
  const parts = release.split('.').map(Number);
  const post = postN1 ?? (postL ? (postN2 ?? '0') : undefined);
  let version = `${epoch && epoch !== '0' ? `${Number(epoch)}!` : ''}${parts.join('.')}`;
  if (preL) version += `${PRE[preL.toLowerCase()]}${Number(preN ?? 0)}`;
  if (post !== undefined) version += `.post${Number(post)}`;
  if (dev) version += `.dev${Number(devN ?? 0)}`;
  if (local) version += `+${local.toLowerCase().replace(/[-_]/g, '.')}`;
  return {
    raw,
    version,
    major: parts[0] ?? 0,
    minor: parts[1] ?? 0,
    patch: parts[2] ?? 0,
    prerelease: Boolean(preL || dev),
  };
}

/** Fills `{{raw}}`, `{{version}}`, `{{major}}`, `{{minor}}`, `{{patch}}`; other placeholders are left for the caller. */
export function fillVersion(pattern: string, version: ParsedVersion): string {
  const values: Record<string, string> = {
    raw: version.raw,
    version: version.version,
    major: String(version.major),
    minor: String(version.minor),
    patch: String(version.patch),
  };
  return pattern.replace(/\{\{\s*(raw|version|major|minor|patch)\s*\}\}/g, (_, key: string) => values[key]);
}

/** True when the pattern yields only the whole version ({{version}} or {{raw}}), which pre-releases may use. */
export function isWholeVersion(pattern: string): boolean {
  const placeholders = [...pattern.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1]);
  return placeholders.length > 0 && placeholders.every((p) => p === 'version' || p === 'raw');
}
