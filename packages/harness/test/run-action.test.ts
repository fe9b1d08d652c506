import { join } from 'node:path';
import { runAction } from '../src/run-action';

const probe = join(import.meta.dirname, 'fixtures', 'probe-action');

describe('runAction', () => {
  it('hands inputs, defaults, files and state over as the runner does', async () => {
    const result = await runAction(probe, { github: { repository: 'acme/shop' } });
    expect(result.exitCode).toBe(0);
    expect(result.outputs).toEqual({ greeting: 'hello from acme/shop', multiline: 'one\ntwo' });
    expect(result.env).toEqual({ PROBE_ENV: 'set' });
    expect(result.path).toEqual(['/opt/probe/bin']);
    expect(result.warnings).toEqual(['a warning']);
    expect(result.annotations[0].properties).toEqual({ title: 'Heads up' });
    expect(result.summary).toContain('<h1>Probe</h1>');
    expect(result.log).toContain(`cwd=${result.workspace}`);
    expect(result.post?.exitCode).toBe(0);
    expect(result.post?.log).toContain('post step sees state seen=yes');
    expect(result.post?.summary).toBe('post summary');
  });

  it('reports failures as error annotations and the exit code', async () => {
    const result = await runAction(probe, { inputs: { fail: 'it broke' } });
    expect(result.exitCode).toBe(1);
    expect(result.errors).toEqual(['it broke']);
  });

  it('refuses inputs that action.yml does not declare', async () => {
    await expect(runAction(probe, { inputs: { greting: 'typo' } })).rejects.toThrow('declares no input greting');
  });

  it('fails the test when a masked secret is printed', async () => {
    await expect(runAction(probe, { inputs: { token: 's3cr3t-value', leak: true } })).rejects.toThrow(
      'a secret appears in the log',
    );
    const clean = await runAction(probe, { inputs: { token: 's3cr3t-value' } });
    expect(clean.exitCode).toBe(0);
  });

  it('cancels like the runner: SIGINT, then the post step still runs', async () => {
    const result = await runAction(probe, { inputs: { 'wait-ms': 30000 }, cancelOnLine: /^workspace=/ });
    expect(result.cancelled).toBe(true);
    expect(result.log).toContain('cancelled: cleaning up');
    expect(result.durationMs).toBeLessThan(10000);
    expect(result.post?.exitCode).toBe(0);
  });
});
