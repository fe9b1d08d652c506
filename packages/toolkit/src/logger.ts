import * as core from './workflow';
import { redact } from './secrets';

/**
 * The logger an action's code writes to (`ctx.log`), in the manner of codeql-action's Logger: the real one
 * goes to the runner's log as workflow commands (workflow.ts); the recording twin keeps the lines for unit tests. Every
 * line is redacted before it leaves, because the runner's masking covers the log only.
 */
export interface Logger {
  info(line: string): void;
  warning(line: string): void;
  error(line: string): void;
  debug(line: string): void;
  /** A collapsible group in the log around `fn`. */
  group<T>(title: string, fn: () => Promise<T>): Promise<T>;
}

export const actionsLogger: Logger = {
  info: (line) => core.info(redact(line)),
  warning: (line) => core.warning(redact(line)),
  error: (line) => core.error(redact(line)),
  debug: (line) => core.debug(redact(line)),
  group: (title, fn) => core.group(redact(title), fn),
};

export interface LogLine {
  level: 'info' | 'warning' | 'error' | 'debug';
  text: string;
}

/** A logger that records, for unit tests: `lines` (all, redacted) and `text()` (info lines joined). */
export class RecordingLogger implements Logger {
  readonly lines: LogLine[] = [];
  info(text: string) {
    this.lines.push({ level: 'info', text: redact(text) });
  }
  warning(text: string) {
    this.lines.push({ level: 'warning', text: redact(text) });
  }
  error(text: string) {
    this.lines.push({ level: 'error', text: redact(text) });
  }
  debug(text: string) {
    this.lines.push({ level: 'debug', text: redact(text) });
  }
  async group<T>(title: string, fn: () => Promise<T>): Promise<T> {
    this.info(`▸ ${title}`);
    return fn();
  }
  /** Every line of one level (info by default), joined by newlines. */
  text(level: LogLine['level'] = 'info'): string {
    return this.lines
      .filter((l) => l.level === level)
      .map((l) => l.text)
      .join('\n');
  }
}
