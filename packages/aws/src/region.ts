import { InputError } from '../../toolkit/src/errors';

/**
 * The AWS region rule of the suite: the form every AWS partition's region names take (`eu-west-1`,
 * `us-gov-west-1`, `cn-north-1`, `us-isob-east-1`), and where a region comes from when the input is empty
 * (AWS_REGION, then AWS_DEFAULT_REGION, as the SDK and aws-actions/configure-aws-credentials have it).
 * No SDK is loaded here: actions check it with their inputs, before any call.
 */
export const AWS_REGION_PATTERN = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$/;

/** The region to use, from the input or the environment; an InputError naming `input` when none or not a region. */
export function awsRegion(
  input: string,
  given: string | undefined,
  env: NodeJS.ProcessEnv,
  quote: (value: string) => string,
): string {
  const region = given || env.AWS_REGION || env.AWS_DEFAULT_REGION;
  if (!region)
    throw new InputError(
      input,
      'is empty and AWS_REGION is not set',
      `set ${input}, e.g. us-east-1, or configure credentials first`,
    );
  if (!AWS_REGION_PATTERN.test(region))
    throw new InputError(input, `${quote(region)} is not an AWS region`, 'write e.g. eu-west-1');
  return region;
}
