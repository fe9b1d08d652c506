import { outputSeconds } from './format';

/**
 * Seconds (one decimal) since `since` (epoch ms of Date.now), for outputs such as duration-seconds.
 * @deprecated use `outputSeconds(ctx.elapsedMs())` in a lifecycle report (it takes the injected clock).
 */
export function elapsedSeconds(since: number): number {
  return Number(outputSeconds(Date.now() - since));
}
