import { describe, expect, test } from "@jest/globals";
import type { OrmCall } from "../../../web_src/core/api";
import { ComplianceApi, billLabel, type HeldBill } from "../../../web_src/core/compliance";
import { formatMoney } from "../../../web_src/core/format";

/** A database as the cockpit sees it: the calls its installed addons answer, and their answers. */
function database(answers: Record<string, unknown>): { call: OrmCall; calls: string[] } {
    const calls: string[] = [];
    const call: OrmCall = async (model, method, args) => {
        calls.push(`${model}.${method}`);
        if (model === "construction.sync.cockpit" && method === "get_available") {
            const asked = (args?.[0] ?? []) as [string, string][];
            return asked.filter(([one, other]) => `${one}.${other}` in answers);
        }
        return answers[`${model}.${method}`];
    };
    return { call, calls };
}

const summary = {
    allowed: true,
    expiring: 3,
    blocking: 1,
    days: 30,
    by_vendor: [
        {
            id: 4,
            vendor: "Acme Steel",
            company: "BuildCo",
            expiring: 1,
            blocked_actions: ["bill", "payment"],
            reasons: "General liability certificate expired on 2026-11-01",
        },
        {
            id: 5,
            vendor: "Beta Drywall",
            company: "BuildCo",
            expiring: 2,
            blocked_actions: [],
            reasons: "",
        },
    ],
};

const held: HeldBill = {
    id: 21,
    name: false,
    ref: "INV-889",
    vendor: "Acme Steel",
    project: "P-200 Riverside Clinic",
    state: "draft",
    currency: "USD",
    amount_untaxed: 12_600,
    difference: 1_050.5,
    details: "Billed 120 t at 105.00, received 110 t",
};

describe("ComplianceApi", () => {
    test("without construction_compliance and construction_receiving nothing else is called", async () => {
        const { call, calls } = database({});
        expect(await new ComplianceApi(call).figures()).toEqual({ summary: null, bills: null });
        expect(calls).toEqual(["construction.sync.cockpit.get_available"]);
    });

    test("installed: the summary and the held bills are read and parsed", async () => {
        const { call, calls } = database({
            "construction.vendor.compliance.cockpit_compliance_summary": summary,
            "account.move.cockpit_held_bills": [held],
        });
        const figures = await new ComplianceApi(call).figures();
        expect(figures.summary?.blocking).toBe(1);
        expect(figures.summary?.by_vendor[0]?.blocked_actions).toEqual(["bill", "payment"]);
        expect(figures.bills).toEqual([held]);
        expect(calls).toHaveLength(3);
    });

    test("only one of the two installed: the other stays null", async () => {
        const { call } = database({ "account.move.cockpit_held_bills": [] });
        expect(await new ComplianceApi(call).figures()).toEqual({ summary: null, bills: [] });
    });

    test("a user who may not read compliance gets no card at all", async () => {
        const { call } = database({
            "construction.vendor.compliance.cockpit_compliance_summary": {
                allowed: false,
                expiring: 0,
                blocking: 0,
                days: 30,
                by_vendor: [],
            },
        });
        expect((await new ComplianceApi(call).figures()).summary).toBeNull();
    });

    test("a held bill in a currency code that is not three letters is refused", async () => {
        const { call } = database({
            "account.move.cockpit_held_bills": [{ ...held, currency: "Dollar" }],
        });
        await expect(new ComplianceApi(call).figures()).rejects.toThrow(/held bills .*0\.currency/);
    });

    test("an unknown blocked action is refused, not shown as something it is not", async () => {
        const { call } = database({
            "construction.vendor.compliance.cockpit_compliance_summary": {
                ...summary,
                by_vendor: [{ ...summary.by_vendor[0], blocked_actions: ["invoice"] }],
            },
        });
        await expect(new ComplianceApi(call).figures()).rejects.toThrow(/blocked_actions/);
    });
});

describe("held bills as the accountant reads them", () => {
    test("a draft bill without a number goes by the vendor's reference, else by its id", () => {
        expect(billLabel(held)).toBe("INV-889");
        expect(billLabel({ ...held, name: "BILL/2026/11/0004" })).toBe("BILL/2026/11/0004");
        expect(billLabel({ ...held, ref: false })).toBe("#21");
    });

    test("the difference is written with the bill's currency", () => {
        expect(formatMoney({ value: held.difference, currency: held.currency }, "en-US")).toBe(
            "$1,050.50"
        );
    });
});
