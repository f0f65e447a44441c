import { describe, expect, test } from "@jest/globals";
import { breakdownChart, hourLabel, hourlyChart, hourlySeries } from "../../../web_src/core/trends";
import type { EventState, Trends } from "../../../web_src/core/schemas";

const trends: Trends = {
    days: 7,
    since: "2026-11-23 05:00:00",
    until: "2026-11-23 08:00:00",
    by_hour: [
        { hour: "2026-11-23 08:00:00", state: "done", count: 4 },
        { hour: "2026-11-23 05:00:00", state: "failed", count: 2 },
        { hour: "2026-11-23 05:00:00", state: "done", count: 7 },
        // Outside the window (a rollup row racing the clock): ignored, not misplaced.
        { hour: "2026-11-22 05:00:00", state: "done", count: 99 },
    ],
    by_error_class: [{ key: "data", count: 2 }],
    by_event_type: [{ key: "project.upserted", count: 2 }],
};

const labels = Object.fromEntries(
    [
        "done",
        "failed",
        "dead",
        "stale",
        "ignored",
        "pending",
        "processing",
        "awaiting_approval",
    ].map((state) => [state, state.toUpperCase()])
) as Record<EventState, string>;

describe("hourlySeries", () => {
    test("fills every hour of the window and orders states from fine to failing", () => {
        expect(hourlySeries(trends)).toEqual({
            hours: [
                "2026-11-23 05:00:00",
                "2026-11-23 06:00:00",
                "2026-11-23 07:00:00",
                "2026-11-23 08:00:00",
            ],
            series: [
                { state: "done", counts: [7, 0, 0, 4] },
                { state: "failed", counts: [2, 0, 0, 0] },
            ],
        });
    });

    test("a 30-day window has 720 hours", () => {
        const month = { ...trends, days: 30 as const, since: "2026-10-24 09:00:00" };
        expect(hourlySeries(month).hours).toHaveLength(720);
    });

    test("an empty window still has its hours and no series", () => {
        const empty = { ...trends, by_hour: [] };
        expect(hourlySeries(empty).series).toEqual([]);
        expect(hourlySeries(empty).hours).toHaveLength(4);
    });
});

describe("chart configurations", () => {
    test("hours are labelled in the reader's zone and stacked by state", () => {
        expect(hourLabel("2026-11-23 08:00:00", "Europe/Berlin")).toBe("Mon 23 09:00");
        const config = hourlyChart(trends, "UTC", labels);
        expect(config.data.labels).toEqual([
            "Mon 23 05:00",
            "Mon 23 06:00",
            "Mon 23 07:00",
            "Mon 23 08:00",
        ]);
        expect(config.data.datasets.map((set) => [set.label, set.data, set.stack])).toEqual([
            ["DONE", [7, 0, 0, 4], "events"],
            ["FAILED", [2, 0, 0, 0], "events"],
        ]);
    });

    test("breakdowns keep the server's order and translate keys", () => {
        const config = breakdownChart(
            [
                { key: "data", count: 5 },
                { key: "technical", count: 1 },
            ],
            "Exceptions",
            (key) => `<${key}>`
        );
        expect(config.data.labels).toEqual(["<data>", "<technical>"]);
        expect(config.data.datasets[0]?.data).toEqual([5, 1]);
        expect(config.options?.indexAxis).toBe("y");
    });
});
