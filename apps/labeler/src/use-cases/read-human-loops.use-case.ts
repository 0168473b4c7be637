import { RelabelError } from '@relabel/contracts';
import type { HumanLoop, HumanReview, ObjectStore, ReviewTask, ReviewWorkbench } from '@relabel/ports';
import type { IngestionLog, IngestionRecord } from '../domain/ingestion-record';

export interface ReadHumanLoopsDeps {
  humanReview: Pick<HumanReview, 'listHumanLoops' | 'describeHumanLoop'>;
  /** null where reviews happen in the A2I portal */
  workbench: Pick<ReviewWorkbench, 'getTask'> | null;
  ingestionLog: Pick<IngestionLog, 'forLoop'>;
  store: Pick<ObjectStore, 'get'>;
}

export function listHumanLoops(deps: Pick<ReadHumanLoopsDeps, 'humanReview'>, query: Parameters<HumanReview['listHumanLoops']>[0]) {
  return deps.humanReview.listHumanLoops(query);
}

async function requireLoop(deps: Pick<ReadHumanLoopsDeps, 'humanReview'>, name: string): Promise<HumanLoop> {
  const loop = await deps.humanReview.describeHumanLoop(name);
  if (!loop) throw new RelabelError('REVIEW_LOOP_NOT_FOUND', `no human loop named ${name}`);
  return loop;
}

/** One loop, its local review task (if reviews are local) and what ingestion made of its output. */
export async function describeHumanLoop(deps: ReadHumanLoopsDeps, name: string): Promise<{ loop: HumanLoop; task: ReviewTask | null; ingestion: IngestionRecord | null }> {
  const loop = await requireLoop(deps, name);
  const task = deps.workbench ? await deps.workbench.getTask(name) : null;
  return { loop, task, ingestion: await deps.ingestionLog.forLoop(name) };
}

/** The image a loop asks about, with its content type from the key (the detector stored only JPEG and PNG). */
export async function readHumanLoopImage(deps: Pick<ReadHumanLoopsDeps, 'humanReview' | 'store'>, name: string): Promise<{ body: Buffer; contentType: string }> {
  const loop = await requireLoop(deps, name);
  const image = await deps.store.get(loop.imageKey);
  return { body: image.body, contentType: /\.png$/i.test(loop.imageKey) ? 'image/png' : 'image/jpeg' };
}
