import { describe, expect, test } from "@jest/globals";
import type { OrmCall } from "../../../web_src/core/api";
import {
    DifferenceApi,
    ReconciliationApi,
    needsAttention,
    openDifferences,
    openDifferencesAction,
    openRecordAction,
    orderReconciliation,
    trendHeights,
    type DifferenceSides,
    type SystemReconciliation,
} from "../../../web_src/core/reconciliation";

// As construction.sync.reconcile.get_reconciliation answers for one system.
const quiet: SystemReconciliation = {
    system_id: 1,
    system: "Field Platform",
    last_run: {
        id: 4,
        object_type: "project",
        snapshot_id: "snap-2026-11-30",
        as_of: "2026-11-30 06:00:00",
        finished_at: "2026-11-30 06:02:10",
        compared: 120,
        differences: 0,
    },
    compared_30_days: 3_600,
    open_by_kind: {
        missing_in_odoo: 0,
        unknown_at_source: 0,
        older_in_odoo: 0,
        value_mismatch: 0,
    },
    open_by_age: { under_1_day: 0, "1_to_7_days": 0, over_7_days: 0 },
    trend: [
        { day: "2026-11-28", found: 0 },
        { day: "2026-11-29", found: 0 },
        { day: "2026-11-30", found: 0 },
    ],
    missing_snapshots: 0,
    control_total_gaps: 0,
    sequence_gaps: 0,
};

describe("ReconciliationApi", () => {
    test("asks for one system's figures and parses a system never reconciled", async () => {
        const calls: unknown[][] = [];
        const call: OrmCall = async (model, method, args, kwargs) => {
            calls.push([model, method, args, kwargs]);
            return [{ ...quiet, last_run: null }];
        };
        const rows = await new ReconciliationApi(call).overview(1);
        expect(rows[0]?.last_run).toBeNull();
        expect(calls).toEqual([
            ["construction.sync.reconcile", "get_reconciliation", [], { system_id: 1 }],
        ]);
    });

    test("a kind of difference the cockpit does not know is refused", async () => {
        const call: OrmCall = async () => [
            { ...quiet, open_by_kind: { ...quiet.open_by_kind, duplicated: 2 } },
        ];
        await expect(new ReconciliationApi(call).overview()).rejects.toThrow(
            /reconciliation figures/
        );
    });

    test("a kind left out is refused too: every kind is counted, zero included", async () => {
        const three: Record<string, number> = { ...quiet.open_by_kind };
        delete three["value_mismatch"];
        const call: OrmCall = async () => [{ ...quiet, open_by_kind: three }];
        await expect(new ReconciliationApi(call).overview()).rejects.toThrow(/value_mismatch/);
    });
});

describe("reconciliation figures", () => {
    test("open differences add up over the kinds", () => {
        const row = {
            ...quiet,
            open_by_kind: {
                missing_in_odoo: 2,
                unknown_at_source: 1,
                older_in_odoo: 0,
                value_mismatch: 4,
            },
        };
        expect(openDifferences(row)).toBe(7);
        expect(needsAttention(row)).toBe(true);
    });

    test("a system needs attention for differences, a missing snapshot or a gap, not otherwise", () => {
        expect(needsAttention(quiet)).toBe(false);
        expect(needsAttention({ ...quiet, missing_snapshots: 1 })).toBe(true);
        expect(needsAttention({ ...quiet, control_total_gaps: 1 })).toBe(true);
        expect(needsAttention({ ...quiet, sequence_gaps: 1 })).toBe(true);
    });

    test("systems needing a person come first, the others keep the server's order", () => {
        const rows = [
            { ...quiet, system_id: 1, system: "Alpha" },
            { ...quiet, system_id: 2, system: "Bravo", sequence_gaps: 1 },
            { ...quiet, system_id: 3, system: "Charlie" },
            { ...quiet, system_id: 4, system: "Delta", missing_snapshots: 2 },
        ];
        expect(orderReconciliation(rows).map((row) => row.system_id)).toEqual([2, 4, 1, 3]);
    });

    test("the trend's bars are a share of the busiest day; one difference still shows", () => {
        expect(
            trendHeights([
                { day: "2026-11-28", found: 0 },
                { day: "2026-11-29", found: 1 },
                { day: "2026-11-30", found: 40 },
                { day: "2026-12-01", found: 10 },
            ])
        ).toEqual([0, 4, 100, 25]);
        expect(trendHeights(quiet.trend)).toEqual([0, 0, 0]);
    });

    test("the differences link lists one system's open and resend-requested differences", () => {
        expect(openDifferencesAction(1, "Open differences: Field Platform")).toEqual({
            type: "ir.actions.act_window",
            name: "Open differences: Field Platform",
            res_model: "construction.sync.difference",
            views: [
                [false, "list"],
                [false, "form"],
            ],
            domain: [
                ["system_id", "=", 1],
                ["state", "in", ["open", "resend_requested"]],
            ],
            target: "current",
        });
    });
});

