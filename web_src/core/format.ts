import type { DateTime } from "./luxon";
import type { EventState, Money, Outcome } from "./schemas";

/**
 * The words the formatting below puts around its numbers, in the user's language: the cockpit
 * passes web_src/cockpit/words.ts, whose literal _t calls with a string Odoo's term extractor reads;
 * core/ never imports the web client, so unit tests pass their own.
 */
export interface Words {
    days(count: number): string;
    hours(count: number): string;
    minutes(count: number): string;
    seconds(count: number): string;
    applied(count: number): string;
    queued(count: number): string;
    closed(count: number): string;
    awaitingApproval(count: number): string;
    stale(count: number): string;
    stillFailing(count: number): string;
    nothingChanged(): string;
    /** "Business: change order on a closed project". */
    reason(errorClass: string, message: string): string;
    /** "601 retried: 0 applied, 601 still failing". */
    outcome(total: number, verb: string, parts: string): string;
}

const UNITS: ReadonlyArray<readonly [number, keyof Words & ("days" | "hours" | "minutes")]> = [
    [86_400, "days"],
    [3_600, "hours"],
    [60, "minutes"],
];

/**
 * A short, stable age for lists ("4 min", "2 h", "3 d"): accountants scan a column of these,
 * so one unit and a whole number read faster than "2 hours, 13 minutes ago".
 */
export function formatAge(since: DateTime, reference: DateTime, words: Words): string {
    const seconds = Math.max(0, Math.floor(reference.diff(since, "seconds").seconds));
    for (const [size, unit] of UNITS) {
        if (seconds >= size) {
            return words[unit](Math.floor(seconds / size));
        }
    }
    return words.seconds(seconds);
}

// The words of an outcome, in the order they are read; every other state counts as failing.
const OUTCOME_PARTS: ReadonlyArray<
    readonly [
        ReadonlyArray<EventState>,
        "applied" | "queued" | "closed" | "awaitingApproval" | "stale",
    ]
> = [
    [["done"], "applied"],
    [["pending", "processing"], "queued"],
    [["ignored"], "closed"],
    [["awaiting_approval"], "awaitingApproval"],
    [["stale"], "stale"],
];

/** Counts of events by state, from the states the server answered with. */
export function countStates(states: readonly string[]): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const state of states) {
        counts[state] = (counts[state] ?? 0) + 1;
    }
    return counts;
}

/** "3 applied, 1 still failing" after an action: what the accountant needs to know at a glance. */
export function summariseOutcome(states: readonly string[], words: Words): string {
    return summariseCounts(countStates(states), words);
}

export function summariseCounts(counts: Readonly<Record<string, number>>, words: Words): string {
    const total = Object.values(counts).reduce((sum, count) => sum + count, 0);
    let known = 0;
    const parts: string[] = [];
    for (const [states, label] of OUTCOME_PARTS) {
        const count = states.reduce((sum, state) => sum + (counts[state] ?? 0), 0);
        known += count;
        if (count) parts.push(words[label](count));
    }
    if (total - known) parts.push(words.stillFailing(total - known));
    return parts.join(", ") || words.nothingChanged();
}

/**
 * The end of a followed action: "601 retried: 0 applied, 601 still failing (Business: change
 * order on a closed project)". Applied and still failing are always named, even at zero: that
 * split is the answer the person waits for.
 */
export function describeOutcome(outcome: Outcome, verb: string, words: Words): string {
    const applied = outcome.states.done ?? 0;
    const failing = (outcome.states.failed ?? 0) + (outcome.states.dead ?? 0);
    const rest = Object.fromEntries(
        Object.entries(outcome.states).filter(
            ([state]) => state !== "done" && state !== "failed" && state !== "dead"
        )
    );
    const parts = [words.applied(applied), words.stillFailing(failing)];
    if (Object.values(rest).some(Boolean)) parts.push(summariseCounts(rest, words));
    const reasons = outcome.reasons
        .map((reason) =>
            reason.error_class_label
                ? words.reason(reason.error_class_label, shorten(reason.message))
                : shorten(reason.message)
        )
        .filter(Boolean);
    const why = failing && reasons.length ? ` (${reasons.join("; ")})` : "";
    return words.outcome(outcome.total, verb, parts.join(", ")) + why;
}

/** A reason's first sentence-ish part: a notice names the reason, the detail panel tells it all. */
export function shorten(message: string, max = 120): string {
    const line = message.split("\n")[0]?.trim() ?? "";
    return line.length > max ? `${line.slice(0, max - 1).trimEnd()}…` : line;
}

/**
 * Money as the reader's locale writes it, with the currency the server named ("$51,370.50",
 * "51.370,50 €"). `locale` is the user's Odoo language as a BCP 47 tag ("en-US").
 */
export function formatMoney(money: Money, locale?: string): string {
    try {
        return new Intl.NumberFormat(locale, {
            style: "currency",
            currency: money.currency,
        }).format(money.value);
    } catch {
        // An ISO code Intl does not know still shows, after the number.
        return `${money.value.toFixed(2)} ${money.currency}`;
    }
}
