// Debian's chromium, driven headless by playwright-core.
import { chromium, type BrowserContext } from 'playwright-core';

export const CHROMIUM = process.env.SEQLENS_CHROMIUM ?? '/usr/bin/chromium';

export async function openBrowser(profileDir: string): Promise<BrowserContext> {
  return chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1400, height: 900 },
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}
