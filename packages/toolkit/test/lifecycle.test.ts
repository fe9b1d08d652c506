import { existsSync } from 'node:fs';
import {
  type ActionIO,
  defineAction,
  RecordingLogger,
  registerSecret,
  runAction,
  timeoutInput,
  UserError,
} from '../src';

const manifest = defineAction({
  id: 'demo',
  name: 'Demo deploy',
  description: 'd',
  branding: { icon: 'play', color: 'blue' },
  inputs: { target: { kind: 'string', required: true, description: 't' }, ...timeoutInput('1h') },
  outputs: { status: { description: 's' }, done: { description: 'd' } },
});

function recordingIO(inputs: Record<string, string>) {
  const state = new Map<string, string>();
  const signals: ((s: string) => void)[] = [];
  const io: ActionIO & {
    outputs: Record<string, string>;
    summary: string;
    failed: string[];
    exits: number[];
    raise(s: string): void;
  } = {
    env: Object.fromEntries(Object.entries(inputs).map(([k, v]) => [`INPUT_${k.toUpperCase()}`, v])),
    log: new RecordingLogger(),
    clock: { now: () => Date.now(), sleep: (ms) => new Promise((r) => setTimeout(r, ms)) },
    outputs: {},
    summary: '',
    failed: [],
    exits: [],
    setOutput(name, value) {
      this.outputs[name] = value;
    },
    writeSummary(markdown) {
      this.summary += markdown;
    },
    setFailed(message) {
      this.failed.push(message);
    },
    state: { get: (n) => state.get(n) ?? '', set: (n, v) => state.set(n, v) },
    exit(code) {
      this.exits.push(code);
    },
    onSignal(handler) {
      signals.push(handler);
      return () => signals.splice(0);
    },
    raise(s) {
      for (const h of signals) h(s);
    },
  };
  return io;
}

describe('runAction', () => {
  it('runs main with typed inputs, then the report, and writes outputs and the shared header', async () => {
    const io = recordingIO({ target: 'prod' });
    let dir = '';
    await runAction(
      {
        manifest,
        async main(ctx) {
          dir = ctx.tempDir();
          ctx.log.info(`deploying to ${ctx.inputs.target}`);
          return { url: 'https://x' };
        },
        report(ctx, outcome) {
          ctx.output('status', outcome.status);
          if (outcome.status === 'success') ctx.summary.facts([['URL', outcome.value.url]]);
        },
      },
      io,
    );
    expect(io.outputs).toEqual({ status: 'success' });
    expect(io.summary).toMatch(/^## ✅ Demo deploy: succeeded\n/);
    expect(io.summary).toContain('<th align="left">URL</th><td>https://x</td>');
    expect(io.failed).toEqual([]);
    expect(existsSync(dir)).toBe(false); // no post step: removed at the end of main
  });

  it('reports an input error with the one-line message, before main', async () => {
    const io = recordingIO({});
    let called = false;
    const main = async () => {
      called = true;
    };
    await runAction({ manifest, main, report: (ctx, o) => ctx.output('status', o.status) }, io);
    expect(called).toBe(false);
    expect(io.failed).toEqual([`Input "target": is required but empty; set it in the step's "with:" block`]);
    expect(io.outputs.status).toBe('failure');
    expect(io.summary).toMatch(/^## ❌ Demo deploy: failed\n/);
  });

  it('still reports what was done when main fails, with no stack and secrets redacted', async () => {
    const io = recordingIO({ target: 'prod' });
    registerSecret('s3cr3t-pass');
    await runAction<typeof manifest, string, { pushed?: string }>(
      {
        manifest,
        async main(ctx) {
          ctx.progress.pushed = 'app:1';
          throw new UserError('the registry refused s3cr3t-pass');
        },
        report(ctx, outcome) {
          ctx.output('done', ctx.progress.pushed);
          ctx.summary.steps([
            { label: 'Push', state: ctx.progress.pushed ? 'done' : 'not-run' },
            { label: 'Deploy', state: outcome.status === 'success' ? 'done' : 'not-run' },
          ]);
        },
      },
      io,
    );
    expect(io.outputs).toEqual({ done: 'app:1' });
    expect(io.failed).toEqual(['the registry refused ***']);
    expect(io.summary).toContain('✅ Push');
    expect(io.summary).toContain('◻️ Deploy');
    expect(io.summary).toContain('> **Error:** the registry refused ***');
    expect((io.log as RecordingLogger).text('debug')).toBe('');
  });

  it('aborts ctx.signal on SIGINT and reports cancelled', async () => {
    const io = recordingIO({ target: 'prod' });
    await runAction(
      {
        manifest,
        main: (ctx) =>
          new Promise((_, reject) => {
            ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason));
            setImmediate(() => io.raise('SIGINT'));
          }),
        report: (ctx, o) => ctx.output('status', o.status),
      },
      io,
    );
    expect(io.outputs.status).toBe('cancelled');
    expect(io.failed[0]).toMatch(/^The run was cancelled \(SIGINT\) after/);
    expect(io.summary).toMatch(/^## 🛑 Demo deploy: cancelled/);
    expect(io.exits).toEqual([1]);
  });

  it('aborts ctx.signal at the step timeout and reports timeout, even when main ignores it', async () => {
    const io = recordingIO({ target: 'prod', timeout: '50ms' });
    const m = defineAction({
      ...manifest,
      inputs: { ...manifest.inputs, timeout: { ...manifest.inputs.timeout, min: 1 } },
    });
    await runAction(
      {
        manifest: m,
        main: () => new Promise(() => {}),
        report: (ctx, o) => ctx.output('status', o.status),
        timeoutGraceMs: 10,
      },
      io,
    );
    expect(io.outputs.status).toBe('timeout');
    expect(io.failed).toEqual(['The step ran past its timeout of 50ms; raise "timeout" if it needs longer']);
  });

  it('keeps temp dirs for the post step, which removes them', async () => {
    const m = defineAction({ ...manifest, post: true });
    const io = recordingIO({ target: 'prod' });
    let dir = '';
    const action = {
      manifest: m,
      main: async (ctx: { tempDir(): string }) => {
        dir = ctx.tempDir();
      },
      report: () => {},
    };
    await runAction(action, io);
    expect(existsSync(dir)).toBe(true);
    expect(io.state.get('isPost')).toBe('true');
    await runAction(action, io);
    expect(existsSync(dir)).toBe(false);
  });
});
