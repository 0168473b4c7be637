import type { FastifyInstance } from 'fastify';

export type ReadinessCheck = () => Promise<void>;

export class Readiness {
  private readonly checks = new Map<string, ReadinessCheck>();

  add(name: string, check: ReadinessCheck): void {
    this.checks.set(name, check);
  }

  /** Runs every check with a timeout so a hung dependency reports as down instead of hanging /readyz. */
  async run(timeoutMs = 2000): Promise<{ ready: boolean; checks: Record<string, string> }> {
    const results: Record<string, string> = {};
    await Promise.all(
      [...this.checks].map(async ([name, check]) => {
        try {
          await Promise.race([check(), new Promise((_, reject) => setTimeout(() => reject(new Error('timed out')), timeoutMs).unref())]);
          results[name] = 'ok';
        } catch (err) {
          results[name] = (err as Error).message || 'failed';
        }
      }),
    );
    return { ready: Object.values(results).every((r) => r === 'ok'), checks: results };
  }
}

/** `/healthz`: the process is up. `/readyz`: Redis and every provider check answer. */
export function installHealthRoutes(app: FastifyInstance, service: string, readiness: Readiness): void {
  app.get('/healthz', { schema: { hide: true }, logLevel: 'warn' }, async () => ({ status: 'ok', service }));
  app.get('/readyz', { schema: { hide: true }, logLevel: 'warn' }, async (_request, reply) => {
    const result = await readiness.run();
    return reply.status(result.ready ? 200 : 503).send({ status: result.ready ? 'ready' : 'not_ready', service, checks: result.checks });
  });
}
