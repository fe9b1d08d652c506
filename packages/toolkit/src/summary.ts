import * as core from '@actions/core';
import { redact } from './secrets';

/**
 * Job summaries. Actions build the summary with @actions/core's `core.summary` and finish with
 * `writeSummary()`, which scrubs registered secrets from the whole text before it reaches the file.
 */

export type Row = [label: string, value: string | number | undefined];

/** A two-column table of the facts that matter, skipping empty values. Values are HTML-escaped. */
export function factsTable(rows: Row[]): string {
  const body = rows
    .filter(([, value]) => value !== undefined && value !== '')
    .map(([label, value]) => `<tr><th align="left">${escapeHtml(label)}</th><td>${escapeHtml(String(value))}</td></tr>`)
    .join('');
  return `<table>${body}</table>\n`;
}

/** A table with a header row; cells are HTML-escaped unless given as `{ html }`. */
export function table(header: string[], rows: (string | number | { html: string })[][]): string {
  const cell = (c: string | number | { html: string }) => (typeof c === 'object' ? c.html : escapeHtml(String(c)));
  const head = `<tr>${header.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr>`;
  const body = rows.map((r) => `<tr>${r.map((c) => `<td>${cell(c)}</td>`).join('')}</tr>`).join('');
  return `<table>${head}${body}</table>\n`;
}

export function link(text: string, href: string): { html: string } {
  return { html: `<a href="${escapeHtml(href)}">${escapeHtml(text)}</a>` };
}

export function codeBlock(code: string, language = 'sh'): string {
  return `\n\`\`\`${language}\n${code}\n\`\`\`\n`;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
}

/** Writes the summary built so far, secrets scrubbed. Does nothing outside a runner (no summary file). */
export async function writeSummary(): Promise<void> {
  if (!process.env.GITHUB_STEP_SUMMARY) return;
  const text = redact(core.summary.stringify());
  await core.summary.emptyBuffer().addRaw(text).write();
}
