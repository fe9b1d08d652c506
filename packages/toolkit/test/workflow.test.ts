import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as core from '@actions/core';
import { workflow } from '../src';

/** What a function prints to stdout. */
function printed(fn: () => void): string {
  const chunks: string[] = [];
  const write = process.stdout.write;
  process.stdout.write = ((chunk: string) => chunks.push(String(chunk)) > 0) as typeof process.stdout.write;
  try {
    fn();
  } finally {
    process.stdout.write = write;
  }
  return chunks.join('');
}

const awkward = 'line one\nline two\r 100% done: a,b';

describe('workflow commands, byte for byte as @actions/core', () => {
  it.each([
    ['info', (c: typeof workflow) => c.info(awkward)],
    ['debug', (c: typeof workflow) => c.debug(awkward)],
    [
      'error',
      (c: typeof workflow) => c.error(awkward, { title: 'T: x,y', file: 'a.ts', startLine: 3, startColumn: 2 }),
    ],
    ['warning', (c: typeof workflow) => c.warning(new Error('bad: thing'))],
    ['notice', (c: typeof workflow) => c.notice(awkward, { title: 'n' })],
    ['setSecret', (c: typeof workflow) => c.setSecret('s3cr3t%\nx')],
    ['setFailed', (c: typeof workflow) => c.setFailed(awkward)],
  ])('%s', (_, call) => {
    const exit = process.exitCode;
    const ours = printed(() => call(workflow));
    const theirs = printed(() => call(core as unknown as typeof workflow));
    process.exitCode = exit;
    expect(ours).toBe(theirs);
  });

  it('writes file commands the runner parses, as core does, and reads state and inputs', () => {
    const dir = mkdtempSync(join(tmpdir(), 'workflow-'));
    const saved = { ...process.env };
    try {
      for (const name of ['GITHUB_OUTPUT', 'GITHUB_STATE', 'GITHUB_ENV', 'GITHUB_PATH']) {
        process.env[name] = join(dir, name);
        writeFileSync(join(dir, name), '');
      }
      workflow.setOutput('multi', 'one\ntwo');
      workflow.saveState('isPost', true);
      workflow.exportVariable('FOO', { a: 1 });
      workflow.addPath('/opt/bin');
      const output = readFileSync(join(dir, 'GITHUB_OUTPUT'), 'utf8');
      expect(output).toMatch(/^multi<<(ghadelimiter_[0-9a-f-]{36})\none\ntwo\n\1\n$/);
      expect(readFileSync(join(dir, 'GITHUB_STATE'), 'utf8')).toMatch(/^isPost<<(ghadelimiter_\S+)\ntrue\n\1\n$/);
      expect(readFileSync(join(dir, 'GITHUB_ENV'), 'utf8')).toMatch(/^FOO<<(ghadelimiter_\S+)\n\{"a":1\}\n\1\n$/);
      expect(readFileSync(join(dir, 'GITHUB_PATH'), 'utf8')).toBe('/opt/bin\n');
      expect(process.env.FOO).toBe('{"a":1}');
      expect(process.env.PATH?.startsWith('/opt/bin:')).toBe(true);
      process.env.STATE_isPost = 'true';
      process.env.INPUT_MY_INPUT = '  v  ';
      expect([workflow.getState('isPost'), workflow.getInput('my input')]).toEqual(['true', 'v']);
      expect(() => workflow.getInput('missing', { required: true })).toThrow(
        'Input required and not supplied: missing',
      );
    } finally {
      process.env = saved;
    }
  });
});
