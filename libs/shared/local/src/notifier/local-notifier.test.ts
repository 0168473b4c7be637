import http from 'http';
import type { AddressInfo } from 'net';
import type { Logger, Notification } from '@relabel/ports';
import { silentLogger } from '@relabel/ports';
import { describeNotifierConformance } from '@relabel/ports/testing';
import { createLocalNotifier } from './local-notifier.adapter';
import { waitFor } from '@relabel/ports/testing';

/** A real HTTP receiver on an ephemeral port; `failFirst` answers 503 that many times. */
async function webhook(options: { failFirst?: number; hang?: boolean } = {}) {
  const received: Notification[] = [];
  let failures = options.failFirst ?? 0;
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      if (options.hang) return;
      if (failures-- > 0) return void res.writeHead(503).end();
      received.push(JSON.parse(body));
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  return {
    url,
    received,
    close: () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
}

describeNotifierConformance('local log + webhook', async () => {
  const hook = await webhook();
  return {
    notifier: createLocalNotifier({ logger: silentLogger }, { webhookUrl: hook.url, timeoutMs: 1000, retries: 2 }),
    received: async () => hook.received,
    cleanup: hook.close,
  };
});

describe('local notifier', () => {
  const note: Notification = { channel: 'operator', type: 'parameter.invalid', subject: 'bad value', data: { name: 'Minimum-F1-Score' } };

  it('logs every notification even without a webhook', async () => {
    const lines: unknown[] = [];
    const logger: Logger = { ...silentLogger, info: (obj) => void lines.push(obj), child: () => logger };
    await createLocalNotifier({ logger }, { timeoutMs: 100, retries: 0 }).notify(note);
    expect(lines).toEqual([expect.objectContaining({ notification: note })]);
  });

  it('retries a failing webhook until it accepts', async () => {
    const hook = await webhook({ failFirst: 2 });
    try {
      await createLocalNotifier({ logger: silentLogger }, { webhookUrl: hook.url, timeoutMs: 1000, retries: 3, retryDelayMs: 10 }).notify(note);
      await waitFor(() => hook.received.length === 1);
      expect(hook.received[0]).toMatchObject({ type: 'parameter.invalid', data: { name: 'Minimum-F1-Score' } });
    } finally {
      await hook.close();
    }
  });

  it('returns at once while the webhook hangs, and keeps the backlog bounded', async () => {
    const hook = await webhook({ hang: true });
    const warnings: string[] = [];
    const logger: Logger = { ...silentLogger, warn: (_obj, msg) => void warnings.push(String(msg)), child: () => logger };
    try {
      const notifier = createLocalNotifier({ logger }, { webhookUrl: hook.url, timeoutMs: 200, retries: 0, maxBacklog: 3 });
      const settled: boolean[] = [];
      for (let i = 0; i < 6; i++) void notifier.notify({ ...note, dedupeId: String(i) }).then(() => settled.push(true));
      await new Promise((resolve) => setImmediate(resolve));
      expect(settled).toHaveLength(6);
      expect(warnings.filter((w) => w.includes('backlog full')).length).toBeGreaterThan(0);
    } finally {
      await hook.close();
    }
  });
});
