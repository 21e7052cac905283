// Why: the cross-browser e2e suite drives Debian's Firefox ESR (never a downloaded build) over
// WebDriver BiDi with puppeteer-core (there is no geckodriver package). Its profile keeps it off
// the network — no updates, telemetry, captive-portal or Safe Browsing calls, no OpenH264
// download — and gives it a fake microphone, autoplay and IP host candidates on loopback.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import path from "node:path";
import puppeteer, { type Browser } from "puppeteer-core";
import { TMP_DIR } from "../../../scripts/lib/paths.ts";

export const FIREFOX_PATH = "/usr/bin/firefox-esr";
export const FIREFOX_PACKAGE = "firefox-esr";

/** about:config preferences written to the fresh profile (on top of puppeteer's own test set). */
export const FIREFOX_PREFS: Record<string, string | number | boolean> = {
  // Off the network: nothing but the test's 127.0.0.1 servers is ever contacted.
  "app.update.auto": false,
  "app.update.enabled": false,
  "app.normandy.enabled": false,
  "app.shield.optoutstudies.enabled": false,
  "browser.ping-centre.telemetry": false,
  "browser.region.network.url": "",
  "browser.region.update.enabled": false,
  "browser.safebrowsing.downloads.remote.enabled": false,
  "browser.safebrowsing.provider.google4.updateURL": "",
  "browser.safebrowsing.provider.mozilla.updateURL": "",
  "browser.topsites.contile.enabled": false,
  "datareporting.healthreport.uploadEnabled": false,
  "datareporting.policy.dataSubmissionEnabled": false,
  "extensions.blocklist.enabled": false,
  "geo.provider.network.url": "",
  "messaging-system.rsexperimentloader.enabled": false,
  "network.captive-portal-service.enabled": false,
  "network.connectivity-service.enabled": false,
  "network.dns.disablePrefetch": true,
  "network.predictor.enabled": false,
  "network.prefetch-next": false,
  "network.proxy.type": 0,
  "toolkit.telemetry.enabled": false,
  "toolkit.telemetry.server": "",
  "toolkit.telemetry.unified": false,
  // No OpenH264 plug-in download: Firefox then offers VP8/VP9/AV1 only, which is the point of
  // the camera's VP8 stream.
  "media.gmp-manager.updateEnabled": false,
  "media.gmp-gmpopenh264.enabled": false,
  "media.gmp-gmpopenh264.autoupdate": false,
  // Media: fake capture devices without a permission prompt, autoplay with sound allowed.
  "media.navigator.streams.fake": true,
  "media.navigator.permission.disabled": true,
  "media.autoplay.default": 0,
  "media.autoplay.blocking_policy": 0,
  // WebRTC on loopback: gather 127.0.0.1 and give host candidates as IPs, not mDNS names, so
  // the PWA can classify the path (Chromium's --disable-features=WebRtcHideLocalIpsWithMdns).
  "media.peerconnection.ice.loopback": true,
  "media.peerconnection.ice.obfuscate_host_addresses": false,
  // Downloads go straight to the folder the driver names, with no dialog.
  "browser.download.folderList": 2,
  "browser.download.useDownloadDir": true,
  "browser.download.always_ask_before_handling_new_types": false,
  "browser.download.manager.showWhenStarting": false,
  "browser.download.start_downloads_in_tmp_dir": false,
};

export interface LaunchedFirefox {
  browser: Browser;
  /** Where the browser saves downloads. */
  downloadDir: string;
  /** e.g. "Mozilla Firefox 153.8.0esr". */
  version: string;
  close(): Promise<void>;
}

/** Launches headless Firefox ESR on a fresh profile under .tmp/; fails naming the package if it is missing. */
export async function launchFirefox(): Promise<LaunchedFirefox> {
  if (!existsSync(FIREFOX_PATH)) {
    throw new Error(`Firefox not found at ${FIREFOX_PATH}: install the Debian package "${FIREFOX_PACKAGE}" (npm test installs it when run as root).`);
  }
  mkdirSync(TMP_DIR, { recursive: true });
  const dir = mkdtempSync(path.join(TMP_DIR, "firefox-"));
  const profile = path.join(dir, "profile");
  const downloadDir = path.join(dir, "downloads");
  const browser = await puppeteer.launch({
    browser: "firefox",
    protocol: "webDriverBiDi",
    executablePath: FIREFOX_PATH,
    headless: true,
    userDataDir: profile,
    extraPrefsFirefox: { ...FIREFOX_PREFS, "browser.download.dir": downloadDir },
    downloadBehavior: { policy: "allow", downloadPath: downloadDir },
    // Caches and config Firefox keeps outside the profile stay in the scratch folder too.
    env: { ...process.env, MOZ_CRASHREPORTER_DISABLE: "1", XDG_CACHE_HOME: path.join(dir, "cache"), XDG_CONFIG_HOME: path.join(dir, "config") },
    defaultViewport: { width: 1280, height: 800 },
    // vitest owns the process signals; afterAll closes the browser.
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
    timeout: 60_000,
  });
  return {
    browser,
    downloadDir,
    version: spawnSync(FIREFOX_PATH, ["--version"], { encoding: "utf8" }).stdout.trim(),
    async close() {
      await browser.close().catch(() => {});
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
