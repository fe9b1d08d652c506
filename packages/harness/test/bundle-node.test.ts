import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleNode } from '../src/bundle-node';
import { runAction } from '../src/run-action';

const probe = join(import.meta.dirname, 'fixtures', 'probe-action');
const saved = { node: process.env.DEPLOY_ACTIONS_NODE, dir: process.env.DEPLOY_ACTIONS_SERVICES_DIR };
let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'bundle-node-'));
  delete process.env.DEPLOY_ACTIONS_NODE;
  process.env.DEPLOY_ACTIONS_SERVICES_DIR = dir;
});
afterEach(() => {
  for (const [key, value] of [
    ['DEPLOY_ACTIONS_NODE', saved.node],
    ['DEPLOY_ACTIONS_SERVICES_DIR', saved.dir],
  ] as const) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  rmSync(dir, { recursive: true, force: true });
});

/** A node that says it is another version (and marks the steps it ran), then runs this one. */
function fakeNode(version: string): string {
  const file = join(dir, 'node');
  const script = `#!/bin/sh\n[ "$1" = --version ] && { echo ${version}; exit 0; }\necho "ran by the fake node, NODE_OPTIONS=[$NODE_OPTIONS]"\nexec "${process.execPath}" "$@"\n`;
  writeFileSync(file, script);
  chmodSync(file, 0o755);
  return file;
}

describe('bundleNode', () => {
  it("runs the bundle with services.env's NODE24 and says so in the result", async () => {
    const node = fakeNode('v24.99.0');
    writeFileSync(join(dir, 'services.env'), `REGISTRY=127.0.0.1:5000\nNODE24=${node}\n`);
    expect(bundleNode()).toEqual({ path: node, version: 'v24.99.0', from: 'services.env' });
    const result = await runAction(probe);
    expect(result.exitCode).toBe(0);
    expect(result.log).toContain('ran by the fake node, NODE_OPTIONS=[]'); // not jest's --experimental-vm-modules
    expect(result.node).toBe(`node v24.99.0 (${node}, from services.env)`);
    expect(result.post?.node).toBe(result.node);
  });

  it('prefers DEPLOY_ACTIONS_NODE, and falls back to this process when neither is set', () => {
    writeFileSync(join(dir, 'services.env'), 'NODE24=/nonexistent/node\n');
    process.env.DEPLOY_ACTIONS_NODE = fakeNode('v24.1.0');
    expect(bundleNode()).toMatchObject({ version: 'v24.1.0', from: 'DEPLOY_ACTIONS_NODE' });
    delete process.env.DEPLOY_ACTIONS_NODE;
    rmSync(join(dir, 'services.env'));
    expect(bundleNode()).toEqual({ path: process.execPath, version: process.version, from: 'process.execPath' });
  });

  it('names the node and the fix when the one services.env names does not run', async () => {
    writeFileSync(join(dir, 'services.env'), 'NODE24=/nonexistent/node\n');
    await expect(runAction(probe)).rejects.toThrow(
      /the node named by services\.env \(\/nonexistent\/node\) does not run .*run "npm run services"/,
    );
  });
});
