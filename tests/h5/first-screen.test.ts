// What a phone downloads for the H5 app's first screen, in a real Chromium
// against a real BFF process serving the build: the brotli copies, the icon,
// and the bytes on the wire. The figure is fixed for a given build; the limit
// is the goal of issue 11 (a cheap phone on a slow network).
import { kb, measureScreen } from '../../scripts/lighthouse/first-screen';
import { phoneContext } from '../support/browser';
import { useH5App } from '../support/h5-app';

const FIRST_SCREEN_LIMIT_BYTES = 120 * 1024;

const app = useH5App('firstscreen');

describe('the first screen on a phone', () => {
  it('arrives brotli-compressed, with its icon, in at most 120 KB on the wire', async () => {
    const context = await phoneContext(app.browser);
    try {
      const problems: string[] = [];
      context.on('console', (message) => {
        if (message.type() === 'error') problems.push(message.text());
      });
      const { total, responses } = await measureScreen(context, `${app.bff.url}/`, (page) =>
        page.getByTestId('start').waitFor(),
      );
      console.log(
        `首屏传输 ${kb(total)}，${responses.length} 个请求：\n` +
          responses.map((r) => `  ${String(r.bytes).padStart(7)}  ${r.encoding || '-'}  ${r.url}`).join('\n'),
      );

      const text = responses.filter((r) => /(\/|\.js|\.css|\.svg)$/.test(new URL(r.url).pathname));
      expect(text.length).toBeGreaterThan(3);
      expect(text.filter((r) => r.encoding !== 'br')).toEqual([]);
      const icon = responses.find((r) => new URL(r.url).pathname === '/favicon.svg');
      expect(icon).toBeDefined();
      expect(problems).toEqual([]);
      expect(total).toBeLessThanOrEqual(FIRST_SCREEN_LIMIT_BYTES);
    } finally {
      await context.close();
    }
  });

  it("asks for a page's own chunks at once when opened at its address, not after the entry has run", async () => {
    const context = await phoneContext(app.browser);
    try {
      const page = await context.newPage();
      /** What index.html preloads at this address, before the app has run. */
      const preloadsAt = async (address: string) => {
        await page.goto(`${app.bff.url}${address}`);
        await page.getByRole('heading', { level: 1 }).first().waitFor();
        return page.evaluate(() =>
          Array.from(
            document.querySelectorAll<HTMLLinkElement>('link[rel="preload"]'),
            (l) => new URL(l.href).pathname,
          ),
        );
      };
      const home = await preloadsAt('/');
      const notice = await preloadsAt('/journey/notice/index');
      expect(home.length).toBeGreaterThan(0);
      // the notice's own chunks (its sub-package) come down with the entry; the home page's own do not
      expect(notice.filter((file) => !home.includes(file)).length).toBeGreaterThan(0);
      expect(home.filter((file) => !notice.includes(file)).length).toBeGreaterThan(0);
    } finally {
      await context.close();
    }
  });
});
