// Odoo's web client loads luxon as a global; the bundle must not carry a second copy. This module
// is the single place that reaches for it, typed from the npm package. Jest fills the global from
// the npm package (test/unit/setup.ts).
import type * as Luxon from "luxon";

type LuxonModule = typeof Luxon;

function luxon(): LuxonModule {
    const lib = (globalThis as { luxon?: LuxonModule }).luxon;
    if (!lib) {
        throw new Error("luxon is not loaded: the cockpit must run inside Odoo's web client");
    }
    return lib;
}

export function now(): Luxon.DateTime {
    return luxon().DateTime.now();
}

/** Parses Odoo's UTC datetime strings ("2026-11-23 08:15:00") and ISO 8601 strings. */
export function parseServerDatetime(value: string): Luxon.DateTime {
    const { DateTime } = luxon();
    const odooFormat = DateTime.fromFormat(value, "yyyy-MM-dd HH:mm:ss", { zone: "utc" });
    return odooFormat.isValid ? odooFormat : DateTime.fromISO(value, { zone: "utc" });
}

export type DateTime = Luxon.DateTime;
