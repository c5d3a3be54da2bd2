/**
 * The embedded default's terminal: readable lines when stdout is a terminal (pino-pretty), JSON when it is
 * not or in production; request lines only at debug; the API's redaction either way.
 */
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { caseEventLine, consoleLogger, workerLogLine } from '../../../scripts/start';

function capture(isTTY: boolean, env: NodeJS.ProcessEnv = {}) {
  const stream = Object.assign(new PassThrough(), { isTTY });
  const chunks: string[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk.toString('utf8')));
  const logger = consoleLogger({ stream, env });
  const lines = async () => {
    await new Promise((resolve) => setImmediate(resolve));
    return chunks.join('').split('\n').filter(Boolean);
  };
  return { logger, lines };
}

describe('consoleLogger', () => {
  it('without a terminal: JSON lines, request lines hidden at info, authorization redacted', async () => {
    const { logger, lines } = capture(false);
    logger.child({ reqId: 'r1' }).info({ req: { method: 'GET', url: '/v1/policies' } }, 'incoming request');
    logger.child({ reqId: 'r1' }).info({ res: { statusCode: 200 } }, 'request completed');
    logger.warn({ headers: { authorization: 'Bearer dev-admin' } }, 'something to look at');
    const out = await lines();
    expect(out).toHaveLength(1);
    const line = JSON.parse(out[0]!);
    expect(line).toMatchObject({ level: 40, msg: 'something to look at', headers: { authorization: '[redacted]' } });
  });

  it('LOG_LEVEL=debug shows the request lines, at debug', async () => {
    const { logger, lines } = capture(false, { LOG_LEVEL: 'debug' });
    logger.info({ req: { method: 'GET', url: '/readyz' } }, 'incoming request');
    const out = (await lines()).map((l) => JSON.parse(l));
    expect(out).toEqual([expect.objectContaining({ level: 20, msg: 'incoming request' })]);
  });

  it('in a terminal: readable lines, not JSON, still redacted', async () => {
    const { logger, lines } = capture(true);
    logger.info({ caseId: 'as_1', customerRef: 'cust-secret' }, 'case event');
    logger.info('incoming request');
    const out = await lines();
    expect(out).toHaveLength(1);
    expect(() => JSON.parse(out[0]!)).toThrow();
    expect(out[0]).toMatch(/INFO/);
    expect(out[0]).toMatch(/case event/);
    expect(out[0]).not.toMatch(/cust-secret/);
  });

  it('in production: JSON even in a terminal', async () => {
    const { logger, lines } = capture(true, { NODE_ENV: 'production' });
    logger.error('boom');
    expect(JSON.parse((await lines())[0]!)).toMatchObject({ level: 50, msg: 'boom' });
  });

  it('the worker\'s warnings become one line of the same logger, through the same redaction', async () => {
    const { logger, lines } = capture(false);
    workerLogLine(logger)({ level: 'WARN', message: 'Activity failed', meta: { activityType: 'executeRefund', error: new Error('gateway refused') }, timestampNanos: 0n });
    const out = await lines();
    expect(out).toHaveLength(1);
    expect(JSON.parse(out[0]!)).toMatchObject({ level: 40, msg: 'Activity failed', worker: true, activityType: 'executeRefund', err: { type: 'Error', message: '[redacted]' } });
  });

  it('a case event is one info line naming the case, without its data', async () => {
    const { logger, lines } = capture(false);
    caseEventLine(logger)({ id: 'as_1:2', schemaVersion: 2, type: 'case.status_changed', caseId: 'as_1', kind: 'after_sale', merchantId: 'm-a', at: '2026-11-22T16:40:00+08:00', data: { customerRef: 'cust-secret' } });
    const out = await lines();
    expect(out).toHaveLength(1);
    expect(out[0]).not.toMatch(/cust-secret/);
    expect(JSON.parse(out[0]!)).toMatchObject({ level: 30, msg: 'case event case.status_changed', caseId: 'as_1', kind: 'after_sale', merchantId: 'm-a', eventId: 'as_1:2' });
  });
});
