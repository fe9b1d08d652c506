import * as core from '@actions/core';
import { formatDuration } from './duration';

/** Runs `fn` inside a collapsible log group titled `title`, and says how long it took. */
export async function step<T>(title: string, fn: () => Promise<T>): Promise<T> {
  return core.group(title, async () => {
    const started = Date.now();
    const result = await fn();
    core.info(`${title}: done in ${formatDuration(Date.now() - started)}`);
    return result;
  });
}

/** Milliseconds since `since`, for outputs such as duration-seconds. */
export function elapsedSeconds(since: number): number {
  return Math.round((Date.now() - since) / 100) / 10;
}
