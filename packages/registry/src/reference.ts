/**
 * The one image reference grammar of the suite (distribution/reference, as Docker parses it):
 *
 *   reference := name [ ":" tag ] [ "@" digest ]
 *   name      := [domain "/"] path-component ["/" path-component]*   (at most 255 characters in all)
 *   domain    := host [":" port]; host is a DNS name, an IPv4 address or a bracketed IPv6 address
 *   path-component := [a-z0-9]+ ( ([._] | "__" | "-"+) [a-z0-9]+ )*
 *   tag       := [A-Za-z0-9_][A-Za-z0-9_.-]{0,127}
 *   digest    := sha256:<64 hex> | sha512:<128 hex>
 *
 * The first path component is a registry host when it has a dot or a port, is `localhost`, or has
 * uppercase letters (Docker's splitDockerDomain rule); the host is case-insensitive and is returned in
 * lowercase, so `Registry.Example.com/app:1` and `registry.example.com/app:1` are the same image. Docker
 * Hub names get their `library/` prefix and the real API host. Every action that takes an image parses it
 * here. Also decides which registries may be spoken to over plain HTTP.
 */

export interface Reference {
  /** The registry host, lowercased (`ghcr.io`, `127.0.0.1:5000`, `docker.io`). */
  registry: string;
  /** The repository path inside the registry (`org/app`, `library/nginx`). */
  repository: string;
  tag?: string;
  digest?: string;
}

/** Limits of the grammar: the whole name (host included) and a tag. */
export const NAME_MAX_LENGTH = 255;
export const TAG_MAX_LENGTH = 128;

const COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
export const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
export const DIGEST = /^sha256:[a-f0-9]{64}$/;
const ANY_DIGEST = /^(?:sha256:[a-f0-9]{64}|sha512:[a-f0-9]{128})$/;
const HOST =
  /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*|\[[0-9a-fA-F:.]+\])(?::\d{1,5})?$/;

export class BadReferenceError extends Error {
  override name = 'BadReferenceError';
}

/** Shows a value in an error without flooding it (a 100 KB input) or breaking the line. */
function shown(value: string): string {
  const line = value.replace(/[\r\n\t]/g, ' ');
  return line.length > 80 ? `${line.slice(0, 60)}... (${value.length} characters)` : line;
}

/** Whether the first component of `name/...` is a registry host (Docker's rule). */
function isDomain(first: string): boolean {
  return first.includes('.') || first.includes(':') || first === 'localhost' || first !== first.toLowerCase();
}

/** Parses a reference; throws a BadReferenceError that says what is wrong (the caller names the input). */
export function parseReference(text: string, options: { defaultRegistry?: string } = {}): Reference {
  const value = text.trim();
  if (!value) throw new BadReferenceError('is empty');
  const quoted = `"${shown(value)}"`;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what is refused.
  if (/[\0-\x1f\x7f]/.test(value))
    throw new BadReferenceError(`${quoted} is invalid: it contains line breaks or control characters`);
  if (value.length > NAME_MAX_LENGTH + TAG_MAX_LENGTH + 140)
    throw new BadReferenceError(`${quoted} is too long to be an image reference`);
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value))
    throw new BadReferenceError(`${quoted} has a URL scheme; write it as registry/name:tag without one`);
  let rest = value;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!ANY_DIGEST.test(digest))
      throw new BadReferenceError(`${quoted} has a malformed digest (want sha256: and 64 lowercase hex digits)`);
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG.test(tag))
      throw new BadReferenceError(
        `${quoted} has an invalid tag "${shown(tag)}" (letters, digits, _ . -, not starting with . or -, at most ${TAG_MAX_LENGTH})`,
      );
  }
  const parts = rest.split('/');
  let registry = options.defaultRegistry ?? 'docker.io';
  if (parts.length > 1 && isDomain(parts[0])) {
    registry = parts.shift()!;
    if (!HOST.test(registry))
      throw new BadReferenceError(`${quoted} has an invalid registry host "${shown(registry)}"`);
    const port = /:(\d+)$/.exec(registry);
    if (port && (Number(port[1]) < 1 || Number(port[1]) > 65535))
      throw new BadReferenceError(`${quoted} has an invalid port in "${registry}"`);
    registry = registry.toLowerCase();
  }
  if (!parts.length || parts.some((p) => !p)) throw new BadReferenceError(`${quoted} has an empty name component`);
  for (const part of parts) {
    if (!COMPONENT.test(part)) {
      const hint = part !== part.toLowerCase() ? ' (repository names must be lowercase)' : '';
      throw new BadReferenceError(`${quoted} has an invalid name component "${shown(part)}"${hint}`);
    }
  }
  if (registry === 'index.docker.io' || registry === 'registry-1.docker.io') registry = 'docker.io';
  if (registry === 'docker.io' && parts.length === 1) parts.unshift('library');
  const repository = parts.join('/');
  if (`${registry}/${repository}`.length > NAME_MAX_LENGTH || repository.length > NAME_MAX_LENGTH)
    throw new BadReferenceError(`${quoted} has a name longer than ${NAME_MAX_LENGTH} characters`);
  return { registry, repository, tag, digest };
}

/** `registry/repository[:tag][@digest]`, the canonical form of a parsed reference. */
export function formatReference(ref: Reference): string {
  return `${ref.registry}/${ref.repository}${ref.tag ? `:${ref.tag}` : ''}${ref.digest ? `@${ref.digest}` : ''}`;
}

/** Whether a first path component names a registry (so `app:1` is local but `ghcr.io/org/app:1` is not). */
export function hasRegistryHost(text: string): boolean {
  const first = text.split('/')[0];
  return text.includes('/') && isDomain(first);
}

/** The host the API is served from: Docker Hub's differs from its name. */
export function apiHost(registry: string): string {
  return registry === 'docker.io' ? 'registry-1.docker.io' : registry;
}

/** Loopback registries may be plain HTTP, as Docker allows (127.0.0.0/8, ::1, localhost). */
export function isLoopback(registry: string): boolean {
  const host = hostOf(registry).toLowerCase();
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/** The host without its port (IPv6 brackets removed). */
export function hostOf(registry: string): string {
  if (registry.startsWith('[')) return registry.slice(1, registry.indexOf(']'));
  return registry.replace(/:\d+$/, '');
}

export function isValidHost(text: string): boolean {
  return text.length <= 255 && HOST.test(text);
}
