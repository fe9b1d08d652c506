// Preloaded by bench/startup.ts (`node --require`): ends the process the moment the action first reads an
// input (reads an INPUT_* variable), printing the time since the process started. That moment is the
// action's first input check; nothing after it runs, so the bundle makes no side effect.
// With STARTUP_PROBE_MODULES=1 it also lists the Node built-in modules loaded by then beyond a bare start, to
// find what a bundle loads too early: `STARTUP_PROBE_MODULES=1 node --require ./bench/startup-probe.cjs dist/<a>/index.js`
// (http, https, tls, http2 and worker_threads there mean undici, usually through @actions/core).
'use strict';
const { performance } = require('node:perf_hooks');
const atStart = new Set(process.moduleLoadList);
const original = process.env;
const done = () => {
  process.stdout.write(`first-input-ms=${performance.now().toFixed(2)}\n`);
  if (original.STARTUP_PROBE_MODULES === '1') {
    const loaded = process.moduleLoadList
      .filter((m) => !atStart.has(m) && m.startsWith('NativeModule ') && !m.includes('internal/'))
      .map((m) => m.slice('NativeModule '.length));
    process.stdout.write(`built-ins loaded: ${loaded.join(' ')}\n`);
  }
  process.exit(0);
};
process.env = new Proxy(original, {
  get(target, key) {
    if (typeof key === 'string' && key.startsWith('INPUT_')) done();
    return target[key];
  },
  has(target, key) {
    if (typeof key === 'string' && key.startsWith('INPUT_')) done();
    return key in target;
  },
});
