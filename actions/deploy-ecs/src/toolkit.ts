/**
 * The toolkit pieces deploy-ecs uses, imported file by file: the package's index would put every toolkit
 * module (HTTP client, proxy agents, spawning, polling) into the entry chunk, evaluated before the first input
 * is read, which this action never uses there (the AWS SDK has its own client). Measured: 1.58x bare node
 * with the index in the entry, 1.40x without. The health fragment and parsers it reads are file-level too.
 */
export { type Clock, realClock } from '../../../packages/toolkit/src/clock';
export { formatDuration, parseDuration } from '../../../packages/toolkit/src/duration';
export { InputError, TimeoutError, UserError } from '../../../packages/toolkit/src/errors';
export type { Logger } from '../../../packages/toolkit/src/logger';
export { retry } from '../../../packages/toolkit/src/retry';
export { redact, registerSecret } from '../../../packages/toolkit/src/secrets';
