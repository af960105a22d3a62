/// <reference lib="dom" />
/**
 * Real headless Chromium (Debian's `chromium` package) driven by playwright-core, with a fresh
 * profile per launch; records console errors, page errors, dialogs and every request that is not
 * a file: URL (which it also blocks), so a test can assert a page stays offline and quiet.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';

export const CHROMIUM = process.env.LAMBENCH_CHROMIUM ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface Browser {
  context: BrowserContext;
  close(): Promise<void>;
}

export async function launchBrowser(options: { colorScheme?: 'light' | 'dark' } = {}): Promise<Browser> {
  const profile = mkdtempSync(join(tmpdir(), 'lambench-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1280, height: 900 },
    colorScheme: options.colorScheme ?? 'light',
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

export interface WatchedPage {
  page: Page;
  consoleErrors: string[];
  pageErrors: string[];
  dialogs: string[];
  /** Requests to anything but file: URLs (blocked). */
  network: string[];
}

/** A new page with listeners for everything a self-contained report must not do. */
export async function watchedPage(browser: Browser): Promise<WatchedPage> {
  const page = await browser.context.newPage();
  const watched: WatchedPage = { page, consoleErrors: [], pageErrors: [], dialogs: [], network: [] };
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning')
      watched.consoleErrors.push(`${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => watched.pageErrors.push(e.message));
  page.on('dialog', (d) => {
    watched.dialogs.push(d.message());
    void d.dismiss();
  });
  await page.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith('file:')) return route.continue();
    watched.network.push(url);
    return route.abort();
  });
  page.on('request', (r) => {
    const url = r.url();
    if (!url.startsWith('file:') && !watched.network.includes(url)) watched.network.push(url);
  });
  return watched;
}

/** For each chart holder: its id and how many distinct non-background colours its canvas has. */
export async function chartInk(page: Page): Promise<{ id: string; colours: number; inked: number }[]> {
  return page.$$eval('.chart', (holders) =>
    holders.map((holder) => {
      const canvas = holder.querySelector('canvas');
      const id = holder.id;
      if (!canvas || canvas.width === 0 || canvas.height === 0) return { id, colours: 0, inked: 0 };
      const ctx = canvas.getContext('2d');
      if (!ctx) return { id, colours: 0, inked: 0 };
      const data = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
      const colours = new Set<number>();
      let inked = 0;
      for (let i = 0; i < data.length; i += 4) {
        if ((data[i + 3] ?? 0) === 0) continue;
        inked++;
        colours.add(((data[i] ?? 0) << 16) | ((data[i + 1] ?? 0) << 8) | (data[i + 2] ?? 0));
      }
      return { id, colours: colours.size, inked };
    }),
  );
}
