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
