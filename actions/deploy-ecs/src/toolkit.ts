/**
 * The toolkit pieces deploy-ecs uses, imported file by file: the package's index also brings its HTTP client
 * (undici, proxy agents), which this action never uses (the AWS SDK has its own), and which would push the
 * bundle past 1 MB next to the ECS client.
 */
export { type Clock, realClock } from '../../../packages/toolkit/src/clock';
export { formatDuration, parseDuration } from '../../../packages/toolkit/src/duration';
export { InputError, TimeoutError, UserError } from '../../../packages/toolkit/src/errors';
export {
  getBoolean,
  getDuration,
  getEnum,
  getInteger,
  getLines,
  getMatching,
  getString,
  getUrl,
} from '../../../packages/toolkit/src/inputs';
export { retry } from '../../../packages/toolkit/src/retry';
export { redact, registerSecret } from '../../../packages/toolkit/src/secrets';
