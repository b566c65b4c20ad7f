// Accessibility as axe-core judges it, on the page as it is on screen: the
// browser journeys ask after every screen they photograph.
import fs from 'node:fs';
import type { Page } from 'playwright-core';

const AXE_SOURCE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** What a screen reader or keyboard user would be stopped by: axe's serious and critical findings. */
export interface AxeFinding {
  rule: string;
  impact: string;
  help: string;
  targets: string[];
}

interface AxeResults {
  violations: { id: string; impact?: string | null; help: string; nodes: { target: unknown[] }[] }[];
}

export async function seriousAccessibilityProblems(page: Page): Promise<AxeFinding[]> {
  // Evaluated rather than added as a script tag: a page's content security policy cannot stop it.
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE_SOURCE);
  const results = await page.evaluate(
    () =>
      (window as unknown as { axe: { run: (ctx: Document, opts: object) => Promise<AxeResults> } }).axe.run(document, {
        resultTypes: ['violations'],
      }) as Promise<AxeResults>,
  );
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({
      rule: v.id,
      impact: v.impact!,
      help: v.help,
      targets: v.nodes.slice(0, 5).map((n) => n.target.map(String).join(' ')),
    }));
}

/** Fails with the screen's name and what axe found there. */
export async function expectAccessible(page: Page, screen: string): Promise<void> {
  const found = await seriousAccessibilityProblems(page);
  if (found.length > 0) {
    throw new Error(
      `axe-core: ${found.length} serious or critical problem(s) on ${screen}:\n${JSON.stringify(found, null, 2)}`,
    );
  }
}
