/**
 * Image references (`registry/name:tag`, `name@sha256:...`) parsed the way Docker does: the first path
 * component is a registry host when it has a dot or a port or is `localhost`; Docker Hub names get their
 * `library/` prefix and the real API host. Also decides which registries may be spoken to over plain HTTP.
 */

export interface Reference {
  /** The host as the user wrote it (`ghcr.io`, `127.0.0.1:5000`, `docker.io`). */
  registry: string;
  /** The repository path inside the registry (`org/app`, `library/nginx`). */
  repository: string;
  tag?: string;
  digest?: string;
}

const COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
export const DIGEST = /^sha256:[a-f0-9]{64}$/;
const HOST =
  /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*|\[[0-9a-fA-F:]+\])(?::\d{1,5})?$/;

export class BadReferenceError extends Error {
  override name = 'BadReferenceError';
}

/** Parses a reference; throws a BadReferenceError that says what is wrong (the caller names the input). */
export function parseReference(text: string, options: { defaultRegistry?: string } = {}): Reference {
  const value = text.trim();
  if (!value) throw new BadReferenceError('is empty');
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value))
    throw new BadReferenceError(`"${value}" has a URL scheme; write it as registry/name:tag without one`);
  let rest = value;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest))
      throw new BadReferenceError(`"${value}" has a malformed digest (want sha256: and 64 hex digits)`);
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG.test(tag))
      throw new BadReferenceError(`"${value}" has an invalid tag "${tag}" (letters, digits, _ . -, at most 128)`);
  }
  const parts = rest.split('/');
  let registry = options.defaultRegistry ?? 'docker.io';
  if (parts.length > 1 && (parts[0].includes('.') || parts[0].includes(':') || parts[0] === 'localhost')) {
    registry = parts.shift()!;
    if (!HOST.test(registry)) throw new BadReferenceError(`"${value}" has an invalid registry host "${registry}"`);
  }
  if (!parts.length || parts.some((p) => !p)) throw new BadReferenceError(`"${value}" has an empty name component`);
  for (const part of parts) {
    if (!COMPONENT.test(part)) {
      const hint = part !== part.toLowerCase() ? ' (repository names must be lowercase)' : '';
      throw new BadReferenceError(`"${value}" has an invalid name component "${part}"${hint}`);
    }
  }
  if (registry === 'index.docker.io' || registry === 'registry-1.docker.io') registry = 'docker.io';
  if (registry === 'docker.io' && parts.length === 1) parts.unshift('library');
  const repository = parts.join('/');
  if (repository.length > 255) throw new BadReferenceError(`"${value}" has a name longer than 255 characters`);
  return { registry, repository, tag, digest };
}

/** Whether a first path component names a registry (so `app:1` is local but `ghcr.io/org/app:1` is not). */
export function hasRegistryHost(text: string): boolean {
  const first = text.split('/')[0];
  return text.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost');
}

/** The host the API is served from: Docker Hub's differs from its name. */
export function apiHost(registry: string): string {
  return registry === 'docker.io' ? 'registry-1.docker.io' : registry;
}

/** Loopback registries may be plain HTTP, as Docker allows (127.0.0.0/8, ::1, localhost). */
export function isLoopback(registry: string): boolean {
  const host = hostOf(registry);
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/** The host without its port (IPv6 brackets removed). */
export function hostOf(registry: string): string {
  if (registry.startsWith('[')) return registry.slice(1, registry.indexOf(']'));
  return registry.replace(/:\d+$/, '');
}

export function isValidHost(text: string): boolean {
  return HOST.test(text);
}
