/**
 * push-registry: pushes one image to many registries at once, from the Docker engine, an archive or OCI
 * layout, or another registry (push.ts). The entry loads only the manifest and the lifecycle; the push and
 * the report are loaded when they run, so the step starts as fast as bare node allows. The post step
 * removes what the main step wrote to disk, the Docker config of `login: true` included.
 */
import { rmSync } from 'node:fs';
import { runAction } from '@deploy-actions/toolkit';
import { manifest } from './manifest';
import type { Progress } from './report';

runAction<typeof manifest, void, Progress>({
  manifest,
  progress: () => ({ startedAt: Date.now() }),
  main: async (ctx) => (await import('./push')).main(ctx),
  report: async (ctx, outcome) => (await import('./report')).writeReport(ctx, outcome),
  async post(ctx) {
    for (const key of ['temp-dir', 'docker-config']) {
      const dir = ctx.state.get(key);
      if (dir) {
        rmSync(dir, { recursive: true, force: true });
        ctx.log.info(`Removed ${dir}`);
      }
    }
  },
});
