import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { runAction } from '@deploy-actions/harness';

// The lifecycle end to end, as the runner runs it: env inputs, file commands, SIGINT, the post step.
const action = join(import.meta.dirname, 'fixtures', 'lifecycle-action');

describe('runAction through the runner', () => {
  it('greets, writes outputs and the shared summary header, and the post step removes the temp dir', async () => {
    const result = await runAction(action, { inputs: { name: 'octocat' } });
    expect(result.exitCode).toBe(0);
    expect(result.outputs).toMatchObject({ greeting: 'hello octocat', status: 'success' });
    expect(result.summary).toMatch(/^## ✅ Lifecycle probe: succeeded\n/);
    expect(result.post?.log).toContain('post step ran');
    expect(existsSync(result.outputs['temp-dir'])).toBe(false);
    expect(result.connections).toEqual([]);
  });

  it('refuses an input in one ::error:: line and still writes the summary', async () => {
    const result = await runAction(action, { inputs: { name: 'x', wait: 'soon' } });
    expect(result.exitCode).toBe(1);
    expect(result.errors).toEqual(['Input "wait": "soon" is not a duration; write it like 90s, 10m or 2h']);
    expect(result.log).not.toMatch(/^\s+at /m);
    expect(result.outputs.status).toBe('failure');
    expect(result.summary).toMatch(/^## ❌ Lifecycle probe: failed\n/);
  });

  it('on cancel (SIGINT) aborts the signal, reports cancelled, and cleans up in the post step', async () => {
    const result = await runAction(action, { inputs: { name: 'x', wait: '10m' }, cancelOnLine: /^waiting/ });
    expect(result.cancelled).toBe(true);
    expect(result.exitCode).toBe(1);
    expect(result.outputs.status).toBe('cancelled');
    expect(result.errors[0]).toMatch(/^The run was cancelled \(SIGINT\) after /);
    expect(result.summary).toMatch(/^## 🛑 Lifecycle probe: cancelled\n/);
    expect(result.summary).toContain('✅ Temp dir');
    expect(existsSync(result.outputs['temp-dir'])).toBe(false);
  });

  it('stops at the step timeout with the one timeout message', async () => {
    const result = await runAction(action, { inputs: { name: 'x', wait: '10m', timeout: '300ms' } });
    expect(result.exitCode).toBe(1);
    expect(result.outputs.status).toBe('timeout');
    expect(result.errors).toEqual(['The step ran past its timeout of 300ms; raise "timeout" if it needs longer']);
    expect(result.summary).toMatch(/^## ⏱️ Lifecycle probe: timed out\n/);
  });
});
