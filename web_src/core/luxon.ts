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

/** An Odoo UTC datetime string as the reader's wall clock in `zone`, to the second (watermarks
 * are compared to the second): "2026-11-23 11:00:00". */
export function formatServerDatetime(value: string, zone = "local"): string {
    return parseServerDatetime(value).setZone(zone).toFormat("yyyy-MM-dd HH:mm:ss");
}

/** A datetime-local input's value ("2026-11-23T09:00", the reader's wall clock in `zone`) as
 * Odoo's naive UTC string; null when the input is empty or incomplete. The input has no
 * seconds: as the end of a range ("until 09:00") it means up to 09:00:59, so an event received
 * during the minute shown is inside. */
export function localInputToServer(
    value: string,
    zone: string,
    edge: "start" | "end" = "start"
): string | null {
    const parsed = luxon().DateTime.fromISO(value, { zone });
    if (!parsed.isValid) {
        return null;
    }
    const moment = edge === "end" ? parsed.endOf("minute") : parsed.startOf("minute");
    return moment.toUTC().toFormat("yyyy-MM-dd HH:mm:ss");
}

/** The opposite of localInputToServer, for filling an input: a moment as the reader's wall clock. */
export function toLocalInput(moment: Luxon.DateTime, zone: string): string {
    return moment.setZone(zone).toFormat("yyyy-MM-dd'T'HH:mm");
}
