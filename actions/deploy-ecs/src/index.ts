import { run } from './toolkit';
import { type Report, run as deploy } from './deploy';
import { getInputs } from './inputs';
import { setOutputs, writeReport } from './report';

/**
 * deploy-ecs: registers a task definition revision with only what was asked changed, updates the service,
 * follows that one service deployment to SUCCESSFUL (a rollback fails the step), gates its health, and also
 * scales (desired-count: 0 stops and waits) or switches maintenance on the listener rule. The logic lives in
 * plain modules (inputs, task-definition, wait, deploy, report); this shell only wires them together.
 */
run(async () => {
  const inputs = getInputs();
  const controller = new AbortController();
  const cancel = () => controller.abort(new Error('The job was cancelled'));
  process.once('SIGINT', cancel);
  process.once('SIGTERM', cancel);
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
  try {
    await deploy({ inputs, report, signal: controller.signal });
  } catch (error) {
    const cause = controller.signal.aborted ? controller.signal.reason : error;
    report.failure = (cause as Error).message;
    throw cause;
  } finally {
    setOutputs(report);
    await writeReport(report);
  }
});
