import type { FastifyInstance } from 'fastify';
import type { ModelService } from '@relabel/ports';
import { testConfig } from '@relabel/platform/testing';
import { buildApp } from '../app';
import { FixtureHumanReview, FixtureModelService, FixtureNotifier } from './fixture-ports';

export interface DetectorTestOptions {
  events?: boolean;
  activeModel?: string | null;
  /** the real local review service (in the temp dir) instead of the fixture */
  localReview?: boolean;
  /** operator parameters stored before the app starts, so they are in force from the first request */
  parameters?: Record<string, string>;
}

/**
 * A detector app on real Redis and the real local object store / state store in a temp dir, with
 * fixture model, review and notifier ports. `close()` also removes the temp dir and Redis keys.
 */
export async function detectorTestApp(env: Record<string, string> = {}, options: DetectorTestOptions = {}) {
  const config = testConfig(env);
  const modelService = new FixtureModelService();
  const humanReview = new FixtureHumanReview();
  const notifier = new FixtureNotifier();
  const app: FastifyInstance = await buildApp({
    config,
    logger: false,
    events: options.events ?? false,
    providers: { modelService: modelService as unknown as ModelService, notifier, ...(options.localReview ? {} : { humanReview }) },
  });
  for (const [name, value] of Object.entries(options.parameters ?? {})) await app.providers.parameterStore.put(name, value);
  const active = options.activeModel === undefined ? 'v1' : options.activeModel;
  if (active) await app.providers.operationalState.set('activeModelVersion', active);
  await app.ready();
  return {
    app,
    config,
    modelService,
    humanReview,
    notifier,
    async close() {
      await app.close();
      await config.cleanup();
    },
  };
}

/** A multipart/form-data body built by hand, so tests control every byte. */
export function multipartBody(parts: Array<{ name: string; filename?: string; type?: string; body: Buffer | string }>) {
  const boundary = `----relabel${Math.random().toString(16).slice(2)}`;
  const chunks: Buffer[] = [];
  for (const part of parts) {
    const disposition = `form-data; name="${part.name}"${part.filename ? `; filename="${part.filename}"` : ''}`;
    const head = `--${boundary}\r\nContent-Disposition: ${disposition}\r\n${part.type ? `Content-Type: ${part.type}\r\n` : ''}\r\n`;
    chunks.push(Buffer.from(head), Buffer.isBuffer(part.body) ? part.body : Buffer.from(part.body), Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}
