import { isIP } from 'node:net';
import { InputError } from '@deploy-actions/toolkit';

/**
 * Where a Bearer token may be sent: https to any host that is not link-local or cloud metadata, or plain
 * http to loopback (a local test double or proxy). Local until the toolkit's credential-URL rule lands.
 */

const METADATA_HOSTS = new Set(['metadata.google.internal', 'metadata', 'metadata.goog', 'instance-data']);

function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || (isIP(h) === 4 && h.startsWith('127.'));
}

function isLinkLocalOrMetadata(host: string): boolean {
  const h = host
    .replace(/^\[|\]$/g, '')
    .toLowerCase()
    .replace(/\.$/, '');
  if (METADATA_HOSTS.has(h)) return true;
  if (isIP(h) === 4) return h.startsWith('169.254.');
  if (isIP(h) === 6) return /^fe[89ab]/.test(h) || h === 'fd00:ec2::254' || h.startsWith('::ffff:169.254.');
  return false;
}

/** The endpoint as a URL without a trailing slash, or an InputError naming `input`. */
export function credentialEndpoint(input: string, text: string): string {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    throw new InputError(input, 'is not a URL', 'give an https:// URL such as https://run.googleapis.com');
  }
  if (url.username || url.password)
    throw new InputError(input, 'carries credentials in the URL', 'remove the user:password@ part');
  if (isLinkLocalOrMetadata(url.hostname))
    throw new InputError(
      input,
      `points at ${url.hostname}, a link-local or cloud metadata address`,
      'give the API URL; credentials are never sent to metadata addresses',
    );
  if (url.protocol === 'http:' && !isLoopback(url.hostname))
    throw new InputError(
      input,
      'is plain http to a host that is not loopback',
      'use https:// (plain http only to 127.0.0.1 or localhost)',
    );
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new InputError(input, `has the scheme ${url.protocol}`, 'use https://');
  if (url.search || url.hash) throw new InputError(input, 'has a query or fragment', 'give the base URL only');
  return url.toString().replace(/\/$/, '');
}
