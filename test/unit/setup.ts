import { afterEach } from "@jest/globals";
import * as luxon from "luxon";

// Inside Odoo luxon is a global loaded by the web client; web_src/core/luxon.ts expects it there.
(globalThis as { luxon?: unknown }).luxon = luxon;

// A console error or warning during a test is a failure, as in o-spreadsheet's suite.
const noise: string[] = [];
for (const level of ["error", "warn"] as const) {
    console[level] = (...args: unknown[]) => {
        noise.push(`console.${level}: ${args.map(String).join(" ")}`);
    };
}
afterEach(() => {
    const messages = noise.splice(0);
    if (messages.length) {
        throw new Error(messages.join("\n"));
    }
});
