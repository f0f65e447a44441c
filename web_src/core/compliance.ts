// Vendor compliance and held bills in the cockpit. Both come from optional addons
// (construction_compliance, construction_receiving): the cockpit asks the server which of their
// methods this database has (construction.sync.cockpit.get_available) and calls only those, so a
// database without them shows nothing.
import * as z from "zod/mini";
import { parse, type OrmCall } from "./api";
import { count } from "./schemas";

const SUMMARY: readonly [string, string] = [
    "construction.vendor.compliance",
    "cockpit_compliance_summary",
];
const HELD_BILLS: readonly [string, string] = ["account.move", "cockpit_held_bills"];

/** What a compliance block stops (construction_compliance ACTIONS). */
export const BlockedActionSchema = z.enum(["commitment", "bill", "payment", "receipt"]);

export const ComplianceSummarySchema = z.object({
    /** False for a cockpit user who may not read vendor compliance: the card is hidden. */
    allowed: z.boolean(),
    expiring: count,
    /** Vendors blocked now for at least one action. */
    blocking: count,
    /** The window of "expiring" (30 days). */
    days: z.int().check(z.positive()),
    by_vendor: z.array(
        z.object({
            id: z.int(),
            vendor: z.string(),
            company: z.string(),
            expiring: count,
            blocked_actions: z.array(BlockedActionSchema),
            reasons: z.string(),
        })
    ),
});

/** A bill held by the three-way match, waiting for an accountant. Odoo sends false for an empty
 * name (a draft bill has none yet), reference or project. */
export const HeldBillSchema = z.object({
    id: z.int(),
    name: z.union([z.string(), z.literal(false)]),
    ref: z.union([z.string(), z.literal(false)]),
    vendor: z.string(),
    project: z.union([z.string(), z.literal(false)]),
    state: z.enum(["draft", "posted"]),
    currency: z.string().check(z.length(3)),
    amount_untaxed: z.number(),
    /** How much more the bill asks than was ordered and received. */
    difference: z.number(),
    details: z.string(),
});

export const HeldBillsSchema = z.array(HeldBillSchema);

// construction.sync.cockpit.get_available: the [model, method] pairs this database answers.
const AvailableSchema = z.array(z.tuple([z.string(), z.string()]));

export type ComplianceSummary = z.infer<typeof ComplianceSummarySchema>;
export type VendorCompliance = ComplianceSummary["by_vendor"][number];
export type BlockedAction = z.infer<typeof BlockedActionSchema>;
export type HeldBill = z.infer<typeof HeldBillSchema>;

/** What the compliance section shows; null where its addon is not installed. */
export interface ComplianceFigures {
    /** Null also when the user may not read vendor compliance (the card is then hidden). */
    summary: ComplianceSummary | null;
    /** Largest difference first; empty when none is held or the user may not read bills. */
    bills: HeldBill[] | null;
}

export class ComplianceApi {
    constructor(private readonly call: OrmCall) {}

    async figures(): Promise<ComplianceFigures> {
        const answer = await this.call("construction.sync.cockpit", "get_available", [
            [SUMMARY, HELD_BILLS],
        ]);
        const available = parse(AvailableSchema, answer, "available calls").map(
            ([model, method]) => `${model}.${method}`
        );
        const has = (call: readonly [string, string]) => available.includes(call.join("."));
        const [summary, bills] = await Promise.all([
            has(SUMMARY) ? this.summary() : null,
            has(HELD_BILLS) ? this.heldBills() : null,
        ]);
        return { summary, bills };
    }

    private async summary(): Promise<ComplianceSummary | null> {
        const answer = await this.call(...SUMMARY);
        const summary = parse(ComplianceSummarySchema, answer, "a compliance summary");
        return summary.allowed ? summary : null;
    }

    private async heldBills(): Promise<HeldBill[]> {
        return parse(HeldBillsSchema, await this.call(...HELD_BILLS), "held bills");
    }
}

/** The bill as an accountant names it: its number, else the vendor's reference, else its id. */
export function billLabel(bill: HeldBill): string {
    return bill.name || bill.ref || `#${bill.id}`;
}
