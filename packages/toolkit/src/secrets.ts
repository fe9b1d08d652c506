import * as core from '@actions/core';

/**
 * Secrets the action has read. Each is masked for the runner at once, and `redact` scrubs it (and its
 * URL-encoded form) from any text we print ourselves, such as a tool's error output, because the
 * runner's masking only covers the log and we also write outputs, summaries and error annotations.
 */
const known = new Set<string>();

export function registerSecret(value: string): string {
  if (!value) return value;
  for (const form of [value, encodeURIComponent(value)]) {
    if (form.length < 3 || known.has(form)) continue;
    known.add(form);
    core.setSecret(form);
  }
  return value;
}

export function redact(text: string): string {
  let out = text;
  // Longest first, so a secret that contains another is replaced whole.
  for (const secret of [...known].sort((a, b) => b.length - a.length)) out = out.split(secret).join('***');
  return out;
}
