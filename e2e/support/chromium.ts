import { type Browser, chromium } from 'playwright-core';

/**
 * Headless Debian chromium with loopback WebRTC allowed and real IPs in candidates (no mDNS names).
 * Playwright gives every launch a fresh temporary profile (user data dir) and deletes it on close.
 */
/** `extraArgs`: e.g. the fake media device flags for a microphone test. */
export function launchChromium(extraArgs: string[] = []): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--allow-loopback-in-peer-connection',
      '--disable-features=WebRtcHideLocalIpsWithMdns',
      '--autoplay-policy=no-user-gesture-required',
      ...extraArgs,
    ],
  });
}