// As construction.sync.difference.get_sides answers for a value mismatch of a project.
const sides: DifferenceSides = {
    id: 7,
    name: "project P-100: Value Mismatch (contract_value)",
    system: "Field Platform",
    kind: "value_mismatch",
    kind_label: "Value Mismatch",
    state: "open",
    state_label: "Open",
    resolution: "",
    last_note: "",
    record: { model: "project.project", id: 12, name: "Riverside MOB" },
    rows: [
        {
            field: "version",
            label: "Version (UTC)",
            source: "2026-11-20 10:00:00",
            odoo: "2026-11-20 10:00:00",
            mismatch: false,
        },
        {
            field: "contract_value",
            label: "contract_value",
            source: "4 900 000.00",
            odoo: "4 850 000.00",
            mismatch: true,
        },
    ],
    actions: { resend: true, take: true, keep: true, ignore: true },
    take_blocked: "",
};

describe("DifferenceApi", () => {
    test("reads both sides of one difference", async () => {
        const calls: unknown[][] = [];
        const call: OrmCall = async (model, method, args, kwargs) => {
            calls.push([model, method, args, kwargs]);
            return sides;
        };
        const answer = await new DifferenceApi(call).sides(7);
        expect(answer.rows.filter((row) => row.mismatch).map((row) => row.field)).toEqual([
            "contract_value",
        ]);
        expect(calls).toEqual([["construction.sync.difference", "get_sides", [7], {}]]);
    });

    test("a difference of another shape is refused, never rendered", async () => {
        const call: OrmCall = async () => ({ ...sides, rows: [{ field: "x" }] });
        await expect(new DifferenceApi(call).sides(7)).rejects.toThrow(/both sides/);
    });

    test("each action calls its method; an ignore sends its reason", async () => {
        const calls: unknown[][] = [];
        const call: OrmCall = async (model, method, args) => {
            calls.push([method, args]);
            return true;
        };
        const api = new DifferenceApi(call);
        await api.act(7, "take");
        await api.act(7, "resend");
        await api.act(7, "keep");
        await api.act(7, "ignore", "Closed at the source");
        expect(calls).toEqual([
            ["action_take_source", [[7]]],
            ["action_request_resend", [[7]]],
            ["action_keep_odoo", [[7]]],
            ["action_ignore", [[7], "Closed at the source"]],
        ]);
    });

    test("lists the open differences of one system and opens a record's form", async () => {
        const calls: unknown[][] = [];
        const call: OrmCall = async (model, method, args, kwargs) => {
            calls.push([method, kwargs]);
            return { total: 0, rows: [] };
        };
        expect(await new DifferenceApi(call).open(3)).toEqual({ total: 0, rows: [] });
        expect(calls).toEqual([["get_open_differences", { system_id: 3, limit: 50 }]]);
        expect(openRecordAction({ model: "project.project", id: 12 })).toEqual({
            type: "ir.actions.act_window",
            res_model: "project.project",
            res_id: 12,
            views: [[false, "form"]],
            target: "current",
        });
    });
});
