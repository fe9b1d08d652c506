import { registerSecret } from '@deploy-actions/toolkit';

/**
 * Credential shapes, for inputs that are logged: found in one, the value is masked at once (before the
 * lifecycle reads and possibly quotes it) and refused by the input checks. Kept apart from inputs.ts so
 * the bundle's start loads only this, the manifest and the toolkit.
 */

// Credentials with a recognisable shape: GitHub, AWS access key ids, GitLab, Slack, Stripe, PEM private keys.
export const CREDENTIAL =
  /\b(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{22,}|AKIA[0-9A-Z]{16}|glpat-[A-Za-z0-9_-]{20,}|xox[abpr]-[A-Za-z0-9-]{10,}|sk_live_[A-Za-z0-9]{24,})|-----BEGIN [A-Z ]*PRIVATE KEY-----/;

/**
 * Masks every credential-shaped substring of the step's inputs, before anything reads them: an error
 * that quotes a bad value (a token pasted where a boolean goes) then shows `***`.
 */
export function maskCredentialsInInputs(env: NodeJS.ProcessEnv): void {
  const global = new RegExp(CREDENTIAL.source, 'g');
  for (const [key, value] of Object.entries(env))
    if (key.startsWith('INPUT_') && value) for (const found of value.match(global) ?? []) registerSecret(found);
}
