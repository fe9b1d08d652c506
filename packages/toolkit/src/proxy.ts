import type { Agent as HttpAgent } from 'node:http';
import { createRequire } from 'node:module';
import type { NodeHttpHandler } from '@smithy/node-http-handler';
import { userAgent } from './http';

/**
 * Proxies for self-hosted runners behind one: `HTTPS_PROXY`/`HTTP_PROXY`/`NO_PROXY` (either case) honoured
 * by the three ways the actions reach the network, with one rule for which host goes through the proxy:
 * - fetch (our HttpClient, google-auth-library/gaxios, @actions/*): `configureProxy()` installs undici's
 *   EnvHttpProxyAgent as the global dispatcher. undici 6 is pinned on purpose: Node's built-in fetch on both
 *   Node 20 and Node 24 drives the global dispatcher with the legacy (v1) handler callbacks that undici 6
 *   implements natively (undici 8 dispatchers reject them).
 * - node:https / node:http (the registry transport): `proxyAgent('https' | 'http')`, an agent that tunnels
 *   (CONNECT, https-proxy-agent) or forwards (http-proxy-agent) per request by the same rule;
 * - the AWS SDK: `awsRequestHandler()`, a NodeHttpHandler on those agents.
 * Everything runs only when a proxy variable is set (undici is even a lazy chunk), so a run without a proxy
 * pays nothing at start-up.
 */

type Env = Record<string, string | undefined>;

const read = (env: Env, name: string) => env[name.toLowerCase()] ?? env[name.toUpperCase()];

export function proxyConfigured(env: Env = process.env): boolean {
  return Boolean(read(env, 'https_proxy') || read(env, 'http_proxy'));
}

/**
 * The proxy URL for a target, or undefined for a direct connection. NO_PROXY entries: `*`, a host
 * (`example.com` also covers its subdomains, as does `.example.com`), an optional `:port`, or an IP address
 * (no CIDR ranges, like curl). As in curl and undici, loopback is proxied unless NO_PROXY names it.
 */
export function proxyFor(target: string | URL, env: Env = process.env): string | undefined {
  const url = typeof target === 'string' ? new URL(target) : target;
  const proxy =
    url.protocol === 'https:' ? read(env, 'https_proxy') || read(env, 'http_proxy') : read(env, 'http_proxy');
  if (!proxy) return undefined;
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  for (const raw of (read(env, 'no_proxy') ?? '').split(/[,\s]+/).filter(Boolean)) {
    const entry = raw.toLowerCase();
    if (entry === '*') return undefined;
    const [, name, entryPort] = /^\[?([^\]]*?)\]?(?::(\d+))?$/.exec(entry.replace(/^\*?\./, '.')) ?? [];
    if (!name || (entryPort && entryPort !== port)) continue;
    const bare = name.replace(/^\./, '');
    if (host === bare || host.endsWith(`.${bare}`)) return undefined;
  }
  return proxy;
}

let configured: { key: string; done: Promise<void> } | undefined;

/** Routes global fetch through the proxy when one is configured (once per setting; no-op otherwise). */
export function configureProxy(env: Env = process.env): Promise<void> {
  if (!proxyConfigured(env)) return Promise.resolve();
  const key = ['http_proxy', 'https_proxy', 'no_proxy'].map((n) => read(env, n) ?? '').join('\n');
  if (configured?.key === key) return configured.done;
  const done = (async () => {
    const { EnvHttpProxyAgent, setGlobalDispatcher } = await import('undici');
    setGlobalDispatcher(
      new EnvHttpProxyAgent({
        httpProxy: read(env, 'http_proxy'),
        httpsProxy: read(env, 'https_proxy') || read(env, 'http_proxy'),
        noProxy: read(env, 'no_proxy'),
      }),
    );
  })();
  configured = { key, done };
  return done;
}

// The agent packages are CommonJS: `require` keeps these functions synchronous (a transport or an SDK client
// is built synchronously). ncc bundles them, but their code runs only when a proxy is configured.
const require = createRequire(import.meta.url);

/**
 * An agent for node:https (or node:http) that sends each request through the proxy or directly by
 * `proxyFor`. Undefined without a proxy (use your default agent).
 */
export function proxyAgent(kind: 'https' | 'http', env: Env = process.env): HttpAgent | undefined {
  if (!proxyConfigured(env)) return undefined;
  const { Agent } = require('agent-base') as typeof import('agent-base');
  const { HttpsProxyAgent } = require('https-proxy-agent') as typeof import('https-proxy-agent');
  const { HttpProxyAgent } = require('http-proxy-agent') as typeof import('http-proxy-agent');
  // node:https costs ~8 ms to load: only here, when a proxy is set.
  const direct =
    kind === 'https'
      ? new (require('node:https') as typeof import('node:https')).Agent({ keepAlive: true })
      : new (require('node:http') as typeof import('node:http')).Agent({ keepAlive: true });
  const through = new Map<string, HttpAgent>();
  class Routing extends Agent {
    connect(_req: unknown, options: { secureEndpoint: boolean; host?: string; port?: number }) {
      const scheme = options.secureEndpoint ? 'https' : 'http';
      const host = options.host?.includes(':') ? `[${options.host}]` : options.host;
      const proxy = proxyFor(`${scheme}://${host}:${options.port}`, env);
      if (!proxy) return direct;
      const key = `${scheme} ${proxy}`;
      let agent = through.get(key);
      if (!agent) {
        agent = options.secureEndpoint
          ? new HttpsProxyAgent(proxy, { keepAlive: true })
          : new HttpProxyAgent(proxy, { keepAlive: true });
        through.set(key, agent);
      }
      return agent;
    }
  }
  return new Routing({ keepAlive: true });
}

/**
 * A request handler for AWS SDK v3 clients: `new ECSClient({ region, requestHandler: awsRequestHandler() })`.
 * The SDK's own NodeHttpHandler on the proxy agents; undefined without a proxy (the SDK's default handler).
 */
export function awsRequestHandler(env: Env = process.env): NodeHttpHandler | undefined {
  if (!proxyConfigured(env)) return undefined;
  const { NodeHttpHandler } = require('@smithy/node-http-handler') as typeof import('@smithy/node-http-handler');
  return new NodeHttpHandler({ httpsAgent: proxyAgent('https', env), httpAgent: proxyAgent('http', env) });
}

/**
 * What every AWS SDK client of the suite is built with: the proxy handler (when a proxy is configured) and the
 * suite's user agent. `new ECSClient({ region, maxAttempts, ...awsClientOptions() })`.
 */
export function awsClientOptions(env: Env = process.env): {
  requestHandler?: NodeHttpHandler;
  customUserAgent: string;
} {
  const requestHandler = awsRequestHandler(env);
  return { ...(requestHandler ? { requestHandler } : {}), customUserAgent: userAgent() };
}
