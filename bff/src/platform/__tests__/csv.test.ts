// CSV for spreadsheet software: the byte-order mark, RFC 4180 quoting, and
// text a spreadsheet would run as a formula kept as text.
import { csvCell, csvOf } from '../csv';

describe('csvCell', () => {
  it('puts a quote before text starting with = + - @, a tab or CR, and quotes what needs it', () => {
    expect(['=1+2', '+86 139', '-2', '@SUM(A1)', '\tx', '\rx'].map(csvCell)).toEqual([
      "'=1+2",
      "'+86 139",
      "'-2",
      "'@SUM(A1)",
      "'\tx",
      `"'\rx"`,
    ]);
    expect(csvCell('=HYPERLINK("http://example.invalid","点我")')).toBe(
      `"'=HYPERLINK(""http://example.invalid"",""点我"")"`,
    );
    expect(csvCell('兴庆区, 金凤区')).toBe('"兴庆区, 金凤区"');
    expect(csvCell('a=b')).toBe('a=b');
  });

  it('writes numbers as numbers (a negative one too), and nothing for absent values', () => {
    expect([3, -1, 2.5, Number.NaN, null, undefined].map(csvCell)).toEqual(['3', '-1', '2.5', '', '', '']);
  });
});

describe('csvOf', () => {
  it('starts with the byte-order mark and ends every line with CRLF', () => {
    expect(csvOf(['地区', '申请（件）'], [['银川市', 3]])).toBe('\uFEFF地区,申请（件）\r\n银川市,3\r\n');
  });
});
