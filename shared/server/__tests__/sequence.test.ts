import { NumberBlocks, nextNumber } from '../sequence';
import { useTestDatabase } from '../../../bff/test/database';

const db = useTestDatabase();

describe('business numbers', () => {
  it('count up per prefix and per Beijing day, without gaps or repeats under concurrency', async () => {
    const at = new Date('2026-11-29T17:00:00Z'); // 01:00 on 30 November in Beijing
    const numbers = await Promise.all(Array.from({ length: 25 }, () => nextNumber(db.connection, 'JY', at)));
    expect(new Set(numbers).size).toBe(25);
    expect([...numbers].sort()[0]).toBe('JY20261130000001');
    expect([...numbers].sort()[24]).toBe('JY20261130000025');
    expect(await nextNumber(db.connection, 'YB', at)).toBe('YB20261130000001');
  });

  it('in blocks: unique under concurrency across two holders, one write per block, a new block each day', async () => {
    const at = new Date('2026-11-29T17:00:00Z');
    const a = new NumberBlocks(db.connection, 'LB', 10);
    const b = new NumberBlocks(db.connection, 'LB', 10);
    const numbers = await Promise.all(Array.from({ length: 30 }, (_, i) => (i % 2 ? a : b).next(at)));
    expect(new Set(numbers).size).toBe(30);
    expect(numbers.every((n) => /^LB20261130\d{6}$/.test(n))).toBe(true);
    // 15 each, in blocks of 10: two blocks each, 40 numbers reserved.
    const counter = await db.connection.collection('sequences').findOne({ _id: 'LB:20261130' as never });
    expect(counter?.value).toBe(40);
    expect(await nextNumber(db.connection, 'LB', at)).toBe('LB20261130000041');
    const nextDay = new Date('2026-11-30T17:00:00Z');
    expect(await a.next(nextDay)).toBe('LB20261201000001');
    expect(await a.next(nextDay)).toBe('LB20261201000002');
  });
});
