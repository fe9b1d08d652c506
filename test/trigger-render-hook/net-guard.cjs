// Preloaded into the action under test (NODE_OPTIONS=--require): records every outgoing connection in
// NET_GUARD_FILE, and refuses (without connecting) any whose host is not loopback, so a hostile-input test
// fails on a request instead of ever reaching another machine.
const fs = require('node:fs');
const net = require('node:net');

const file = process.env.NET_GUARD_FILE;
const loopback = (host) =>
  host === undefined || host === 'localhost' || /^127\./.test(host) || host === '::1' || host === '[::1]';
const connect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function guarded(...args) {
  const options = typeof args[0] === 'object' && args[0] !== null ? args[0] : { port: args[0], host: args[1] };
  const host = options.path ? 'localhost' : options.host;
  fs.appendFileSync(file, `${loopback(host) ? 'loopback' : 'REFUSED'} ${host}:${options.port ?? ''}\n`);
  if (!loopback(host)) {
    process.nextTick(() => this.destroy(new Error(`net-guard: refused a connection to ${host}`)));
    return this;
  }
  return connect.apply(this, args);
};
