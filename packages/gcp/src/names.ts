import { UserError } from '@deploy-actions/toolkit';

/**
 * Google's naming rules for every value that becomes a URL path segment (project, region, service, job,
 * revision, execution), so no input can change which API path is called (`acme/../../v1/projects/victim`).
 * Rules: project IDs (cloud.google.com/resource-manager/docs/creating-managing-projects), Cloud Run service
 * and job IDs (service.proto / job.proto), region names (cloud.google.com/run/docs/locations).
 */

export type Segment = 'project' | 'region' | 'service' | 'job' | 'revision' | 'execution' | 'tag';

const RULES: Record<Segment, { pattern: RegExp; rule: string }> = {
  project: {
    // 6-30 characters; domain-scoped projects are "example.com:my-project".
    pattern: /^(?:[a-z][a-z0-9.-]{0,61}[a-z0-9]:)?[a-z][a-z0-9-]{4,28}[a-z0-9]$/,
    rule: 'a Google Cloud project ID: 6-30 lower-case letters, digits and hyphens, starting with a letter, like my-project-123',
  },
  region: {
    pattern: /^[a-z]+(?:-[a-z]+)+\d{1,2}$/,
    rule: 'a Cloud Run region such as us-central1 or europe-west1',
  },
  service: {
    pattern: /^[a-z](?:[a-z0-9-]{0,47}[a-z0-9])?$/,
    rule: 'a Cloud Run service name: lower-case letters, digits and hyphens, starting with a letter, not ending with a hyphen, under 50 characters',
  },
  job: {
    pattern: /^[a-z](?:[a-z0-9-]{0,61}[a-z0-9])?$/,
    rule: 'a Cloud Run job name: lower-case letters, digits and hyphens, starting with a letter, not ending with a hyphen, at most 63 characters',
  },
  revision: {
    pattern: /^[a-z](?:[a-z0-9-]{0,61}[a-z0-9])?$/,
    rule: 'a revision name: lower-case letters, digits and hyphens, starting with a letter, at most 63 characters',
  },
  execution: {
    pattern: /^[a-z](?:[a-z0-9-]{0,61}[a-z0-9])?$/,
    rule: 'an execution name: lower-case letters, digits and hyphens, at most 63 characters',
  },
  tag: {
    pattern: /^[a-z](?:[a-z0-9-]{0,44}[a-z0-9])?$/,
    rule: 'a revision tag: lower-case letters, digits and hyphens, starting with a letter, at most 46 characters',
  },
};

/** The rule `value` breaks, in words, or undefined when it is a valid `kind`. */
export function segmentProblem(kind: Segment, value: string): string | undefined {
  return RULES[kind].pattern.test(value) ? undefined : RULES[kind].rule;
}

/** Returns `value` when it is a valid `kind`; throws a one-line UserError otherwise (a safety net under input checks). */
export function checkSegment(kind: Segment, value: string): string {
  const problem = segmentProblem(kind, value);
  if (problem) throw new UserError(`${JSON.stringify(value.slice(0, 80))} is not ${problem}`);
  return value;
}

/** Cloud Run refuses a tag whose name plus the service name exceed 46 characters (its URL label). */
export const TAG_AND_SERVICE_MAX = 46;
