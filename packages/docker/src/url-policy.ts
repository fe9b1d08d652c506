import { isIP } from 'node:net';

/**
 * Where this package may send a credential or fetch a build context from. A local copy of the suite's
 * rule (issue 12) until the toolkit exports it: link-local and cloud-metadata hosts are refused
 * (169.254.0.0/16, fe80::/10, fd00:ec2::254, metadata.google.internal and friends), and a credential
 * goes only over https or plain http to loopback.
 */

const METADATA_HOSTS = new Set([
  'metadata.google.internal',
  'metadata.goog',
  'metadata',
  'instance-data',
  'instance-data.ec2.internal',
]);

function bare(host: string): string {
  return host
    .replace(/^\[|\]$/g, '')
    .toLowerCase()
    .replace(/\.$/, '');
}

/** Whether the host is a link-local or cloud-metadata address (never a legitimate build or API target). */
export function isMetadataHost(host: string): boolean {
  const h = bare(host);
  if (METADATA_HOSTS.has(h)) return true;
  if (isIP(h) === 4) return /^169\.254\./.test(h);
  if (isIP(h) === 6) {
    if (/^fe[89ab][0-9a-f]?:/i.test(h) || h === 'fd00:ec2::254') return true;
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(h);
    return mapped ? /^169\.254\./.test(mapped[1]) : false;
  }
  return false;
}

export function isLoopbackHost(host: string): boolean {
  const h = bare(host);
  return h === 'localhost' || h === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

/** Why a URL may not carry a credential, or undefined when it may. */
export function credentialUrlProblem(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'is not a URL';
  }
  if (isMetadataHost(parsed.hostname)) return 'points at a link-local or cloud-metadata address';
  if (parsed.protocol === 'https:') return undefined;
  if (parsed.protocol === 'http:' && isLoopbackHost(parsed.hostname)) return undefined;
  return 'is not https (plain http is allowed only to loopback)';
}
