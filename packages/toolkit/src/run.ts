import * as core from './workflow';
import { UserError } from './errors';
import { redact } from './secrets';

/**
 * The entry point of every action bundle. One bundle serves both the main and the post step: the main
 * step records `isPost` in the runner's state, and the post step finds it there. Any failure ends in a
 * single `::error::` line with secrets scrubbed; the stack is printed only with debug logging, and never
 * for a UserError, which is the user's to fix and explains itself.
 */
export async function run(main: () => Promise<void>, post?: () => Promise<void>): Promise<void> {
  const isPost = core.getState('isPost') === 'true';
  if (!isPost && post) core.saveState('isPost', 'true');
  try {
    if (isPost) await post?.();
    else await main();
  } catch (error) {
    fail(error);
  }
}

function fail(error: unknown): void {
  if (!(error instanceof Error)) {
    core.setFailed(redact(String(error)));
    return;
  }
  if (!(error instanceof UserError) && core.isDebug() && error.stack) core.debug(redact(error.stack));
  core.setFailed(redact(error.message));
}
