/**
 * run-migrations: runs a deploy's database migrations exactly once (migrate.ts). The entry loads only the
 * manifest, the lifecycle and the report; the drivers, the modes and the lock are loaded when main runs,
 * so the step starts as fast as bare node allows.
 */
import { runAction } from '@deploy-actions/toolkit';
import { manifest } from './manifest';
import { type Report, setOutputs, writeReport } from './report';

runAction<typeof manifest, Report, Report>({
  manifest,
  progress: () => ({ status: 'failed' }),
  main: async (ctx) => (await import('./migrate')).main(ctx),
  report(ctx) {
    const report = ctx.progress;
    if (ctx.inputs === undefined) report.status = 'failed';
    setOutputs(ctx, report);
    writeReport(ctx, report);
  },
});
