/**
 * The fields DescribeTaskDefinition answers with and RegisterTaskDefinition refuses (the SDK's
 * TaskDefinition shape less RegisterTaskDefinitionRequest's): a new revision made from a described one
 * drops them. One list for every action that registers a revision (deploy-ecs, run-migrations' ecs-task).
 */
export const TASK_DEFINITION_READ_ONLY_FIELDS = [
  'taskDefinitionArn',
  'revision',
  'status',
  'requiresAttributes',
  'compatibilities',
  'registeredAt',
  'registeredBy',
  'deregisteredAt',
] as const;
