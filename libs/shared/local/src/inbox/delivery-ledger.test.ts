import { promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { silentLogger, type Logger } from '@relabel/ports';
import { DeliveryLedger, sameFile } from './delivery-ledger';

const entry = (key: string, eTag: string) => ({ key, eTag, size: 3, mtimeMs: 1000.5, ctimeMs: 1001.25, ino: 42 });

describe('delivery ledger', () => {
  let dir: string;
  let file: string;
  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'relabel-ledger-'));
    file = path.join(dir, 'nested', 'ledger.jsonl');
  });
  afterEach(async () => fs.rm(dir, { recursive: true, force: true }));

  it('remembers recorded versions across reopen; the last line for a key wins', async () => {
    const ledger = await DeliveryLedger.open(file, silentLogger);
    await Promise.all([ledger.record(entry('a', 'e1')), ledger.record(entry('b', 'e2'))]);
    await ledger.record(entry('a', 'e3'));
    await ledger.close();
    expect((await fs.readFile(file, 'utf8')).trim().split('\n')).toHaveLength(3);
    const again = await DeliveryLedger.open(file, silentLogger);
    expect(again.get('a')?.eTag).toBe('e3');
    expect(again.get('b')).toEqual(entry('b', 'e2'));
    expect(again.size).toBe(2);
    await again.close();
  });

  it('skips a torn line with a warning and keeps lines without stat fields as delivered', async () => {
    await fs.mkdir(path.dirname(file), { recursive: true });
    await fs.writeFile(file, `${JSON.stringify({ key: 'old', eTag: 'e0' })}\n${JSON.stringify(entry('a', 'e1'))}\n{"key":"b","eT`);
    const warnings: unknown[] = [];
    const logger: Logger = { ...silentLogger, warn: (obj) => void warnings.push(obj), child: () => logger };
    const ledger = await DeliveryLedger.open(file, logger);
    expect(ledger.get('b')).toBeUndefined();
    expect(ledger.get('old')?.eTag).toBe('e0');
    expect(sameFile(ledger.get('old')!, { size: 3, mtimeMs: 1000.5, ctimeMs: 1001.25, ino: 42 })).toBe(false);
    expect(sameFile(ledger.get('a')!, { size: 3, mtimeMs: 1000.5, ctimeMs: 1001.25, ino: 42 })).toBe(true);
    expect(warnings).toEqual([expect.objectContaining({ skipped: 1 })]);
    await ledger.close();
  });

  it('compacts to one line per kept key and keeps appending afterwards', async () => {
    const ledger = await DeliveryLedger.open(file, silentLogger);
    for (const [k, e] of [['a', '1'], ['a', '2'], ['gone', '3'], ['b', '4']]) await ledger.record(entry(k!, e!));
    await ledger.compact((key) => key !== 'gone');
    await ledger.record(entry('c', '5'));
    await ledger.close();
    const lines = (await fs.readFile(file, 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => `${l.key}=${l.eTag}`)).toEqual(['a=2', 'b=4', 'c=5']);
    expect(await fs.readdir(path.dirname(file))).toEqual(['ledger.jsonl']);
  });
});
