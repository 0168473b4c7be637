import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import { ObjectCreated, objectCreatedJobId } from '@relabel/contracts';
import type { EventInbox } from '@relabel/ports';
import type { ObjectEventQueue } from '../queues/typed-queue';

export interface InboxOptions {
  /** keeps this inbox's bookkeeping apart (e.g. its delivery ledger) */
  name: string;
  prefixes: string[];
  /** the queue its events become `object-created` jobs on */
  queue: ObjectEventQueue;
  /**
   * Objects the service stored itself and already handled (e.g. an image detected by its upload
   * request): their events are acknowledged without a job. The reconcile still sees them.
   */
  skip?: (key: string) => boolean;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** turns object-created events under `prefixes` into jobs (job id from key + eTag); starts when the app is ready */
    startInbox(options: InboxOptions): void;
  }
}

/** Object events in (folder scan or SQS), jobs out; stopped before the queues close. */
async function registerInbox(app: FastifyInstance): Promise<void> {
  const pending: InboxOptions[] = [];
  const started: EventInbox[] = [];
  app.decorate('startInbox', (options: InboxOptions) => void pending.push(options));
  app.addHook('onReady', async () => {
    for (const { name, prefixes, queue, skip } of pending) {
      const inbox = app.providers.createInbox(prefixes, name);
      const producer = app.queues.get(queue);
      await inbox.start(async (event: ObjectCreated) => {
        if (skip?.(event.key)) return;
        await producer.add('object-created', event, { jobId: objectCreatedJobId(event) });
      });
      started.push(inbox);
    }
  });
  app.addHook('onClose', async () => {
    for (const inbox of started) await inbox.stop();
  });
}

export const inboxPlugin = fp(registerInbox, { name: 'relabel-inbox', fastify: '5.x', dependencies: ['relabel-providers', 'relabel-queues'] });
