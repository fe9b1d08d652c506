// Preloaded into the action under test (NODE_OPTIONS=--import): refuses, and records in $CONNECTION_GUARD_LOG,
// any TCP connection to a host that is not loopback, so a test fails if the action would call out.
import { appendFileSync } from 'node:fs';
import net from 'node:net';

const log = process.env.CONNECTION_GUARD_LOG;
const loopback = (host) =>
  host === undefined || host === 'localhost' || host === '::1' || /^127\./.test(host) || host === '[::1]';
const original = net.Socket.prototype.connect;
net.Socket.prototype.connect = function connect(...args) {
  const options = typeof args[0] === 'object' && args[0] !== null ? args[0] : { port: args[0], host: args[1] };
  if (options.path === undefined && !loopback(options.host)) {
    if (log) appendFileSync(log, `${options.host}:${options.port}\n`);
    throw new Error(`connection guard: refused a connection to ${options.host}`);
  }
  return original.apply(this, args);
};
