import { maskIdNumber, maskName, maskPhone, scrubPersonalData } from '../mask';

describe('masking', () => {
  it('keeps the region code and last four digits of an ID number', () => {
    expect(maskIdNumber('640104199001011234')).toBe('640104********1234');
    expect(maskIdNumber('64010419900101123X')).toBe('640104********123X');
  });

  it('keeps the first three and last four digits of a phone', () => {
    expect(maskPhone('13812345678')).toBe('138****5678');
  });

  it('keeps the family name only', () => {
    expect(maskName('张三')).toBe('张*');
    expect(maskName('欧阳娜娜')).toBe('欧***');
    expect(maskName('李')).toBe('李*');
  });

  it('scrubs ID numbers and phones inside free text, leaving other numbers alone', () => {
    expect(scrubPersonalData('id=640104199001011234;tel:13812345678;amount=58000;case=LJ20261129000123')).toBe(
      'id=640104********1234;tel:138****5678;amount=58000;case=LJ20261129000123',
    );
    expect(scrubPersonalData('电话13812345678，身份证640104199001011234。')).toBe(
      '电话138****5678，身份证640104********1234。',
    );
    expect(scrubPersonalData('{"phone":"13812345678"}')).toBe('{"phone":"138****5678"}');
  });

  it('leaves opaque ids alone though they hold a phone-like digit run (random hex)', () => {
    for (const id of [
      'A9f13812345678c0a1b2c3d4',
      'Ae0d1c2b3a4f5e6d13900001111',
      'YF13812345678aa',
      'c0ffee00-1234-4abc-8def-013812345678',
    ]) {
      expect(scrubPersonalData(id)).toBe(id);
    }
  });
});
