/**
 * The one source of the four Fargate task definitions (`npm`-free: `node --import tsx docker/ecs/generate.ts`
 * writes them next to this file; a test keeps the files in step). Every `${NAME}` placeholder is a stack
 * output of docker/infrastructure.yaml in UPPER_SNAKE (`TaskRoleArn` → `${TASK_ROLE_ARN}`), except
 * `${IMAGE_URI}`, the image the deployer pushed.
 */
export const SERVICES = [
  { name: 'detector', port: 8080 },
  { name: 'trainer', port: 8081 },
  { name: 'labeler', port: 8082 },
  { name: 'config-watcher', port: 8083 },
] as const;

export type Service = (typeof SERVICES)[number];

/** The placeholder that stands for a stack output. */
export const placeholderOf = (outputName: string): string => outputName.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase();

/** Placeholders that are not stack outputs. */
export const DEPLOYER_PLACEHOLDERS = ['IMAGE_URI'];

const env = (name: string, value: string) => ({ name, value });

export function taskDefinition(service: Service): Record<string, unknown> {
  return {
    family: `relabel-${service.name}`,
    networkMode: 'awsvpc',
    requiresCompatibilities: ['FARGATE'],
    cpu: '1024',
    memory: '2048',
    executionRoleArn: '${EXECUTION_ROLE_ARN}',
    taskRoleArn: '${TASK_ROLE_ARN}',
    containerDefinitions: [
      {
        name: service.name,
        image: '${IMAGE_URI}',
        essential: true,
        portMappings: [{ containerPort: service.port, protocol: 'tcp' }],
        environment: [
          env('SERVICE', service.name),
          env('RELABEL_PROFILE', 'aws'),
          env('RELABEL_HOST', '0.0.0.0'),
          env('AWS_REGION', '${AWS_REGION}'),
          env('REDIS_URL', '${REDIS_URL}'),
          env('RELABEL_S3_BUCKET', '${BUCKET_NAME}'),
          env('RELABEL_PARAMETER_PATH', '${PARAMETER_PATH}'),
          env('RELABEL_DETECTION_EVENTS_QUEUE_URL', '${DETECTION_EVENTS_QUEUE_URL}'),
          env('RELABEL_REVIEW_EVENTS_QUEUE_URL', '${REVIEW_EVENTS_QUEUE_URL}'),
          env('RELABEL_PARAMETER_EVENTS_QUEUE_URL', '${PARAMETER_EVENTS_QUEUE_URL}'),
          env('RELABEL_OPERATOR_TOPIC_ARN', '${OPERATOR_TOPIC_ARN}'),
          env('RELABEL_CONSUMER_TOPIC_ARN', '${CONSUMER_TOPIC_ARN}'),
          env('RELABEL_REKOGNITION_PROJECT_ARN', '${REKOGNITION_PROJECT_ARN}'),
          env('RELABEL_A2I_FLOW_DEFINITION_ARN', '${FLOW_DEFINITION_ARN}'),
        ],
        secrets: [
          { name: 'RELABEL_ADMIN_TOKEN', valueFrom: '${ADMIN_TOKEN_SECRET_ARN}' },
          { name: 'RELABEL_REVIEWER_TOKEN', valueFrom: '${REVIEWER_TOKEN_SECRET_ARN}' },
        ],
        healthCheck: {
          command: ['CMD-SHELL', `node -e "fetch('http://127.0.0.1:${service.port}/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"`],
          interval: 15,
          timeout: 5,
          retries: 3,
          startPeriod: 30,
        },
        stopTimeout: 10,
        logConfiguration: {
          logDriver: 'awslogs',
          options: { 'awslogs-group': '${LOG_GROUP_NAME}', 'awslogs-region': '${AWS_REGION}', 'awslogs-stream-prefix': service.name },
        },
      },
    ],
  };
}

export const fileNameOf = (service: Service) => `${service.name}.task-definition.json`;

export const renderTaskDefinition = (service: Service): string => `${JSON.stringify(taskDefinition(service), null, 2)}\n`;

/** The placeholders a rendered definition uses. */
export const placeholdersIn = (text: string): string[] => [...new Set([...text.matchAll(/\$\{([A-Z0-9_]+)\}/g)].map((m) => m[1]!))].sort();

/**
 * Fills a rendered definition from the stack outputs (as `aws cloudformation describe-stacks` lists
 * them) and the image; a placeholder without a value is an error naming it, never left in.
 */
export function fillTaskDefinition(text: string, outputs: Array<{ OutputKey: string; OutputValue: string }>, imageUri: string): string {
  const values = new Map<string, string>(outputs.map((o) => [placeholderOf(o.OutputKey), o.OutputValue]));
  values.set('IMAGE_URI', imageUri);
  const missing = placeholdersIn(text).filter((p) => !values.has(p));
  if (missing.length > 0) throw new Error(`no stack output for ${missing.map((m) => `\${${m}}`).join(', ')}`);
  // JSON-escape each value: it lands inside a JSON string
  return text.replace(/\$\{([A-Z0-9_]+)\}/g, (_, name: string) => JSON.stringify(values.get(name)!).slice(1, -1));
}
