import { InputError } from './errors';
import { parseUrl } from './parse';

/**
 * The rules for URLs taken from inputs, one function each, used by every action (issue 12):
 * - a URL that will carry a credential (an API key, a token, a hook's key) goes over https, or plain http
 *   only to this machine (loopback: local proxies, emulators in tests);
 * - no URL we send anything to may point at a cloud metadata service or a link-local address: those hand out
 *   the runner's own cloud credentials to whoever makes the request (SSRF);
 * - a value that becomes one segment of a URL path cannot climb out of it (`..`, `/`, `%2F`, `?`, `#`).
 * Hostnames are checked as the WHATWG URL parser normalises them, so `0xA9FEA9FE` and `[::ffff:169.254.169.254]`
 * are caught as 169.254.169.254. A name that resolves to such an address is out of reach of an input check;
 * the harness's network guard covers that in tests.
 */

/** Hosts as the WHATWG URL parser leaves them: IPv4 dotted (normalised), IPv6 without brackets. */
const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;
const isIP = (host: string) => (IPV4.test(host) ? 4 : host.includes(':') ? 6 : 0);

const METADATA_NAMES = new Set([
  'metadata.google.internal',
  'metadata',
  'metadata.goog',
  'instance-data',
  'instance-data.ec2.internal',
]);

function bareHost(url: URL): string {
  return url.hostname
    .replace(/^\[|\]$/g, '')
    .replace(/\.$/, '')
    .toLowerCase();
}

/** The IPv4 address inside an IPv4-mapped IPv6 address (`::ffff:a9fe:a9fe`), or the address itself. */
function unmapped(host: string): string {
  const mapped = /^::ffff:(?:([0-9.]+)|([0-9a-f]{1,4}):([0-9a-f]{1,4}))$/i.exec(host);
  if (!mapped) return host;
  if (mapped[1]) return mapped[1];
  const hi = Number.parseInt(mapped[2], 16);
  const lo = Number.parseInt(mapped[3], 16);
  return [hi >> 8, hi & 255, lo >> 8, lo & 255].join('.');
}

export function isLoopbackHost(hostname: string): boolean {
  const host = unmapped(
    hostname
      .replace(/^\[|\]$/g, '')
      .replace(/\.$/, '')
      .toLowerCase(),
  );
  if (host === 'localhost') return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  if (isIP(host) === 6) return /^(0{0,4}:){7}0{0,3}1$|^::1$/.test(host);
  return false;
}

/** Why a host may not be a target, or undefined: cloud metadata names and addresses, link-local ranges. */
export function forbiddenHost(hostname: string): string | undefined {
  const host = unmapped(
    hostname
      .replace(/^\[|\]$/g, '')
      .replace(/\.$/, '')
      .toLowerCase(),
  );
  if (METADATA_NAMES.has(host)) return 'a cloud metadata address';
  if (isIP(host) === 4 && host.startsWith('169.254.')) return 'a link-local address (cloud metadata lives there)';
  if (isIP(host) === 6) {
    if (/^fd00:ec2::254$/.test(host) || host === 'fd00:ec2:0:0:0:0:0:254') return 'a cloud metadata address';
    if (/^fe[89ab][0-9a-f]:/.test(host)) return 'a link-local address';
  }
  return undefined;
}

function refuseForbidden(inputName: string, url: URL): void {
  const why = forbiddenHost(bareHost(url));
  if (why)
    throw new InputError(
      inputName,
      `points at ${url.hostname}, ${why}`,
      "use the service's own address: metadata and link-local addresses hand out the runner's cloud credentials",
    );
}

function toUrl(value: string | URL, inputName: string): URL {
  return value instanceof URL ? value : parseUrl(inputName, value, { secret: true });
}

export interface CredentialUrlOptions {
  /** Allow link-local and metadata addresses (never by default). */
  allowMetadata?: boolean;
}

/**
 * A URL that carries a credential: https, or http to loopback (127.0.0.0/8, ::1, localhost) only; never
 * a metadata or link-local address. Returns the URL. The value is never quoted back (it may hold a key).
 */
export function checkCredentialUrl(value: string | URL, inputName: string, options: CredentialUrlOptions = {}): URL {
  const url = toUrl(value, inputName);
  if (!options.allowMetadata) refuseForbidden(inputName, url);
  if (url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackHost(url.hostname))) return url;
  throw new InputError(inputName, `the URL uses ${url.protocol} to ${url.hostname}`, 'use an https:// URL');
}

/** A health-probe URL: http or https to anywhere but metadata and link-local addresses. */
export function checkProbeUrl(value: string | URL, inputName: string): URL {
  const url = value instanceof URL ? value : parseUrl(inputName, value);
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new InputError(inputName, `the URL uses ${url.protocol}`, 'use a https: or http: URL');
  refuseForbidden(inputName, url);
  return url;
}

export interface SegmentRule {
  pattern: RegExp;
  /** In words, for the error: "a Render service ID like srv-abc123". */
  described: string;
}

/**
 * A value that becomes one URL path segment (a service ID, a job name, a project): it may not be empty,
 * `.`/`..`, or hold `/`, `\`, `%`, `?`, `#`, white space or control characters, whatever the rule allows,
 * and must then match the rule. Returns the value.
 */
export function assertPathSegment(value: string, inputName: string, rule: SegmentRule): string {
  const bad = /[/\\%?#\s\p{Cc}]/u.exec(value);
  if (value === '' || value === '.' || value === '..' || bad) {
    const what = bad ? `contains ${JSON.stringify(bad[0])}` : `is ${JSON.stringify(value)}`;
    throw new InputError(inputName, `${what}, which cannot be part of a URL path`, `use ${rule.described}`);
  }
  if (!rule.pattern.test(value))
    throw new InputError(
      inputName,
      `"${value.length > 80 ? `${value.slice(0, 77)}...` : value}" is not ${rule.described}`,
      `use ${rule.described}`,
    );
  return value;
}
