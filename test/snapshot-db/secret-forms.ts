import type { RunResult } from '@deploy-actions/harness';

/**
 * The encodings issue 12 names for a secret: the harness itself fails a run whose log, outputs or summary
 * hold a registered secret raw or URL-encoded (run-action.ts `assertNoLeaks`); the echo tests also check
 * every other form a tool, a server or a summary writer could turn it into, one by one, so a missing
 * mask fails with the form and the place that showed it.
 */

const html = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

/** Every form of `secret` (and of `user:secret`, HTTP Basic's, when `user` is given), labelled. */
export function secretForms(secret: string, user?: string): Record<string, string> {
  const forms: Record<string, string> = {
    plain: secret,
    'URL-encoded': encodeURIComponent(secret),
    'form-encoded': new URLSearchParams({ v: secret }).toString().slice(2),
    base64: Buffer.from(secret).toString('base64'),
    base64url: Buffer.from(secret).toString('base64url'),
    'JSON-escaped': JSON.stringify(secret).slice(1, -1),
    'HTML-escaped': html(secret),
  };
  if (user !== undefined) {
    forms['base64 of user:password'] = Buffer.from(`${user}:${secret}`).toString('base64');
    forms['base64url of user:password'] = Buffer.from(`${user}:${secret}`).toString('base64url');
  }
  return forms;
}

/** Everything a user reads of a run: log, outputs, summary, annotations, and the post step's. */
export function readable(result: RunResult): Record<string, string> {
  return {
    log: result.log,
    outputs: Object.entries(result.outputs)
      .map(([k, v]) => `${k}=${v}`)
      .join('\n'),
    summary: result.summary,
    annotations: result.annotations.map((a) => a.message).join('\n'),
    'post log': result.post?.log ?? '',
    'post summary': result.post?.summary ?? '',
  };
}

/** The forms of `secret` found anywhere readable, as "form in place" (empty when none leaked). */
export function leakedForms(result: RunResult, secret: string, user?: string): string[] {
  const found: string[] = [];
  for (const [form, value] of Object.entries(secretForms(secret, user)))
    for (const [place, text] of Object.entries(readable(result)))
      if (text.includes(value)) found.push(`${form} in ${place}`);
  return found;
}

/** Asserts that no form of any of `secrets` is readable in `result`. */
export function expectNoForm(result: RunResult, secrets: { secret: string; user?: string }[]): void {
  for (const { secret, user } of secrets) expect(leakedForms(result, secret, user)).toEqual([]);
}

/** A text that quotes `secret` (and `user:secret`) in every form above, for an echoing server's body. */
export function quoteEveryForm(secret: string, user?: string): string {
  return Object.entries(secretForms(secret, user))
    .map(([form, value]) => `${form}=${value}`)
    .join(' ; ');
}
