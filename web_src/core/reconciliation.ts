// Reconciliation in the cockpit (construction.sync.reconcile.get_reconciliation): per external
// system, the last snapshot compared, the open differences by kind and by age, the differences
// found per day over 30 days, and the gaps (missing snapshots, control totals, sequences).
import * as z from "zod/mini";
import { parse, type OrmCall } from "./api";
import { count, serverDatetime } from "./schemas";

export const DIFFERENCE_MODEL = "construction.sync.difference";
// Differences still waiting for a person or for the next snapshot (reconcile OPEN).
export const OPEN_DIFFERENCE_STATES = ["open", "resend_requested"] as const;

export const DifferenceKindSchema = z.enum([
    "missing_in_odoo",
    "unknown_at_source",
    "older_in_odoo",
    "value_mismatch",
]);

export const DIFFERENCE_AGES = ["under_1_day", "1_to_7_days", "over_7_days"] as const;

export const SystemReconciliationSchema = z.object({
    system_id: z.int(),
    system: z.string(),
    /** The last snapshot compared in full; null before the first one. */
    last_run: z.nullable(
        z.object({
            id: z.int(),
            object_type: z.string(),
            snapshot_id: z.string(),
            as_of: serverDatetime,
            finished_at: serverDatetime,
            compared: count,
            differences: count,
        })
    ),
    compared_30_days: count,
    open_by_kind: z.record(DifferenceKindSchema, count),
    open_by_age: z.object({
        under_1_day: count,
        "1_to_7_days": count,
        over_7_days: count,
    }),
    /** Differences first found each day, the oldest day first. */
    trend: z.array(
        z.object({ day: z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}$/)), found: count })
    ),
    missing_snapshots: count,
    control_total_gaps: count,
    sequence_gaps: count,
});

export const ReconciliationSchema = z.array(SystemReconciliationSchema);

export type SystemReconciliation = z.infer<typeof SystemReconciliationSchema>;
export type DifferenceKind = z.infer<typeof DifferenceKindSchema>;
export type DifferenceAge = (typeof DIFFERENCE_AGES)[number];

export class ReconciliationApi {
    constructor(private readonly call: OrmCall) {}

    async overview(systemId?: number | null): Promise<SystemReconciliation[]> {
        const answer = await this.call("construction.sync.reconcile", "get_reconciliation", [], {
            system_id: systemId ?? null,
        });
        return parse(ReconciliationSchema, answer, "reconciliation figures");
    }
}

/** Open differences of one system, whatever their kind. */
export function openDifferences(row: SystemReconciliation): number {
    return Object.values(row.open_by_kind).reduce((sum, value) => sum + value, 0);
}

/** Something needs a person: open differences, a snapshot that did not come, or a gap. */
export function needsAttention(row: SystemReconciliation): boolean {
    return (
        openDifferences(row) > 0 ||
        row.missing_snapshots > 0 ||
        row.control_total_gaps > 0 ||
        row.sequence_gaps > 0
    );
}

/** The systems that need a person first, each group in the server's order (by name). */
export function orderReconciliation(rows: readonly SystemReconciliation[]): SystemReconciliation[] {
    return [...rows].sort((a, b) => Number(needsAttention(b)) - Number(needsAttention(a)));
}

/** The trend's bars as a share of the busiest day (0-100), so that one day of many differences
 * does not flatten the rest into nothing: a day with any difference is at least a sliver. */
export function trendHeights(trend: SystemReconciliation["trend"]): number[] {
    const most = Math.max(0, ...trend.map((day) => day.found));
    return trend.map((day) =>
        most === 0 || day.found === 0 ? 0 : Math.max(4, Math.round((day.found / most) * 100))
    );
}

/** The window action listing one system's open differences. */
export function openDifferencesAction(systemId: number, name: string): Record<string, unknown> {
    return {
        type: "ir.actions.act_window",
        name,
        res_model: DIFFERENCE_MODEL,
        views: [
            [false, "list"],
            [false, "form"],
        ],
        domain: [
            ["system_id", "=", systemId],
            ["state", "in", [...OPEN_DIFFERENCE_STATES]],
        ],
        target: "current",
    };
}

// --- one difference's two sides (construction.sync.difference.get_open_differences / get_sides)

export const OpenDifferencesSchema = z.object({
    /** Open differences in all, of which `rows` are the newest. */
    total: count,
    rows: z.array(
        z.object({
            id: z.int(),
            system: z.string(),
            name: z.string(),
            kind: DifferenceKindSchema,
            kind_label: z.string(),
            object_type: z.string(),
            external_id: z.string(),
            field: z.string(),
            found_at: serverDatetime,
        })
    ),
});

export const DifferenceSidesSchema = z.object({
    id: z.int(),
    name: z.string(),
    system: z.string(),
    kind: DifferenceKindSchema,
    kind_label: z.string(),
    state: z.string(),
    state_label: z.string(),
    resolution: z.string(),
    /** The latest message on the difference (e.g. "nobody was asked to resend"). */
    last_note: z.string(),
    /** The Odoo record, null when Odoo holds none (missing in Odoo). */
    record: z.nullable(z.object({ model: z.string(), id: z.int(), name: z.string() })),
    /** One row per compared value, the server's formatting; `mismatch` marks the rows that differ. */
    rows: z.array(
        z.object({
            field: z.string(),
            label: z.string(),
            source: z.string(),
            odoo: z.string(),
            mismatch: z.boolean(),
        })
    ),
    actions: z.object({
        resend: z.boolean(),
        take: z.boolean(),
        keep: z.boolean(),
        ignore: z.boolean(),
    }),
    /** Why the source's values cannot be taken, when they cannot. */
    take_blocked: z.string(),
});

export type OpenDifferences = z.infer<typeof OpenDifferencesSchema>;
export type DifferenceSides = z.infer<typeof DifferenceSidesSchema>;
export type DifferenceAction = keyof DifferenceSides["actions"];

/** The difference model's method behind each action of the side-by-side view. */
export const DIFFERENCE_METHODS: Record<DifferenceAction, string> = {
    resend: "action_request_resend",
    take: "action_take_source",
    keep: "action_keep_odoo",
    ignore: "action_ignore",
};

export class DifferenceApi {
    constructor(private readonly call: OrmCall) {}

    async open(systemId?: number | null, limit = 50): Promise<OpenDifferences> {
        const answer = await this.call(DIFFERENCE_MODEL, "get_open_differences", [], {
            system_id: systemId ?? null,
            limit,
        });
        return parse(OpenDifferencesSchema, answer, "open differences");
    }

    async sides(differenceId: number): Promise<DifferenceSides> {
        const answer = await this.call(DIFFERENCE_MODEL, "get_sides", [differenceId], {});
        return parse(DifferenceSidesSchema, answer, "both sides of a difference");
    }

    /** Runs one action; `reason` is what an ignore says (required by the server). */
    async act(differenceId: number, action: DifferenceAction, reason?: string): Promise<void> {
        const args: unknown[] =
            action === "ignore" ? [[differenceId], reason ?? ""] : [[differenceId]];
        await this.call(DIFFERENCE_MODEL, DIFFERENCE_METHODS[action], args, {});
    }
}

/** The window action opening the Odoo record of a difference. */
export function openRecordAction(record: { model: string; id: number }): Record<string, unknown> {
    return {
        type: "ir.actions.act_window",
        res_model: record.model,
        res_id: record.id,
        views: [[false, "form"]],
        target: "current",
    };
}
