import { InputError, checkCredentialUrl } from '@deploy-actions/toolkit';

/**
 * Where a Google API's Bearer token may be sent: the toolkit's credential-URL rule (https, or http to
 * loopback; never link-local or metadata), and a base URL only (no user:password@, query or fragment).
 * Returns it without a trailing slash.
 */
export function credentialEndpoint(input: string, text: string): string {
  const url = checkCredentialUrl(text.trim(), input);
  if (url.username || url.password)
    throw new InputError(input, 'carries credentials in the URL', 'remove the user:password@ part');
  if (url.search || url.hash) throw new InputError(input, 'has a query or fragment', 'give the base URL only');
  return url.toString().replace(/\/$/, '');
}
