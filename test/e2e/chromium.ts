import { existsSync } from 'node:fs';
import { chromium } from '@playwright/test';

export const CHROMIUM_INSTALL_HINT =
  'No Chromium found for the browser tests: install it with `sudo apt-get install -y chromium` (Debian/Ubuntu), or set CHROMIUM_PATH to a Chromium/Chrome binary.';

/** CHROMIUM_PATH, then Debian's chromium, then a Playwright-managed browser if one happens to be installed. */
export function findChromium(): string {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv) {
    if (existsSync(fromEnv)) return fromEnv;
    failNoChromium(`CHROMIUM_PATH=${fromEnv} does not exist. ${CHROMIUM_INSTALL_HINT}`);
  }
  for (const candidate of ['/usr/lib/chromium/chromium', '/usr/bin/chromium']) {
    if (existsSync(candidate)) return candidate;
  }
  try {
    const managed = chromium.executablePath();
    if (managed && existsSync(managed)) return managed;
  } catch {
    // no Playwright-managed browser: fall through to the message
  }
  return failNoChromium(CHROMIUM_INSTALL_HINT);
}

function failNoChromium(message: string): never {
  console.error(message);
  process.exit(1);
}
