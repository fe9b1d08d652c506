/**
 * RDS tag rules, checked before any call so a bad `tags` input fails with one line instead of an
 * InvalidParameterValue after the snapshot was requested: keys 1-128 characters not starting with
 * `aws:` or `rds:`, values at most 256, at most 50 tags per resource.
 */

export const RDS_MAX_TAGS = 50;

/** The first problem with a set of tags, in words, or undefined when RDS will accept them. */
export function rdsTagProblem(tags: Record<string, string>): string | undefined {
  const count = Object.keys(tags).length;
  if (count > RDS_MAX_TAGS) return `${count} tags is more than the ${RDS_MAX_TAGS} RDS allows on a snapshot`;
  for (const [key, value] of Object.entries(tags)) {
    if (key.length > 128) return `tag key "${key.slice(0, 40)}..." is longer than 128 characters`;
    if (/^(aws|rds):/i.test(key)) return `tag key "${key}" starts with a prefix RDS reserves (aws: or rds:)`;
    if (value.length > 256) return `the value of tag "${key}" is longer than 256 characters`;
    if (!/^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u.test(key) || !/^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u.test(value)) {
      return `tag "${key}" has characters RDS does not allow (letters, digits, spaces and _ . : / = + - @ only)`;
    }
  }
  return undefined;
}
