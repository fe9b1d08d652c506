import { runAction } from '../../../packages/toolkit/src/lifecycle';
import type { Report } from './deploy';
import { validate } from './inputs';
import { manifest } from './manifest';
import { writeReport } from './report';
import { registerSecret } from './toolkit';

/**
 * deploy-ecs: registers a task definition revision with only what was asked changed, updates the service,
 * follows that one service deployment to SUCCESSFUL (a rollback fails the step), gates its health, and also
 * scales (desired-count: 0 stops and waits) or switches maintenance on the listener rule. On the shared
 * lifecycle (manifest, typed inputs, one signal for cancel + timeout, a report that always runs); the logic
 * lives in plain modules (inputs, task-definition, wait, deploy, report).
 */
runAction<typeof manifest, Report, { report?: Report }>({
  manifest,
  timeoutGraceMs: 60_000,
  async main(ctx) {
    // The AWS SDK reads these from the environment itself; mask them (every form) before an API error that
    // quotes them back could be printed (issue 12's echo test).
    for (const name of ['AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN']) {
      const value = process.env[name];
      if (value) registerSecret(value);
    }
    const inputs = validate(ctx.inputs);
    const report: Report = {
      cluster: inputs.cluster,
      service: inputs.service,
      region: inputs.region,
      startedAt: Date.now(),
      action: 'deploy',
      timeline: [],
      changes: [],
      gates: [],
      events: [],
      calls: () => 0,
    };
    ctx.progress.report = report;
    // The ECS client loads only now (a lazy chunk), so a bad input fails fast and the entry stays small.
    const { run: deploy } = await import('./deploy');
    await deploy({ inputs, report, signal: ctx.signal, log: ctx.log, clock: ctx.clock });
    return report;
  },
  report(ctx, outcome) {
    const report = outcome.status === 'success' ? outcome.value : ctx.progress.report;
    if (!report) return;
    if (outcome.status !== 'success') report.failure = (outcome.error as Error).message;
    writeReport(report, ctx);
  },
});
