// The mini-app bundles shared/src: nothing in it may need Node (or ajv, which
// mini-programs cannot run). Node-only helpers live in shared/server.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const SRC = join(__dirname, '..');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (entry.name === '__tests__') return [];
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

const FORBIDDEN: [string, RegExp][] = [
  ['a node: import', /from\s+['"]node:|require\(\s*['"]node:/],
  ['a Node built-in import', /from\s+['"](fs|path|crypto|os|buffer|util|stream|http|https|zlib|child_process)['"]/],
  ['ajv', /from\s+['"]ajv/],
  ['Buffer', /\bBuffer\./],
  ['process', /\bprocess\.(env|cwd|argv|exit)/],
  ['shared/server', /from\s+['"][./]*server/],
];

describe('shared/src', () => {
  const files = sourceFiles(SRC);

  it('has the modules the mini-app and the BFF share', () => {
    const names = files.map((f) => relative(SRC, f));
    for (const name of [
      'application.ts',
      'manifest.ts',
      'eligibility-rules.ts',
      'notice.ts',
      'working-days.ts',
      'case-states.ts',
    ]) {
      expect(names).toContain(name);
    }
  });

  it.each(files.map((f) => [relative(SRC, f), f]))('%s uses nothing Node-only', (_name, file) => {
    const code = readFileSync(file, 'utf8')
      .replace(/\/\*[\s\S]*?\*\//g, '')
      .replace(/^\s*\/\/.*$/gm, '');
    for (const [what, pattern] of FORBIDDEN) expect([what, pattern.test(code)]).toEqual([what, false]);
  });
});
