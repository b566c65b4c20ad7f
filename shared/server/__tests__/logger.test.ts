import { createLogger } from '../logger';

function capture() {
  const lines: string[] = [];
  return { lines, logger: createLogger('debug', (line) => lines.push(line)) };
}

describe('the logger', () => {
  it('writes one JSON object per line with the bound fields', () => {
    const { lines, logger } = capture();
    logger.child({ requestId: 'req-12345678' }).info('hello', { n: 1 });
    expect(JSON.parse(lines[0]!)).toMatchObject({ level: 'info', msg: 'hello', requestId: 'req-12345678', n: 1 });
  });

  it('never writes a full ID number, phone or name', () => {
    const { lines, logger } = capture();
    logger.warn('申请人 640104199001011234 电话 13812345678', {
      name: '张三',
      detail: { phone: '13912345678', idNumber: '64010419900101123X' },
      note: 'call 13712345678',
    });
    const line = lines[0]!;
    expect(line).not.toMatch(/640104199001011234|13812345678|13912345678|64010419900101123X|13712345678|张三/);
    expect(line).toContain('640104********1234');
    expect(line).toContain('138****5678');
    expect(line).toContain('137****5678');
  });

  it('blanks personal fields nested in objects and arrays, and keeps empty ones as they are', () => {
    const { lines, logger } = capture();
    logger.child({ case: { applicant: { name: '欧阳娜娜' } } }).info('nested', {
      people: [{ name: '李四', address: { detail: '兴庆区' } }],
      card: { recipient: { name: '王五', phone: null } },
    });
    const record = JSON.parse(lines[0]!);
    expect(lines[0]).not.toMatch(/欧阳娜娜|李四|王五|兴庆区/);
    expect(record.case.applicant.name).toBe('[redacted]');
    expect(record.people[0]).toEqual({ name: '[redacted]', address: '[redacted]' });
    expect(record.card.recipient).toBe('[redacted]');
  });

  it('writes an error as its type, message and stack only, and the time of the line', () => {
    const { lines, logger } = capture();
    const err = Object.assign(new TypeError('boom 13812345678'), { keyValue: { phoneHash: 'x' } });
    logger.error('failed', { err });
    const record = JSON.parse(lines[0]!);
    expect(Object.keys(record.err).sort()).toEqual(['message', 'stack', 'type']);
    expect(record.err).toMatchObject({ type: 'TypeError', message: 'boom 138****5678' });
    expect(Date.parse(record.time)).toBeGreaterThan(Date.now() - 60_000);
  });

  it('drops lines below its level', () => {
    const lines: string[] = [];
    const logger = createLogger('warn', (line) => lines.push(line));
    logger.info('quiet');
    logger.error('loud');
    expect(lines.map((l) => JSON.parse(l).msg)).toEqual(['loud']);
  });

  it('adds the fields of the moment (the current trace) to every line, its children too', () => {
    const lines: string[] = [];
    let traceId = 'trace-a';
    const logger = createLogger(
      'info',
      (line) => lines.push(line),
      () => ({ traceId }),
    );
    logger.info('first');
    traceId = 'trace-b';
    logger.child({ requestId: 'req-12345678' }).warn('second');
    expect(lines.map((l) => JSON.parse(l))).toEqual([
      expect.objectContaining({ msg: 'first', traceId: 'trace-a' }),
      expect.objectContaining({ msg: 'second', traceId: 'trace-b', requestId: 'req-12345678' }),
    ]);
  });
});
