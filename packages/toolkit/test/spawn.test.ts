import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execTool, registerSecret, spawnTool, TimeoutError, toolEnv } from '../src';

const node = process.execPath;
const dir = mkdtempSync(join(tmpdir(), 'spawn-test-'));

/** Waits for a file the child writes, so the test acts on a condition it controls, not on time. */
async function until(file: string): Promise<void> {
  for (let i = 0; i < 3000 && !existsSync(file); i++) await new Promise((r) => setTimeout(r, 10));
}

describe('spawnTool', () => {
  it('never passes INPUT_*, STATE_* or the runner tokens to the child', async () => {
    const env = {
      PATH: process.env.PATH,
      INPUT_DATABASE_URL: 'postgres://u:p@h/db',
      input_lower: 'x',
      STATE_isPost: 'true',
      ACTIONS_RUNTIME_TOKEN: 'rt',
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'oidc',
      KEEP: 'kept',
    };
    const result = await execTool(node, ['-e', 'console.log(Object.keys(process.env).sort().join(","))'], { env });
    expect(result.code).toBe(0);
    expect(result.stdout.split(',')).toEqual(expect.arrayContaining(['KEEP', 'PATH']));
    expect(result.stdout).not.toMatch(/INPUT|input_|STATE_|ACTIONS_/);
    expect(Object.keys(toolEnv(env, true))).toContain('ACTIONS_RUNTIME_TOKEN');
  });

  it('redacts every line, in every encoding, before the log, the tail and stdout see it', async () => {
    registerSecret('tool-secret-123');
    const seen: string[] = [];
    const result = await execTool(
      node,
      ['-e', 'console.log("pw=tool-secret-123"); console.error(encodeURIComponent("a tool-secret-123"))'],
      { onLine: (line) => seen.push(line) },
    );
    expect(seen.sort()).toEqual(['a%20***', 'pw=***']);
    expect(result.stdout).toBe('pw=***');
    expect(result.tail.join('\n')).not.toContain('tool-secret-123');
  });

  it('writes stdin and keeps raw stdout when asked', async () => {
    const result = await execTool(node, ['-e', 'process.stdin.pipe(process.stdout)'], {
      stdin: '{"Secret":"tool-secret-123"}',
      rawStdout: true,
    });
    expect(JSON.parse(result.stdout)).toEqual({ Secret: 'tool-secret-123' });
  });

  it('stops the whole process group on abort: SIGTERM, then SIGKILL after the grace', async () => {
    const ready = join(dir, 'ready');
    // A shell that starts a grandchild ignoring SIGTERM: only the group SIGKILL ends it.
    const script = `process.on('SIGTERM', () => {}); const fs = require('fs'); fs.writeFileSync(${JSON.stringify(`${ready}.tmp`)}, String(process.pid)); fs.renameSync(${JSON.stringify(`${ready}.tmp`)}, ${JSON.stringify(ready)}); setInterval(() => {}, 1000);`;
    const controller = new AbortController();
    const running = spawnTool('sh', ['-c', `${node} -e "${script.replace(/"/g, '\\"')}"; echo never`], {
      signal: controller.signal,
      graceMs: 100,
    });
    await until(ready);
    controller.abort(new Error('cancelled'));
    const result = await running.done;
    expect(result.stopped).toBe('cancelled');
    const grandchild = Number(readFileSync(ready, 'utf8'));
    expect(grandchild).toBeGreaterThan(1);
    // Killed; wait for init to reap it (a zombie still answers signal 0).
    const alive = () => {
      try {
        process.kill(grandchild, 0);
        return !/State:\s+Z/.test(readFileSync(`/proc/${grandchild}/status`, 'utf8'));
      } catch {
        return false;
      }
    };
    // SIGKILL is delivered at once, but the kernel may take a moment to tear the process down.
    for (let i = 0; i < 500 && alive(); i++) await new Promise((r) => setTimeout(r, 10));
    expect(alive()).toBe(false);
  });

  it('says timeout when the abort reason is a timeout, or its own timeoutMs passes', async () => {
    const controller = new AbortController();
    controller.abort(new TimeoutError('step timeout'));
    const aborted = await execTool(node, ['-e', 'setInterval(() => {}, 1000)'], { signal: controller.signal });
    expect(aborted.stopped).toBe('timeout');
    const own = await execTool(node, ['-e', 'setInterval(() => {}, 1000)'], { timeoutMs: 50 });
    expect(own).toMatchObject({ stopped: 'timeout', signal: 'SIGTERM' });
  });

  it('reports a program that cannot start as 127 with the reason', async () => {
    const result = await execTool('/nonexistent/tool', []);
    expect(result.code).toBe(127);
    expect(result.error).toMatch(/ENOENT/);
  });
});
