import { expect, test } from "@playwright/test";
import { LoginPage, hydrated } from "../fixtures/pages";

// A first visit: the page, its style sheet, script and WebAssembly travel compressed (the build's
// brotli copies), the /pkg files are named by their content and kept for a year, and the page
// still hydrates. How many bytes that is belongs to `scripts/bench`, not to a test.
test("a first visit gets compressed, long-cached files and a hydrated page", async ({ page }) => {
  const pkg = new Map<string, { encoding: string; cache: string; status: number }>();
  const documents: string[] = [];
  page.on("response", async (response) => {
    const url = new URL(response.url());
    const headers = await response.allHeaders();
    if (url.pathname.startsWith("/pkg/")) {
      pkg.set(url.pathname, {
        encoding: headers["content-encoding"] ?? "",
        cache: headers["cache-control"] ?? "",
        status: response.status(),
      });
    } else if (response.request().resourceType() === "document") {
      documents.push(headers["content-encoding"] ?? "");
    }
  });

  await page.goto("/login");
  await hydrated(page);
  await expect(page.getByRole("button", { name: "登录" })).toBeVisible();

  const wasm = [...pkg.keys()].filter((p) => p.endsWith(".wasm"));
  const js = [...pkg.keys()].filter((p) => p.endsWith(".js"));
  const css = [...pkg.keys()].filter((p) => p.endsWith(".css"));
  // The login page is in the main module: no page chunk is fetched for it.
  expect(wasm, "one WebAssembly file loaded").toHaveLength(1);
  expect(js.length, "the script loaded").toBeGreaterThan(0);
  expect(css, "the style sheet loaded").toHaveLength(1);
  for (const [path, r] of pkg) {
    expect(r.status, path).toBe(200);
    // Named by content (`partner-center.<hash>.wasm`, the chunk loader `__wasm_split.<hash>.js`).
    expect(path, "a content-hashed name").toMatch(/^\/pkg\/(partner-center|__wasm_split)\.[^.]+\.(wasm|js|css)$/);
    if (/^\/pkg\/partner-center\.[^.]+\.js$/.test(path)) {
      // The WebAssembly's script is named before the chunk loader's name is written into it, so
      // it is revalidated (a 304 when unchanged), never kept blindly.
      expect(r.cache, path).toContain("max-age=0");
    } else {
      // So it may be kept for a year: the WebAssembly, the style sheet, the loader.
      expect(r.cache, path).toContain("immutable");
      expect(r.cache, path).toContain("max-age=31536000");
    }
    expect(["br", "gzip"], `${path} travels compressed`).toContain(r.encoding);
  }
  expect(documents[0] ?? "", "the page travels compressed").toMatch(/^(br|gzip)$/);
});

// Without the WebAssembly (here: JavaScript off), a visitor who is not signed in and opens a
// partner page is sent to the login page by the server itself — a 303, never a blank page.
// The pages behind the login page are loaded on demand: each brings its own WebAssembly chunk,
// both when it is the first page loaded (hydration waits for the chunk) and when the router
// navigates to it in the browser.
test("a page beyond the login page loads its chunk and hydrates, directly and by navigation", async ({ page }) => {
  const chunks: string[] = [];
  const errors: string[] = [];
  page.on("response", (response) => {
    const path = new URL(response.url()).pathname;
    if (/^\/pkg\/(split|chunk)_[^/]*\.wasm$/.test(path)) {
      expect(response.status(), path).toBe(200);
      chunks.push(path);
    }
  });
  page.on("pageerror", (error) => errors.push(String(error)));

  const login = new LoginPage(page);
  await login.goto();
  expect(chunks, "the login page needs no chunk").toHaveLength(0);
  await login.login("provider");
  await expect(page).toHaveURL(/\/center$/);
  await hydrated(page);
  expect(chunks.length, "the partner center's chunks were fetched").toBeGreaterThan(0);

  // Client-side navigations (the window survives them): within the area, nothing more is
  // fetched; to another area, that area's chunk.
  const fetched = chunks.length;
  await page.evaluate(() => ((window as unknown as { stayed: boolean }).stayed = true));
  await page.locator('a[href="/center/plans"]').first().click();
  await expect(page).toHaveURL(/\/center\/plans$/);
  await expect(page.locator("article[data-testid^=\"plan-\"]").first()).toBeVisible();
  expect(chunks.length, "the partner center's pages share its chunk").toBe(fetched);
  await page.getByTestId("unread-messages").click();
  await expect(page).toHaveURL(/\/messages$/);
  await expect(page.getByTestId("messages")).toBeVisible();
  expect(await page.evaluate(() => (window as unknown as { stayed?: boolean }).stayed)).toBe(true);
  expect(chunks.length, "the messages' area chunk was fetched on the way").toBeGreaterThan(fetched);
  expect(errors, "no script errors").toEqual([]);
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("a signed-out visitor is sent to the login page by the server", async ({ page }) => {
    const response = await page.goto("/center/sales/orders?q=PO");
    await expect(page).toHaveURL(/\/login\?next=\/center\/sales\/orders%3Fq%3DPO$/);
    const first = await response?.request().redirectedFrom()?.response();
    expect(first?.status(), "the protected page answers 303 See Other").toBe(303);
    await expect(page.getByRole("button", { name: "登录" })).toBeVisible();
  });
});
