import { existsSync } from "node:fs";
import { defineConfig, devices } from "@playwright/test";

const port = Number(process.env.E2E_PORT ?? 3100);
const baseURL = `http://127.0.0.1:${port}`;

// Debian's Chromium where installed (these machines cannot download Playwright's own browser);
// elsewhere Playwright's bundled Chromium after `npx playwright install chromium`.
const systemChromium = process.env.PLAYWRIGHT_CHROMIUM_EXECUTABLE_PATH ?? (existsSync("/usr/bin/chromium") ? "/usr/bin/chromium" : undefined);
const launchOptions = {
  executablePath: systemChromium,
  // Without the background-networking flags Chromium floods a closed network with requests.
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
};

export default defineConfig({
  testDir: "e2e",
  outputDir: "test-results/e2e",
  fullyParallel: true,
  workers: 2,
  forbidOnly: Boolean(process.env.CI),
  retries: 0,
  // Two shared cores build, serve and drive Chromium at once; axe runs take seconds each.
  timeout: 90_000,
  reporter: [["list"], ["html", { open: "never", outputFolder: "playwright-report" }]],
  use: { baseURL, trace: "retain-on-failure", screenshot: "only-on-failure" },
  projects: [
    { name: "desktop", testIgnore: /(phone|log-hygiene)\.spec/, use: { ...devices["Desktop Chrome"], launchOptions } },
    { name: "phone", testMatch: /phone\.spec/, use: { ...devices["Pixel 7"], launchOptions } },
    // Reads the server's whole log for health data, so it runs after everything else.
    { name: "log", testMatch: /log-hygiene\.spec/, dependencies: ["desktop", "phone"], use: { ...devices["Desktop Chrome"], launchOptions } },
  ],
  webServer: {
    command: "npx tsx --conditions=react-server e2e/support/server.ts",
    url: `${baseURL}/sign-in`,
    timeout: 180_000,
    reuseExistingServer: false,
    stdout: "pipe",
    env: { E2E_PORT: String(port) },
  },
});
