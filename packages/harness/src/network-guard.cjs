// Preloaded into an action bundle by the harness (`node --require network-guard.cjs bundle.js`): records every
// outgoing TCP connection the bundle makes, and refuses any to an address outside loopback, so a test fails
// (and shows where) instead of reaching the network. Unix sockets (the Docker engine) pass. Checked after DNS
// resolution, so a name that resolves to loopback passes and one that resolves elsewhere is refused.
// CommonJS because `--require` must patch net before the bundle loads.
'use strict';
const net = require('node:net');
const dns = require('node:dns');
const fs = require('node:fs');

const logFile = process.env.DEPLOY_ACTIONS_NET_LOG;
const isLoopback = (address) =>
  /^127\./.test(address) || address === '::1' || /^::ffff:127\./i.test(address) || address === 'localhost';

function record(host, port, blocked) {
  if (!logFile) return;
  try {
    fs.appendFileSync(logFile, `${JSON.stringify({ host: String(host), port: Number(port), blocked })}\n`);
  } catch {
    // The log is for the test; never break the action over it.
  }
}

function refusal(host, port) {
  const error = new Error(
    `connect EACCES ${host}:${port} (harness network guard: only loopback is reachable in tests)`,
  );
  error.code = 'EACCES';
  return error;
}

const connect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function guardedConnect(...given) {
  let args = given;
  // connect(port[, host][, callback]) → connect(options, callback), so the lookup below is used.
  if (typeof args[0] !== 'object' || args[0] === null) {
    const callback = args.find((a) => typeof a === 'function');
    args = [
      { port: args[0], host: typeof args[1] === 'string' ? args[1] : undefined },
      ...(callback ? [callback] : []),
    ];
  }
  const normalized = Array.isArray(args[0]) ? args[0] : null;
  const options = normalized?.[0] ?? args[0];
  if (options.path) return connect.apply(this, args);
  const host = options.host ?? 'localhost';
  const port = options.port;
  if (net.isIP(host)) {
    const blocked = !isLoopback(host);
    record(host, port, blocked);
    if (blocked) {
      process.nextTick(() => this.destroy(refusal(host, port)));
      return this;
    }
    return connect.apply(this, args);
  }
  // A name: check what it resolves to.
  const lookup = options.lookup ?? dns.lookup;
  options.lookup = (name, lookupOptions, callback) => {
    lookup(name, lookupOptions, (error, address, family) => {
      if (error) return callback(error, address, family);
      const addresses = Array.isArray(address) ? address.map((a) => a.address) : [address];
      const blocked = addresses.some((a) => !isLoopback(a));
      record(`${name} (${addresses.join(', ')})`, port, blocked);
      if (blocked) return callback(refusal(name, port));
      callback(null, address, family);
    });
  };
  return connect.apply(this, args);
};
