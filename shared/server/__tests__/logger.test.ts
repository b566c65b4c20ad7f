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

  it('drops lines below its level', () => {
    const lines: string[] = [];
    const logger = createLogger('warn', (line) => lines.push(line));
    logger.info('quiet');
    logger.error('loud');
    expect(lines.map((l) => JSON.parse(l).msg)).toEqual(['loud']);
  });
});
