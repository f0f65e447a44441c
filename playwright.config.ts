import { defineConfig } from "@playwright/test";

// Runs against an Odoo that scripts/test (or you) started: CSYNC_BASE_URL points at it.
// Debian's Chromium only: downloading a browser is neither possible nor wanted here.
export default defineConfig({
    testDir: "test/e2e",
    timeout: 60_000,
    expect: { timeout: 15_000 },
    retries: 0,
    workers: 1,
    forbidOnly: true,
    outputDir: ".run/test/playwright-artifacts",
    reporter: [["list"], ["json", { outputFile: ".run/test/playwright.json" }]],
    use: {
        baseURL: process.env.CSYNC_BASE_URL ?? "http://127.0.0.1:8069",
        viewport: { width: 1440, height: 900 },
        screenshot: "only-on-failure",
        launchOptions: {
            executablePath: "/usr/bin/chromium",
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
});
