import {
  DescribeHumanLoopCommand,
  ListHumanLoopsCommand,
  StartHumanLoopCommand,
  type DescribeHumanLoopCommandOutput,
  type HumanLoopSummary,
  type SageMakerA2IRuntimeClient,
} from '@aws-sdk/client-sagemaker-a2i-runtime';
import { isValidHumanLoopName, RelabelError } from '@relabel/contracts';
import type { HumanLoop, HumanReview, Logger, ObjectStore } from '@relabel/ports';
import { errorMessage, errorName, isQuotaExceeded, isThrottling } from '../common/sdk-error';
import { decodeCursor, encodeCursor } from './a2i-cursor';
import { inputContent, keyInBucket, loopInputKey, loopStatus, readAnswer, readLoopInput } from './a2i-loop-record';

export interface A2iHumanReviewOptions {
  flowDefinitionArn: string;
  /** the bucket of the images (and of the flow's output), the one the object store reads */
  bucket: string;
  /**
   * ListHumanLoops only looks this far back (CreationTimeAfter; default 30 days). A2I tasks expire
   * after the flow's task availability lifetime (at most 30 days), so no pending loop is older.
   */
  listWindowDays?: number;
}

const DAY_MS = 86_400_000;

/**
 * The aws-profile HumanReview over Amazon Augmented AI. Starting is idempotent by name: an existing
 * loop (found by DescribeHumanLoop first, or reported by a racing StartHumanLoop as a conflict) is
 * returned with `created: false`. A2I never returns a loop's input, so with an object store the
 * adapter keeps `{ imageKey, guess }` in a small record (`a2i-human-loop-input/<flow>/<loop>.json`)
 * and reads the reviewers' answer from output.json once completed; without a store those fields
 * come only from the output file. Results still arrive as output files (docs/architecture.md, flow D).
 */
