import { fatalHandler } from './crash-handlers';

type FatalLogger = Parameters<typeof fatalHandler>[0];

describe('fatalHandler', () => {
  it('logs the reason as fatal and exits with 1', () => {
    const logged: Array<{ obj: Record<string, unknown>; msg: string }> = [];
    const exits: number[] = [];
    const logger = { fatal: (obj: Record<string, unknown>, msg: string) => void logged.push({ obj, msg }) } as FatalLogger;
    const handler = fatalHandler(logger, 'unhandledRejection', (c) => void exits.push(c));
    handler(new Error('nobody awaited me'));
    handler('a plain string');
    expect(exits).toEqual([1, 1]);
    expect(logged[0]).toEqual({
      obj: { kind: 'unhandledRejection', err: expect.objectContaining({ message: 'nobody awaited me', stack: expect.stringContaining('nobody awaited me') }) },
      msg: expect.stringContaining('exiting so the supervisor restarts'),
    });
    expect(logged[1]!.obj).toEqual({ kind: 'unhandledRejection', err: { message: 'a plain string' } });
  });
});
