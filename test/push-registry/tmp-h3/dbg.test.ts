import { runAction } from '@deploy-actions/harness';
test('dbg', async () => {
  const run = await runAction('push-registry', {
    inputs: { 'source-archive': '/tmp', destinations: '127.0.0.1:5000/a' },
  });
  console.log(run.exitCode, run.log, run.errors, run.summary);
});
