// The first visit of a page on an emulated 20 Mbit/s, 40 ms link (Chromium, CDP network
// emulation, empty cache): prints the milliseconds until the page is hydrated (its body gets
// data-hydrated) and the bytes transferred. Usage: node scripts/hydration.cjs URL [ROUNDS]
const path = require("path");
const { chromium } = require(path.join(__dirname, "../end2end/node_modules/@playwright/test"));

async function once(browser, url) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send("Network.enable");
  await cdp.send("Network.setCacheDisabled", { cacheDisabled: true });
  await cdp.send("Network.emulateNetworkConditions", {
    offline: false,
    latency: 40,
    downloadThroughput: (20 * 1000 * 1000) / 8,
    uploadThroughput: (20 * 1000 * 1000) / 8,
  });
  let bytes = 0;
  cdp.on("Network.loadingFinished", (e) => (bytes += e.encodedDataLength));
  const start = Date.now();
  await page.goto(url, { waitUntil: "commit" });
  await page.waitForSelector("body[data-hydrated='true']", { timeout: 60_000 });
  const ms = Date.now() - start;
  await context.close();
  return { ms, bytes };
}

(async () => {
  const [url, rounds = "3"] = process.argv.slice(2);
  const browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  const runs = [];
  for (let i = 0; i < Number(rounds); i++) runs.push(await once(browser, url));
  await browser.close();
  runs.sort((a, b) => a.ms - b.ms);
  const median = runs[Math.floor(runs.length / 2)];
  console.log(`hydrated after ${median.ms} ms (median of ${runs.length}: ${runs.map((r) => r.ms).join(", ")}), ${Math.round(median.bytes / 1024)} KiB transferred`);
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
