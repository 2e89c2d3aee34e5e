import { defineConfig } from "@playwright/test";
import { spawnSync } from "node:child_process";

// The release build of the app on a fresh database with the demo data, one server per backend:
// SQLite always, PostgreSQL too when TEST_POSTGRES_URL gives a server (as CI does). Each backend
// is a project (`--project sqlite` / `--project postgres`) running the whole suite against its
// own server, on a free loopback port unless E2E_PORT (SQLite) / E2E_PG_PORT (PostgreSQL) says.

/** Free loopback ports, held together while asked for so they differ. */
function freePorts(n: number): number[] {
  const script = `
    const net = require("node:net");
    const servers = Array.from({ length: ${n} }, () => net.createServer());
    Promise.all(servers.map((s) => new Promise((ok, fail) => {
      s.once("error", fail);
      s.listen(0, "127.0.0.1", () => ok(s.address().port));
    }))).then((ports) => {
      console.log(ports.join(" "));
      servers.forEach((s) => s.close());
    });`;
  const r = spawnSync(process.execPath, ["-e", script], { encoding: "utf8" });
  const ports = (r.stdout ?? "").trim().split(/\s+/).map(Number);
  if (r.status !== 0 || ports.length !== n || ports.some((p) => !(p > 0))) {
    throw new Error(`could not find free ports: ${r.stderr || r.error}`);
  }
  return ports;
}

const postgresUrl = process.env.TEST_POSTGRES_URL?.trim() ?? "";
if (!postgresUrl && (process.env.PC_TEST_REQUIRE ?? "").split(",").includes("postgres")) {
  throw new Error("PC_TEST_REQUIRE asks for PostgreSQL but TEST_POSTGRES_URL is not set");
}
// The runner loads this file, then every worker loads it again: the ports are chosen once, in the
// runner, and reach the workers through the environment they inherit.
if (!process.env.PC_E2E_PORTS) {
  const [sqlite, postgres] = freePorts(2);
  process.env.PC_E2E_PORTS = `${process.env.E2E_PORT || sqlite} ${process.env.E2E_PG_PORT || postgres}`;
}
const [sqlitePort, postgresPort] = (process.env.PC_E2E_PORTS ?? "").split(" ").map(Number);

const backends = [
  { name: "sqlite", port: sqlitePort },
  ...(postgresUrl ? [{ name: "postgres", port: postgresPort }] : []),
];

export default defineConfig({
  testDir: "./tests",
  timeout: 30_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  // One worker per backend, and one worker only within a backend (`workers: 1` in each project):
  // the specs share their backend's database and its demo accounts (the operator's review queues
  // are asserted empty after an approval, a voucher quota's balance is read before an issue),
  // so two specs at once on one database would see each other's changes. The backends' servers
  // and databases are separate, so the two projects run side by side.
  workers: backends.length,
  retries: 0,
  reporter: [["list"]],
  use: {
    locale: "zh-CN",
    trace: "off",
    launchOptions: {
      // Debian's Chromium; Playwright never downloads a browser here.
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
  },
  projects: backends.map(({ name, port }) => ({
    name,
    workers: 1,
    use: { baseURL: `http://127.0.0.1:${port}` },
  })),
  webServer: backends.map(({ name, port }) => ({
    name,
    command: `bash ./start-server.sh ${name} ${port}`,
    url: `http://127.0.0.1:${port}/healthz`,
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: "ignore",
    stderr: "pipe",
    // SIGTERM rather than SIGKILL, so start-server.sh drops its PostgreSQL database and removes
    // its temporary directory.
    gracefulShutdown: { signal: "SIGTERM", timeout: 15_000 },
  })),
});
