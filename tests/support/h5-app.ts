// A suite that drives the H5 build in Chromium: department simulators, a BFF
// process serving miniapp/dist/h5, and a browser, started before the suite's
// tests and stopped after them.
import type { Browser } from 'playwright-core';
import type { Service } from '../../scripts/lib/services';
import { H5_DIST_DIR } from '../../scripts/paths';
import { launchBrowser } from './browser';
import { startBffProcess, startStack, type Stack } from './stack';

export interface H5App {
  readonly stack: Stack;
  readonly bff: Service;
  readonly browser: Browser;
}

export function useH5App(label: string): H5App {
  const app = {} as { stack: Stack; bff: Service; browser: Browser };
  beforeAll(async () => {
    app.stack = await startStack({ label });
    app.bff = await startBffProcess(app.stack, { H5_DIR: H5_DIST_DIR });
    app.browser = await launchBrowser();
  });
  afterAll(async () => {
    await app.browser?.close();
    await app.bff?.stop();
    await app.stack?.stop();
  });
  return app;
}
