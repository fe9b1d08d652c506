// Preloaded by bench/startup.ts (`node --require`): ends the process the moment the action first reads an
// input (reads an INPUT_* variable), printing the time since the process started. That
// moment is the action's first input check; nothing after it runs, so the bundle makes no side effect.
'use strict';
const { performance } = require('node:perf_hooks');
const original = process.env;
const done = () => {
  process.stdout.write(`first-input-ms=${performance.now().toFixed(2)}\n`);
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
