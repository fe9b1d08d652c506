// The toolkit's files, not its index: the fragment and its parsers are in actions' entry chunks, which load
// nothing else of the toolkit before the inputs are read (start-up).
import { inputFragment } from '../../toolkit/src/manifest';

/**
 * The health gate's inputs, defined once: the union of deploy-cloudrun's and trigger-render-hook's probes,
 * under today's names. An action spreads the ones it has (`pickInputs(healthInputs, [...])`) and may
 * override a default (`{ ...healthInputs['health-interval'], default: '5s' }`). `health-timeout` bounds one
 * probe; the whole step is bounded by `timeout`.
 */
export const healthInputs = inputFragment({
  'health-path': {
    kind: 'string',
    description: 'After the deploy, GET this path (starting with /) on the service URL until it answers as expected.',
    pattern: /^\/[A-Za-z0-9._~!$&'()*+,;=:@%/?-]*$/,
    described: 'an HTTP path starting with /, like /healthz',
    // Longer paths are refused by most servers (414) and are never a health check.
    maxLength: 2048,
  },
  'health-url': {
    kind: 'url',
    description: 'Like health-path, but a full URL, for services whose public address is another one.',
  },
  'health-target': {
    kind: 'enum',
    values: ['revision', 'service', 'both'],
    default: 'revision',
    description:
      "What to probe: `revision` (the new revision's tag URL; the service URL at 100%), `service`, or `both`.",
  },
  'health-expected-status': {
    kind: 'string',
    default: '200',
    description: 'Acceptable statuses, e.g. `200`, `200,204` or `2xx`.',
  },
  'health-status': {
    kind: 'integer',
    default: 200,
    min: 100,
    max: 599,
    description: 'The HTTP status the health check expects.',
  },
  'health-max-latency': {
    kind: 'duration',
    min: 1,
    description: 'A probe slower than this counts as failed, e.g. `800ms`.',
  },
  'health-max-error-rate': {
    kind: 'string',
    default: '0%',
    description: 'Highest share of failed probes that still passes, e.g. `5%`.',
  },
  'health-probes': {
    kind: 'integer',
    default: 5,
    min: 1,
    max: 1000,
    description: 'Number of probes per target at each step.',
  },
  'health-retries': {
    kind: 'integer',
    default: 10,
    min: 1,
    max: 100,
    description: 'How many times the health check is tried before it counts as failed.',
  },
  'health-interval': {
    kind: 'duration',
    default: '1s',
    max: 600_000,
    description: 'The pause between health check attempts.',
  },
  'health-timeout': {
    kind: 'duration',
    default: '10s',
    min: 100,
    max: 600_000,
    description: 'How long one probe may take.',
  },
  'health-headers': {
    kind: 'list',
    lines: true,
    secret: true,
    description:
      'Extra headers for probes, one `Name: value` per line (e.g. an Authorization header for a private service). Masked.',
  },
});
