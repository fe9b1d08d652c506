import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

/**
 * A PostgreSQL server on loopback that echoes the credentials it is sent (issue 12's echo tests). It asks
 * every client for its password in clear text (AuthenticationCleartextPassword, which libpq and
 * node-postgres both answer), then either lets the connection in (answering any `SELECT ... AS x` with one
 * row) or refuses it with a FATAL ErrorResponse whose message quotes the user and the password in
 * `echo(user, password)`: what a hostile or buggy server (or a proxy in front of one) could send back,
 * and what the driver and pg_dump then print. Hand-written: the few messages of the v3 wire protocol a
 * login and a simple query need (PostgreSQL docs, "Frontend/Backend Protocol", "Message Formats").
 */

export interface EchoPostgres {
  host: string;
  port: number;
  /** The logins seen, in order: who, which application, and whether they were let in. */
  logins: { user: string; application: string; password: string; admitted: boolean }[];
  close(): Promise<void>;
}

export interface EchoPostgresOptions {
  /** Let the first `admit` logins in (e.g. 1: the action's version query passes, pg_dump's login fails). */
  admit?: number;
  /** The FATAL message for a refused login. */
  echo: (user: string, password: string) => string;
  /** server_version_num the admitted sessions report. */
  versionNum?: string;
}

const SSL_REQUEST = 80877103;
const GSSENC_REQUEST = 80877104;
const PROTOCOL_3 = 196608;

function message(type: string, ...parts: Buffer[]): Buffer {
  const body = Buffer.concat(parts);
  const header = Buffer.alloc(5);
  header.write(type, 0, 'latin1');
  header.writeInt32BE(body.length + 4, 1);
  return Buffer.concat([header, body]);
}
const int32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeInt32BE(n);
  return b;
};
const int16 = (n: number) => {
  const b = Buffer.alloc(2);
  b.writeInt16BE(n);
  return b;
};
const cstring = (text: string) => Buffer.from(`${text}\0`, 'utf8');

function errorResponse(text: string): Buffer {
  return message(
    'E',
    Buffer.from('S'),
    cstring('FATAL'),
    Buffer.from('V'),
    cstring('FATAL'),
    Buffer.from('C'),
    cstring('28P01'),
    Buffer.from('M'),
    cstring(text),
    Buffer.from([0]),
  );
}

/** One row for `SELECT <expr> AS a, <expr> AS b`: the values the action's queries read. */
function answer(sql: string, versionNum: string): Buffer {
  const values: Record<string, string> = { pid: '4242', num: versionNum, text: `${versionNum.slice(0, 2)}.4 (echo)` };
  const columns = [...sql.matchAll(/\bAS\s+(\w+)/gi)].map((m) => m[1]);
  const names = columns.length ? columns : ['?column?'];
  const description = message(
    'T',
    int16(names.length),
    ...names.flatMap((name) => [cstring(name), int32(0), int16(0), int32(25), int16(-1), int32(-1), int16(0)]),
  );
  const row = message(
    'D',
    int16(names.length),
    ...names.flatMap((name) => {
      const value = Buffer.from(values[name] ?? '1');
      return [int32(value.length), value];
    }),
  );
  return Buffer.concat([description, row, message('C', cstring('SELECT 1')), message('Z', Buffer.from('I'))]);
}

export async function echoPostgres(options: EchoPostgresOptions): Promise<EchoPostgres> {
  const sockets = new Set<Socket>();
  const echo: EchoPostgres = { host: '127.0.0.1', port: 0, logins: [], close: () => Promise.resolve() };
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    let buffered = Buffer.alloc(0);
    let started = false;
    let user = '';
    let application = '';
    socket.on('data', (chunk) => {
      buffered = Buffer.concat([buffered, chunk]);
      for (;;) {
        if (!started) {
          if (buffered.length < 8) return;
          const length = buffered.readInt32BE(0);
          if (buffered.length < length) return;
          const code = buffered.readInt32BE(4);
          const body = buffered.subarray(8, length);
          buffered = buffered.subarray(length);
          if (code === SSL_REQUEST || code === GSSENC_REQUEST) {
            socket.write('N');
            continue;
          }
          if (code !== PROTOCOL_3) return void socket.destroy();
          const fields = body.toString('utf8').split('\0');
          for (let i = 0; i + 1 < fields.length; i += 2) {
            if (fields[i] === 'user') user = fields[i + 1];
            if (fields[i] === 'application_name') application = fields[i + 1];
          }
          started = true;
          socket.write(message('R', int32(3)));
          continue;
        }
        if (buffered.length < 5) return;
        const type = String.fromCharCode(buffered[0]);
        const length = buffered.readInt32BE(1);
        if (buffered.length < length + 1) return;
        const body = buffered.subarray(5, length + 1);
        buffered = buffered.subarray(length + 1);
        if (type === 'p') {
          const password = body.toString('utf8').replace(/\0$/, '');
          const admitted = echo.logins.filter((l) => l.admitted).length < (options.admit ?? 0);
          echo.logins.push({ user, application, password, admitted });
          if (!admitted) {
            socket.end(errorResponse(options.echo(user, password)));
            return;
          }
          socket.write(
            Buffer.concat([
              message('R', int32(0)),
              message('S', cstring('server_version'), cstring('15.4')),
              message('S', cstring('client_encoding'), cstring('UTF8')),
              message('S', cstring('standard_conforming_strings'), cstring('on')),
              message('K', int32(4242), int32(1)),
              message('Z', Buffer.from('I')),
            ]),
          );
        } else if (type === 'Q') {
          socket.write(answer(body.toString('utf8'), options.versionNum ?? '150004'));
        } else if (type === 'X') {
          socket.end();
          return;
        }
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  echo.port = (server.address() as AddressInfo).port;
  echo.close = () =>
    new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    });
  return echo;
}
