// What a phone downloads for one screen of the H5 app: every response's bytes on
// the wire (headers and the body as sent, compressed or not), counted by
// Chromium itself (the DevTools protocol's encodedDataLength), until the page
// shows what `ready` waits for and the network has been quiet.
import type { BrowserContext, Page } from 'playwright-core';

export interface Transfer {
  url: string;
  /** Content-Encoding as sent ('' when none). */
  encoding: string;
  bytes: number;
}

export interface ScreenTransfer {
  total: number;
  responses: Transfer[];
}

export async function measureScreen(
  context: BrowserContext,
  url: string,
  ready: (page: Page) => Promise<unknown>,
): Promise<ScreenTransfer & { page: Page }> {
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  // Chromium's memory cache would hide a second load's bytes.
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  const seen = new Map<string, { url: string; encoding: string }>();
  const responses: Transfer[] = [];
  cdp.on('Network.responseReceived', (event) => {
    const headers = Object.fromEntries(
      Object.entries(event.response.headers).map(([name, value]) => [name.toLowerCase(), String(value)]),
    );
    seen.set(event.requestId, { url: event.response.url, encoding: headers['content-encoding'] ?? '' });
  });
  cdp.on('Network.loadingFinished', (event) => {
    const response = seen.get(event.requestId);
    if (response) responses.push({ ...response, bytes: event.encodedDataLength });
  });
  await page.goto(url);
  await ready(page);
  await page.waitForLoadState('networkidle');
  await cdp.detach();
  return { page, total: responses.reduce((sum, r) => sum + r.bytes, 0), responses };
}

export const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
