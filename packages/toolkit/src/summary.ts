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
  return `\n\`\`\`${language}\n${redact(code)}\n\`\`\`\n`;
}

/** Redacts, THEN escapes: an escaped secret would no longer match its mask. */
export function escapeHtml(text: string): string {
  return redact(text).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
}

/**
 * Writes what the action built with @actions/core's `core.summary`, secrets scrubbed. Does nothing outside a
 * runner (no summary file). For actions not yet on the lifecycle (`ctx.summary`); @actions/core is loaded only
 * here, when called, so the toolkit itself never loads it at start-up.
 */
export async function writeSummary(): Promise<void> {
  if (!process.env.GITHUB_STEP_SUMMARY) return;
  const core = await import('@actions/core');
  const text = redact(core.summary.stringify());
  await core.summary.emptyBuffer().addRaw(text).write();
}

/** The outcome of a step, as the shared summary header and the status marks show it. */
export type Status = 'success' | 'failure' | 'timeout' | 'cancelled' | 'partial' | 'skipped';

export const STATUS_MARK: Record<Status, string> = {
  success: '✅',
  failure: '❌',
  timeout: '⏱️',
  cancelled: '🛑',
  partial: '⚠️',
  skipped: '⏭️',
};

const STATUS_WORD: Record<Status, string> = {
  success: 'succeeded',
  failure: 'failed',
  timeout: 'timed out',
  cancelled: 'cancelled',
  partial: 'partly done',
  skipped: 'skipped',
};

/** One piece of work the action does, for the "what was and was not done" list of a summary. */
export interface StepRecord {
  label: string;
  state: 'done' | 'failed' | 'skipped' | 'not-run';
  detail?: string;
}

const STEP_MARK: Record<StepRecord['state'], string> = { done: '✅', failed: '❌', skipped: '⏭️', 'not-run': '◻️' };

/**
 * A job summary under construction, with the one header every action shares: `## <mark> <action>: <headline>`
 * (level 2), sections at level 3. Every piece is redacted BEFORE it is escaped (an escaped secret would no
 * longer match its mask), and the whole text once more when written.
 */
export class SummaryBuilder {
  private parts: string[] = [];
  private headlineText?: string;
  private statusValue?: Status;

  /** The words after the action's name in the header (default: the status in a word). */
  headline(text: string): this {
    this.headlineText = text;
    return this;
  }

  /** Overrides the status mark (e.g. `partial` for a success with warnings). */
  status(status: Status): this {
    this.statusValue = status;
    return this;
  }

  section(title: string): this {
    this.parts.push(`\n### ${escapeHtml(redact(title))}\n`);
    return this;
  }

  text(paragraph: string): this {
    this.parts.push(`\n<p>${escapeHtml(redact(paragraph))}</p>\n`);
    return this;
  }

  facts(rows: Row[]): this {
    this.parts.push(
      factsTable(rows.map(([label, value]) => [redact(label), value === undefined ? value : redact(String(value))])),
    );
    return this;
  }

  table(header: string[], rows: (string | number | { html: string })[][]): this {
    const clean = (c: string | number | { html: string }) =>
      typeof c === 'object' ? { html: redact(c.html) } : typeof c === 'number' ? c : redact(c);
    this.parts.push(
      table(
        header.map(redact),
        rows.map((r) => r.map(clean)),
      ),
    );
    return this;
  }

  code(code: string, language = 'text'): this {
    this.parts.push(codeBlock(redact(code), language));
    return this;
  }

  list(items: string[]): this {
    this.parts.push(`\n<ul>${items.map((i) => `<li>${escapeHtml(redact(i))}</li>`).join('')}</ul>\n`);
    return this;
  }

  /** What was done and what was not: one line per step with its mark. */
  steps(steps: StepRecord[]): this {
    const rows = steps.map(
      (s) =>
        `<li>${STEP_MARK[s.state]} ${escapeHtml(redact(s.label))}${s.detail ? `: ${escapeHtml(redact(s.detail))}` : ''}</li>`,
    );
    this.parts.push(`\n<ul>${rows.join('')}</ul>\n`);
    return this;
  }

  /** HTML or Markdown the caller built and escaped itself (still redacted). */
  raw(html: string): this {
    this.parts.push(redact(html));
    return this;
  }

  /** The whole summary: the shared header for `title` and `status`, then the parts. */
  render(title: string, status: Status): string {
    const final = this.statusValue ?? status;
    const headline = this.headlineText ?? STATUS_WORD[final];
    return redact(
      `## ${STATUS_MARK[final]} ${escapeHtml(redact(title))}: ${escapeHtml(redact(headline))}\n${this.parts.join('')}`,
    );
  }
}
