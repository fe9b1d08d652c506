import { awsRegion } from '@deploy-actions/aws/region';
import type { DatabaseUrl } from '@deploy-actions/db';
import { InputError } from '@deploy-actions/toolkit';
import type { CommonInputs } from './inputs';

/**
 * ecs-task mode's inputs, checked before any AWS call: names and ARNs ECS accepts, subnet and security
 * group IDs, a started-by mark ECS takes (≤ 36 of letters, digits, - and _), and a region.
 */

export interface EcsTaskInputs extends CommonInputs {
  mode: 'ecs-task';
  /** Only for the advisory lock, when the runner can reach the database; never passed to the task. */
  database?: DatabaseUrl;
  image?: string;
  command?: string;
  ecs: {
    region: string;
    cluster: string;
    service?: string;
    taskDefinition?: string;
    container?: string;
    subnets: string[];
    securityGroups: string[];
    assignPublicIp?: boolean;
    startedBy: string;
  };
}

interface Raw {
  cluster?: string;
  service?: string;
  taskDefinition?: string;
  container?: string;
  subnets?: string[];
  securityGroups?: string[];
  assignPublicIp?: boolean;
  startedBy?: string;
  awsRegion?: string;
  image?: string;
  command?: string;
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,254}$/;
const ECS_ARN = /^arn:aws[a-z-]*:ecs:[a-z0-9-]+:\d{12}:[a-z-]+\/[A-Za-z0-9/_:.-]+$/;
const TASK_DEFINITION = /^[A-Za-z0-9_-]{1,255}(:\d+)?$/;
const STARTED_BY = /^[A-Za-z0-9_-]{1,36}$/;
const show = (v: string) => JSON.stringify(v.length > 60 ? `${v.slice(0, 57)}...` : v);

export function readEcsTask(
  raw: Raw,
  common: CommonInputs,
  database: DatabaseUrl | undefined,
  image: string | undefined,
  env: NodeJS.ProcessEnv,
): EcsTaskInputs {
  const cluster = raw.cluster || 'default';
  if (!NAME.test(cluster) && !ECS_ARN.test(cluster))
    throw new InputError(
      'cluster',
      `${show(cluster)} is not a cluster name or ARN`,
      'give the cluster name, e.g. prod',
    );
  if (raw.service && !NAME.test(raw.service) && !ECS_ARN.test(raw.service))
    throw new InputError('service', `${show(raw.service)} is not a service name or ARN`, 'give the service name');
  if (raw.taskDefinition && !TASK_DEFINITION.test(raw.taskDefinition) && !ECS_ARN.test(raw.taskDefinition))
    throw new InputError(
      'task-definition',
      `${show(raw.taskDefinition)} is not a task definition`,
      'give family, family:revision or its ARN',
    );
  if (!raw.service && !raw.taskDefinition)
    throw new InputError(
      'service',
      'is required in ecs-task mode (or task-definition)',
      'name the service whose task definition and network the migration task uses',
    );
  if (!raw.service && !raw.subnets?.length)
    throw new InputError(
      'subnets',
      'is required with task-definition and no service',
      'give the subnets the task runs in, or name the service',
    );
  if (raw.container && !NAME.test(raw.container))
    throw new InputError('container', `${show(raw.container)} is not a container name`, 'use letters, digits, - and _');
  for (const subnet of raw.subnets ?? [])
    if (!/^subnet-[0-9a-f]{8,17}$/.test(subnet))
      throw new InputError('subnets', `${show(subnet)} is not a subnet ID`, 'write subnet-0a1b2c3d, one per line');
  for (const group of raw.securityGroups ?? [])
    if (!/^sg-[0-9a-f]{8,17}$/.test(group))
      throw new InputError(
        'security-groups',
        `${show(group)} is not a security group ID`,
        'write sg-0a1b2c3d, one per line',
      );
  const startedBy = raw.startedBy || 'run-migrations';
  if (!STARTED_BY.test(startedBy))
    throw new InputError(
      'started-by',
      `${show(startedBy)} is not a startedBy mark`,
      'use up to 36 letters, digits, - and _',
    );
  const region = awsRegion('aws-region', raw.awsRegion, env, show);
  if (common.dryRun)
    throw new InputError('dry-run', 'is not used in ecs-task mode', 'run the dry run in command or image mode');
  return {
    ...common,
    mode: 'ecs-task',
    database,
    image,
    command: raw.command,
    ecs: {
      region,
      cluster,
      service: raw.service,
      taskDefinition: raw.taskDefinition,
      container: raw.container,
      subnets: raw.subnets ?? [],
      securityGroups: raw.securityGroups ?? [],
      assignPublicIp: raw.assignPublicIp,
      startedBy,
    },
  };
}
