import { run } from '@deploy-actions/toolkit';
import { deploy, type Report } from './deploy';
import { getInputs } from './inputs';
import { setOutputs, writeReport } from './report';

/**
 * trigger-render-hook: triggers a Render deploy by deploy hook or API, follows it to live, checks its
 * health and rolls back on failure, then reports in outputs and the job summary.
 */
run(async () => {
  const inputs = getInputs();
  const report: Report = {
    serviceId: inputs.serviceId,
    via: inputs.hookUrl ? 'deploy hook' : 'API',
    startedAt: Date.now(),
    timeline: [],
    apiCalls: 0,
  };
  try {
    await deploy(inputs, report);
  } catch (error) {
    report.failure = (error as Error).message;
    throw error;
  } finally {
    setOutputs(report);
    await writeReport(inputs, report);
  }
});
