// Preloaded into an action under test (NODE_OPTIONS=--require): records every connection the process
// opens (to LOOPBACK_GUARD_LOG, one "host:port" per line) and ends the process with exit code 97 on any
// connection to a host that is not loopback, before a byte is sent. Tests use it to prove that a bad input
// made no request at all, and that nothing ever reaches a real network address.
const net = require('node:net');
const { appendFileSync } = require('node:fs');

const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|::1|\[::1\]|::ffff:127(?:\.\d{1,3}){3})$/i;
const log = process.env.LOOPBACK_GUARD_LOG;
const connect = net.Socket.prototype.connect;

net.Socket.prototype.connect = function guardedConnect(...args) {
  let options = args[0];
  if (Array.isArray(options)) options = options[0];
  let host;
  let port;
  let path;
  if (options !== null && typeof options === 'object') {
    ({ host = 'localhost', port, path } = options);
  } else if (typeof options === 'string' && Number.isNaN(Number(options))) {
    path = options;
  } else {
    port = options;
    host = typeof args[1] === 'string' ? args[1] : 'localhost';
  }
  const target = path ? `unix:${path}` : `${host}:${port}`;
  if (log) appendFileSync(log, `${target}\n`);
  if (!path && !LOOPBACK.test(String(host))) {
    process.stderr.write(`loopback-guard: refused a connection to ${target}\n`);
    process.exit(97);
  }
  return connect.apply(this, args);
};
