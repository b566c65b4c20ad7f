// CSV as spreadsheet software opens it: RFC 4180 quoting, CRLF line ends, a
// byte-order mark so the Chinese is read as UTF-8, and text a spreadsheet
// would run as a formula (= + - @, tab, CR first) kept as text with a
// leading quote. Numbers are written as numbers.

/** One cell; a number stays a number, text starting like a formula gets a leading `'`. */
export function csvCell(value: unknown): string {
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  let text = value === undefined || value === null ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** A header line and the rows, with the byte-order mark. */
export function csvOf(header: readonly string[], rows: readonly (readonly unknown[])[]): string {
  const lines = [header.map(csvCell).join(',')];
  for (const row of rows) lines.push(row.map(csvCell).join(','));
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
