import { defineConfig, devices } from "@playwright/test";
import { execSync } from "node:child_process";

// One server for the whole run, on a free port, over a fresh data directory. The port is
// chosen once and handed to the worker processes through the environment.
if (!process.env.RIYADA_E2E_PORT) {
  process.env.RIYADA_E2E_PORT = execSync(
    `python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'`,
  )
    .toString()
    .trim();
}
const port = process.env.RIYADA_E2E_PORT;
// The SMTP server the portal sends to (started by global setup, stopped and restarted by the
// test of an SMTP outage) and the maildir it writes.
if (!process.env.RIYADA_E2E_SMTP_PORT) {
  process.env.RIYADA_E2E_SMTP_PORT = execSync(
    `python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'`,
  )
    .toString()
    .trim();
  process.env.RIYADA_E2E_MAILDIR = execSync("mktemp -d /tmp/riyada-e2e-mail.XXXXXX").toString().trim() + "/maildir";
}
// The local SMS gateway (started by global setup) and the file it writes each message to.
if (!process.env.RIYADA_E2E_SMS_PORT) {
  process.env.RIYADA_E2E_SMS_PORT = execSync(
    `python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'`,
  )
    .toString()
    .trim();
  process.env.RIYADA_E2E_SMS_FILE = execSync("mktemp -d /tmp/riyada-e2e-sms.XXXXXX").toString().trim() + "/sms.jsonl";
}
// The server's data directory, so that tests can read its e-mail outbox (read-outbox.py).
if (!process.env.RIYADA_E2E_DATA_DIR) {
  process.env.RIYADA_E2E_DATA_DIR = execSync("mktemp -d /tmp/riyada-e2e.XXXXXX").toString().trim();
}
const baseURL = `http://127.0.0.1:${port}`;

// Debian's Chromium; the machine is offline, so background networking is switched off.
const chromium = {
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
};

const phone = { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };
const desktop = { viewport: { width: 1280, height: 800 } };

export default defineConfig({
  testDir: "./tests",
  globalSetup: "./global-setup.ts",
  globalTeardown: "./global-teardown.ts",
  // Generous limits: a passing test never waits for them, and a loaded CI machine (two
  // cores shared with the server, seen stalling for seconds) must not fail a working page.
  timeout: 120_000,
  expect: { timeout: 15_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  forbidOnly: !!process.env.CI,
  reporter: [["list"]],
  use: {
    baseURL,
    launchOptions: chromium,
    locale: "ar",
    trace: "off",
  },
  projects: [
    { name: "phone", use: { ...devices["Desktop Chrome"], ...phone, launchOptions: chromium }, testIgnore: /nojs/ },
    { name: "desktop", use: { ...devices["Desktop Chrome"], ...desktop, launchOptions: chromium }, testIgnore: /nojs/ },
    {
      name: "phone-nojs",
      use: { ...devices["Desktop Chrome"], ...phone, javaScriptEnabled: false, launchOptions: chromium },
      testMatch: /nojs/,
    },
    {
      name: "desktop-nojs",
      use: { ...devices["Desktop Chrome"], ...desktop, javaScriptEnabled: false, launchOptions: chromium },
      testMatch: /nojs/,
    },
  ],
  webServer: {
    command: `bash ./start-server.sh ${port} ${process.env.RIYADA_E2E_SMTP_PORT} ${process.env.RIYADA_E2E_SMS_PORT}`,
    url: `${baseURL}/healthz`,
    timeout: 180_000,
    reuseExistingServer: false,
    stdout: "pipe",
    stderr: "pipe",
  },
});
