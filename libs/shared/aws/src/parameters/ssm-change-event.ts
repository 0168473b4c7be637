/**
 * The names in an EventBridge "Parameter Store Change" event (`source: aws.ssm`, `detail.name`,
 * `detail.operation` Create|Update|Delete|LabelParameterVersion; libs/shared/aws/README.md, "SSM
 * parameter store"), as delivered to SQS directly or wrapped in an SNS envelope. Anything else answers null (the caller drops it).
 */
export function parameterChangeName(body: string): string | null {
  let event: unknown;
  try {
    event = JSON.parse(body);
  } catch {
    return null;
  }
  const envelope = event as { Type?: unknown; Message?: unknown };
  if (envelope?.Type === 'Notification' && typeof envelope.Message === 'string') return parameterChangeName(envelope.Message);
  const e = event as { source?: unknown; 'detail-type'?: unknown; detail?: { name?: unknown; operation?: unknown } };
  if (e?.source !== 'aws.ssm' || e['detail-type'] !== 'Parameter Store Change') return null;
  const name = e.detail?.name;
  const operation = e.detail?.operation;
  if (typeof name !== 'string' || !name || typeof operation !== 'string') return null;
  // the event names the parameter by name or by ARN (…:parameter/relabel/X → /relabel/X)
  const arn = /^arn:[^:]+:ssm:[^:]*:[^:]*:parameter(\/.*)$/.exec(name);
  return arn ? arn[1]! : name;
}
