import { describe, expect, test } from "@jest/globals";
import { CockpitApi, type OrmCall } from "../../../web_src/core/api";
import { describeOutcome, formatMoney, shorten } from "../../../web_src/core/format";
import type { Outcome, SystemHealth } from "../../../web_src/core/schemas";
import { filterSystems, orderSystems, unhealthyCount } from "../../../web_src/core/systems";
import { wrapLabel } from "../../../web_src/core/trends";
import { english } from "../words";

// Issue 14: a bulk action followed to its end, money with its currency, many systems.

const closedProject: Outcome = {
    total: 601,
    states: { failed: 601 },
    running: 0,
    reasons: [
        {
            error_class: "business",
            error_class_label: "Business",
            message: "Change order PCO-3 on a closed project.\nClose date 2026-11-01",
            count: 601,
        },
    ],
};

describe("describeOutcome", () => {
    test("names the applied and still failing split and the reason, even at zero applied", () => {
        expect(describeOutcome(closedProject, "retried", english)).toBe(
            "601 retried: 0 applied, 601 still failing (Business: Change order PCO-3 on a closed project.)"
        );
    });

    test("a mixed end counts each part; no reason when nothing fails", () => {
        const mixed: Outcome = {
            total: 5,
            states: { done: 3, dead: 1, ignored: 1 },
            running: 0,
            reasons: [{ error_class: null, error_class_label: null, message: "Boom", count: 1 }],
        };
        expect(describeOutcome(mixed, "retried", english)).toBe(
            "5 retried: 3 applied, 1 still failing, 1 closed (Boom)"
        );
        const allDone: Outcome = { total: 2, states: { done: 2 }, running: 0, reasons: [] };
        expect(describeOutcome(allDone, "accepted", english)).toBe(
            "2 accepted: 2 applied, 0 still failing"
        );
    });

    test("a long reason is cut to its first line and 120 characters", () => {
        expect(shorten("x".repeat(200))).toHaveLength(120);
        expect(shorten("first\nsecond")).toBe("first");
    });
});

describe("the outcome call", () => {
    test("sends the ids and refuses an unknown state", async () => {
        const calls: unknown[][] = [];
        const answer =
            (value: unknown): OrmCall =>
            async (model, method, args) => {
                calls.push([model, method, args]);
                return value;
            };
        const outcome = await new CockpitApi(answer(closedProject)).outcome([4, 5]);
        expect(outcome.states.failed).toBe(601);
        expect(calls[0]).toEqual(["construction.sync.cockpit", "get_outcome", [[4, 5]]]);
        const broken = { ...closedProject, states: { exploded: 1 } };
        await expect(new CockpitApi(answer(broken)).outcome([4])).rejects.toThrow(/an outcome/);
    });
});

describe("formatMoney", () => {
    test("writes the currency the server named, in the reader's locale", () => {
        expect(formatMoney({ value: 51370.5, currency: "USD" }, "en-US")).toBe("$51,370.50");
        expect(formatMoney({ value: 51370.5, currency: "EUR" }, "de-DE")).toBe("51.370,50\u00a0€");
        expect(formatMoney({ value: -4900, currency: "USD" }, "en-US")).toBe("-$4,900.00");
    });
});

describe("chart labels", () => {
    test("a long event type wraps after its dot or underscore instead of being clipped", () => {
        expect(wrapLabel("project.upserted")).toBe("project.upserted");
        expect(wrapLabel("subcontractor_invoice.received")).toEqual([
            "subcontractor_",
            "invoice.received",
        ]);
        expect(wrapLabel("progress_billing.certified")).toEqual(["progress_billing.", "certified"]);
    });
});

function system(id: number, name: string, alert: boolean, openFailures = 0): SystemHealth {
    return {
        id,
        name,
        code: name.toLowerCase(),
        last_delivery_at: null,
        received_24h: 0,
        failed_24h: 0,
        error_rate: 0,
        queue_depth: 0,
        oldest_pending_seconds: null,
        awaiting_approval: 0,
        open_failures: openFailures,
        stale: 0,
        alert,
    };
}

describe("many systems", () => {
    const systems = [
        system(1, "Alpha", false),
        system(2, "Bravo", true, 2),
        system(3, "Charlie", false, 4),
        system(4, "Delta", true, 9),
    ];

    test("unhealthy first (most open failures first), then open failures, then by name", () => {
        expect(orderSystems(systems).map((s) => s.name)).toEqual([
            "Delta",
            "Bravo",
            "Charlie",
            "Alpha",
        ]);
        expect(unhealthyCount(systems)).toBe(2);
    });

    test("the filter keeps a name or code part, and the unhealthy only when asked", () => {
        expect(
            filterSystems(systems, { text: "LT", unhealthyOnly: false }).map((s) => s.id)
        ).toEqual([4]);
        expect(filterSystems(systems, { text: "", unhealthyOnly: true }).map((s) => s.id)).toEqual([
            2, 4,
        ]);
        expect(filterSystems(systems, { text: "ar", unhealthyOnly: true })).toEqual([]);
    });
});
