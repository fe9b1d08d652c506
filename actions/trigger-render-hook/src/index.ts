import { runAction } from '@deploy-actions/toolkit';
import { deploy, type Report } from './deploy';
import { type Plan, plan } from './inputs';
import { manifest } from './manifest';
import { writeReport } from './report';

/**
 * trigger-render-hook: triggers a Render deploy by deploy hook or API, follows it to live, checks its
 * health and rolls back on failure, then reports in outputs and the job summary (on failure too).
 */
export interface Progress {
  report: Report;
  plan?: Plan;
}

runAction<typeof manifest, void, Progress>({
  manifest,
  progress: () => ({
    report: { serviceId: '', via: 'API', startedAt: Date.now(), timeline: [], followed: [], apiCalls: 0 },
  }),
  async main(ctx) {
    const steps = plan(ctx.inputs);
    const report = ctx.progress.report;
    ctx.progress.plan = steps;
    report.serviceId = steps.serviceId;
    report.via = steps.trigger.kind === 'hook' ? 'deploy hook' : 'API';
    const deadline = ctx.deadline ?? Date.now() + steps.timeoutMs;
    const signal = ctx.signal;
    await deploy(steps, report, {
      log: (line) => ctx.log.info(line),
      warn: (line) => ctx.log.warning(line),
      deadline,
      clock: { now: () => ctx.clock.now(), sleep: (ms) => ctx.clock.sleep(ms, signal) },
    });
  },
  report: (ctx, outcome) => writeReport(ctx, outcome),
});