export function createA2iHumanReview(
  deps: { client: SageMakerA2IRuntimeClient; logger: Logger; store?: ObjectStore },
  opts: A2iHumanReviewOptions,
): HumanReview {
  const { client, logger, store } = deps;
  const FlowDefinitionArn = opts.flowDefinitionArn;
  const flowName = FlowDefinitionArn.split('/').pop() || 'flow';
  const windowMs = (opts.listWindowDays ?? 30) * DAY_MS;

  function a2iError(err: unknown, op: string, name?: string): RelabelError {
    if (err instanceof RelabelError) return err;
    const awsError = errorName(err);
    const what = `A2I ${op}${name ? ` ${name}` : ''} failed: ${awsError}`;
    const details = { op, name, awsError };
    if (isQuotaExceeded(err)) {
      const quota = op === 'StartHumanLoop' ? 'the A2I quota on human loops in progress' : 'an A2I service quota';
      return new RelabelError('QUOTA_EXCEEDED', `${what} (${quota}: ${errorMessage(err)}); raise it in Service Quotas or let loops finish`, details, { cause: err });
    }
    // StartHumanLoop has no "not found": a wrong or inactive flow definition arrives as a ValidationException,
    // and the rest of the request (a checked name, our own InputContent) leaves only the flow to blame
    if (awsError === 'ValidationException' && op === 'StartHumanLoop') {
      return new RelabelError(
        'CONFIG_INVALID',
        `${what}: ${errorMessage(err)} (is RELABEL_A2I_FLOW_DEFINITION_ARN=${FlowDefinitionArn} an active flow definition in this region?)`,
        details,
        { cause: err },
      );
    }
    if (awsError === 'ValidationException') return new RelabelError('REQUEST_INVALID', `${what}: ${errorMessage(err)}`, details, { cause: err });
    return new RelabelError('DEPENDENCY_UNAVAILABLE', what + (isThrottling(err) ? ' (throttled)' : ''), details, { cause: err });
  }

  async function fill(base: { name: string; status: HumanLoop['status']; createdAt: string; failureReason?: string; outputUri?: string }): Promise<HumanLoop> {
    const record = await readLoopInput(store, loopInputKey(flowName, base.name), logger);
    const loop: HumanLoop = { name: base.name, status: base.status, imageKey: record?.imageKey ?? '', guess: record?.guess ?? null, createdAt: base.createdAt };
    if (base.failureReason) loop.failureReason = base.failureReason;
    const outputKey = keyInBucket(base.outputUri, opts.bucket);
    if (outputKey) loop.outputKey = outputKey;
    if (store && outputKey && base.status === 'completed') {
      const read = await readAnswer(store, outputKey, logger);
      if (!loop.imageKey && read.imageKey) loop.imageKey = read.imageKey;
      if (read.completedAt) loop.completedAt = read.completedAt;
      if (read.answer) loop.answer = read.answer;
    }
    return loop;
  }

  const fromDescribe = (out: DescribeHumanLoopCommandOutput) =>
    fill({
      name: out.HumanLoopName ?? '',
      status: loopStatus(out.HumanLoopStatus),
      createdAt: (out.CreationTime ?? new Date(0)).toISOString(),
      failureReason: out.FailureReason ?? out.FailureCode,
      outputUri: out.HumanLoopOutput?.OutputS3Uri,
    });

  const fromSummary = (s: HumanLoopSummary) =>
    fill({ name: s.HumanLoopName ?? '', status: loopStatus(s.HumanLoopStatus), createdAt: (s.CreationTime ?? new Date(0)).toISOString(), failureReason: s.FailureReason });

  async function describe(name: string): Promise<HumanLoop | null> {
    if (!isValidHumanLoopName(name)) return null;
    try {
      return await fromDescribe(await client.send(new DescribeHumanLoopCommand({ HumanLoopName: name })));
    } catch (err) {
      if (errorName(err) === 'ResourceNotFoundException') return null;
      throw a2iError(err, 'DescribeHumanLoop', name);
    }
  }

  async function existing(name: string): Promise<{ loop: HumanLoop; created: false } | null> {
    const loop = await describe(name);
    return loop ? { loop, created: false } : null;
  }

  return {
    async startHumanLoop(input) {
      if (!isValidHumanLoopName(input.name)) {
        throw new RelabelError('REVIEW_INVALID_LOOP_NAME', `human loop name ${JSON.stringify(input.name).slice(0, 80)} is not valid for A2I`);
      }
      const before = await existing(input.name);
      if (before) return before;
      try {
        await client.send(
          new StartHumanLoopCommand({ HumanLoopName: input.name, FlowDefinitionArn, HumanLoopInput: { InputContent: inputContent(opts.bucket, input) } }),
        );
      } catch (err) {
        // a concurrent start of the same loop won the race
        const name = errorName(err);
        if (name === 'ConflictException' || (name === 'ValidationException' && /already exists/i.test(errorMessage(err)))) {
          const raced = await existing(input.name);
          if (raced) return raced;
        }
        throw a2iError(err, 'StartHumanLoop', input.name);
      }
      const record = { imageKey: input.imageKey, guess: input.guess };
      if (store) {
        await store.put(loopInputKey(flowName, input.name), Buffer.from(JSON.stringify(record)), { contentType: 'application/json' }).catch((err: unknown) =>
          logger.warn({ loop: input.name, err: (err as Error).message }, 'could not record the human loop input; describe will not show its image until completed'),
        );
      }
      logger.info({ loop: input.name, imageKey: input.imageKey }, 'human loop started');
      return { loop: { name: input.name, status: 'pending', ...record, createdAt: new Date().toISOString() }, created: true };
    },

    describeHumanLoop: describe,

    async listHumanLoops(options = {}) {
      const limit = options.limit ?? 100;
      if (!Number.isInteger(limit) || limit < 1) throw new RelabelError('REQUEST_INVALID', `list limit must be a positive integer, got ${limit}`);
      let cursor = options.cursor ? decodeCursor(options.cursor) : { after: new Date(Date.now() - windowMs).toISOString() };
      // A2I cannot filter by status: skip pages with nothing of that status rather than answer empty pages
      for (let pages = 0; ; pages++) {
        let out;
        try {
          out = await client.send(
            new ListHumanLoopsCommand({
              FlowDefinitionArn,
              CreationTimeAfter: new Date(cursor.after),
              SortOrder: 'Descending',
              MaxResults: Math.min(limit, 100),
              NextToken: cursor.token,
            }),
          );
        } catch (err) {
          throw a2iError(err, 'ListHumanLoops');
        }
        const summaries = (out.HumanLoopSummaries ?? []).filter((s) => !options.status || loopStatus(s.HumanLoopStatus) === options.status);
        const next = out.NextToken ? { after: cursor.after, token: out.NextToken } : undefined;
        if (summaries.length > 0 || !next || pages >= 9) {
          const items = await Promise.all(summaries.map(fromSummary));
          return next ? { items, nextCursor: encodeCursor(next) } : { items };
        }
        cursor = next;
      }
    },
  };
}
