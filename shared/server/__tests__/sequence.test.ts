import { nextNumber } from '../sequence';
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
});
