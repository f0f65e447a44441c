import type { DateTime } from "./luxon";

const UNITS: ReadonlyArray<readonly [string, number]> = [
    ["d", 86_400],
    ["h", 3_600],
    ["min", 60],
];

/**
 * A short, stable age for lists ("4 min", "2 h", "3 d"): accountants scan a column of these,
 * so one unit and a whole number read faster than "2 hours, 13 minutes ago".
 */
export function formatAge(since: DateTime, reference: DateTime): string {
    const seconds = Math.max(0, Math.floor(reference.diff(since, "seconds").seconds));
    for (const [unit, size] of UNITS) {
        if (seconds >= size) {
            return `${Math.floor(seconds / size)} ${unit}`;
        }
    }
    return `${seconds} s`;
}

/** "3 applied, 1 still failing" after an action: what the accountant needs to know at a glance. */
export function summariseOutcome(states: readonly string[]): string {
    const applied = states.filter((state) => state === "done").length;
    const queued = states.filter((state) => state === "pending" || state === "processing").length;
    const closed = states.filter((state) => state === "ignored").length;
    const waiting = states.filter((state) => state === "awaiting_approval").length;
    const stale = states.filter((state) => state === "stale").length;
    const failing = states.length - applied - queued - closed - waiting - stale;
    const parts = [];
    if (applied) parts.push(`${applied} applied`);
    if (queued) parts.push(`${queued} queued`);
    if (closed) parts.push(`${closed} closed`);
    if (waiting) parts.push(`${waiting} awaiting approval`);
    if (stale) parts.push(`${stale} stale`);
    if (failing) parts.push(`${failing} still failing`);
    return parts.join(", ") || "nothing changed";
}
