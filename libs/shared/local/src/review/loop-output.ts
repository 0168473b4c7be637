import { CROWD_IMAGE_CLASSIFIER, HumanLoopOutput } from '@relabel/contracts';
import type { LoopRecord } from './loop-record';

/** The flow ARN the local service puts in output.json (A2I's field; there is no AWS account here). */
export function localFlowDefinitionArn(flowName: string): string {
  return `arn:relabel:local:flow-definition/${flowName}`;
}

/** The A2I-format output.json of a loop (`HumanLoopOutputSchema` in contracts), so ingestion reads local and AWS loops alike. */
export function buildLoopOutput(record: LoopRecord, flowName: string, bucket: string): HumanLoopOutput {
  const inputContent: Record<string, unknown> = { taskObject: `s3://${bucket}/${record.imageKey}` };
  if (record.guess) {
    inputContent['initialValue'] = record.guess.confidence;
    inputContent['guess'] = record.guess;
  }
  return {
    flowDefinitionArn: localFlowDefinitionArn(flowName),
    humanLoopName: record.name,
    inputContent,
    humanAnswers: record.answers.map((a) => {
      const answer: HumanLoopOutput['humanAnswers'][number] = {
        answerContent: { [CROWD_IMAGE_CLASSIFIER]: { label: a.label } },
        submissionTime: a.submittedAt,
        workerId: a.reviewerId,
      };
      if (a.acceptedAt) {
        answer.acceptanceTime = a.acceptedAt;
        answer.timeSpentInSeconds = Math.max(0, (Date.parse(a.submittedAt) - Date.parse(a.acceptedAt)) / 1000);
      }
      return answer;
    }),
  };
}
