// Preloaded into the action under test (NODE_OPTIONS=--require): records, and refuses, any TCP connection
// to a host that is not loopback, so a hostile-input test fails if the action tried to reach one.
const fs = require('node:fs');
const net = require('node:net');

const file = process.env.PUSH_REGISTRY_GUARD_FILE;
const connect = net.Socket.prototype.connect;
const loopback = (host) => /^(127\.\d+\.\d+\.\d+|::1|localhost|::ffff:127\.\d+\.\d+\.\d+)$/i.test(host);

net.Socket.prototype.connect = function guardedConnect(...args) {
  let options = args[0];
  if (Array.isArray(options)) options = options[0];
  let host;
  if (options && typeof options === 'object') {
    if (options.path) return connect.apply(this, args);
    host = options.host ?? 'localhost';
  } else host = typeof args[1] === 'string' ? args[1] : 'localhost';
  if (!loopback(String(host).replace(/^\[|\]$/g, ''))) {
    if (file) fs.appendFileSync(file, `${host}\n`);
    throw new Error(`connection guard: refused a connection to ${host}`);
  }
  return connect.apply(this, args);
};
