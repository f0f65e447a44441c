import type { ChartConfiguration } from "chart.js";
import type { ChartLabel } from "./chart";
import { parseServerDatetime } from "./luxon";
import type { EventState, Trends } from "./schemas";

/** Stacking order of the hourly chart: what went well at the bottom, what needs a person on top. */
export const OUTCOME_ORDER: readonly EventState[] = [
    "done",
    "stale",
    "ignored",
    "pending",
    "processing",
    "awaiting_approval",
    "failed",
    "dead",
];

const COLORS: Record<EventState, string> = {
    done: "#28a745",
    stale: "#adb5bd",
    ignored: "#6c757d",
    pending: "#17a2b8",
    processing: "#007bff",
    awaiting_approval: "#ffc107",
    failed: "#dc3545",
    dead: "#6f0d16",
};

export interface HourlySeries {
    /** Every hour of the window, oldest first, as naive UTC server datetimes. */
    hours: string[];
    /** One zero-filled series per state that occurs in the window, in OUTCOME_ORDER. */
    series: { state: EventState; counts: number[] }[];
}

const HOUR_MS = 3_600_000;

/** The server sends only the hours that had events; a chart needs every hour, empty ones at 0. */
export function hourlySeries(trends: Trends): HourlySeries {
    const first = parseServerDatetime(trends.since).toMillis();
    const last = parseServerDatetime(trends.until).toMillis();
    const hours: string[] = [];
    for (let at = first; at <= last; at += HOUR_MS) {
        hours.push(new Date(at).toISOString().replace("T", " ").slice(0, 19));
    }
    const index = new Map(hours.map((hour, position) => [hour, position]));
    const byState = new Map<EventState, number[]>();
    for (const { hour, state, count } of trends.by_hour) {
        const position = index.get(hour);
        if (position === undefined) {
            continue;
        }
        let counts = byState.get(state);
        if (!counts) {
            counts = new Array<number>(hours.length).fill(0);
            byState.set(state, counts);
        }
        counts[position] = (counts[position] ?? 0) + count;
    }
    const series = OUTCOME_ORDER.flatMap((state) => {
        const counts = byState.get(state);
        return counts ? [{ state, counts }] : [];
    });
    return { hours, series };
}

/** An hour label in the reader's zone: "Mon 23 08:00". */
export function hourLabel(hour: string, zone: string): string {
    return parseServerDatetime(hour).setZone(zone).toFormat("ccc d HH:mm");
}

/** The stacked bar chart of events per hour by state. `labels` translates state names. */
export function hourlyChart(
    trends: Trends,
    zone: string,
    labels: Record<EventState, string>
): ChartConfiguration<"bar", number[], ChartLabel> {
    const { hours, series } = hourlySeries(trends);
    return {
        type: "bar",
        data: {
            labels: hours.map((hour) => hourLabel(hour, zone)),
            datasets: series.map(({ state, counts }) => ({
                label: labels[state],
                data: counts,
                backgroundColor: COLORS[state],
                stack: "events",
            })),
        },
        options: {
            animation: false,
            maintainAspectRatio: false,
            scales: {
                x: { stacked: true, ticks: { autoSkip: true, maxRotation: 0 } },
                y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } },
            },
            plugins: { legend: { position: "bottom" } },
        },
    };
}

/**
 * A label longer than `max` characters as lines of at most `max`, broken after a dot, an
 * underscore or a space ("subcontractor_invoice." / "received"): Chart.js gives a horizontal
 * bar chart's labels the room of the longest line, and clips a label wider than the chart allows.
 */
export function wrapLabel(label: string, max = 18): ChartLabel {
    if (label.length <= max) {
        return label;
    }
    const lines: string[] = [];
    let line = "";
    for (const piece of label.split(/(?<=[._ ])/)) {
        if (line && line.length + piece.length > max) {
            lines.push(line.trimEnd());
            line = "";
        }
        line += piece;
    }
    lines.push(line.trimEnd());
    return lines;
}

/** A horizontal bar chart of counts by key (error class, event type), largest first. */
export function breakdownChart(
    rows: ReadonlyArray<{ key: string; count: number }>,
    label: string,
    keyLabel: (key: string) => string = (key) => key
): ChartConfiguration<"bar", number[], ChartLabel> {
    return {
        type: "bar",
        data: {
            labels: rows.map((row) => wrapLabel(keyLabel(row.key))),
            datasets: [
                { label, data: rows.map((row) => row.count), backgroundColor: COLORS.failed },
            ],
        },
        options: {
            indexAxis: "y",
            animation: false,
            maintainAspectRatio: false,
            scales: { x: { beginAtZero: true, ticks: { precision: 0 } } },
            plugins: { legend: { display: false } },
        },
    };
}
