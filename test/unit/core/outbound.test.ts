import { describe, expect, test } from "@jest/globals";
import { CockpitDataError, type OrmCall } from "../../../web_src/core/api";
import {
    OutboundApi,
    orderSubscriptions,
    outboxActions,
    subscriptionStatus,
    subscriptionsOf,
    type SubscriptionHealth,
} from "../../../web_src/core/outbound";

function answering(answers: Record<string, unknown>): { call: OrmCall; calls: unknown[][] } {
    const calls: unknown[][] = [];
    const call: OrmCall = async (model, method, args, kwargs) => {
        calls.push([model, method, args, kwargs]);
        return answers[`${model}.${method}`];
    };
    return { call, calls };
}

// As construction.sync.subscription.get_outbound_health answers for one healthy subscription.
const healthy: SubscriptionHealth = {
    id: 3,
    name: "ERP ledger",
    system_id: 1,
    endpoint_url: "https://erp.example.com/hooks",
    active: true,
    disabled_at: null,
    disabled_reason: null,
    failing_since: null,
    queue_depth: 0,
    oldest_queued_seconds: null,
    failing: 0,
    dead: 0,
    failures_24h: 0,
    delivered_24h: 42,
};

const deadMessage = {
    id: 11,
    webhook_id: "msg_out_11",
    subscription_id: 3,
    subscription: "ERP ledger",
    event_type: "vendor_bill.posted",
    state: "dead",
    attempts: 8,
    last_status: 500,
    last_error: "Internal Server Error",
    created_at: "2026-11-29 07:00:00",
    next_attempt_at: null,
    res_model: "account.move",
    res_id: 7,
};

describe("OutboundApi", () => {
    test("asks for the health of one system's subscriptions and parses it", async () => {
        const { call, calls } = answering({
            "construction.sync.subscription.get_outbound_health": [
                { ...healthy, queue_depth: 4, oldest_queued_seconds: 310 },
            ],
        });
        const rows = await new OutboundApi(call).health(1);
        expect(rows[0]?.oldest_queued_seconds).toBe(310);
        expect(calls).toEqual([
            ["construction.sync.subscription", "get_outbound_health", [], { system_id: 1 }],
        ]);
    });

    test("a health row without its dead count is refused, naming the field", async () => {
        const broken: Record<string, unknown> = { ...healthy };
        delete broken["dead"];
        const api = new OutboundApi(
            answering({ "construction.sync.subscription.get_outbound_health": [broken] }).call
        );
        await expect(api.health()).rejects.toBeInstanceOf(CockpitDataError);
        await expect(api.health()).rejects.toThrow(/outbound health .*0\.dead/);
    });

    test("failed deliveries: paging and subscription go to the server; a dead message parses", async () => {
        const { call, calls } = answering({
            "construction.sync.outbox.get_failed_deliveries": { total: 51, rows: [deadMessage] },
        });
        const page = await new OutboundApi(call).failedDeliveries({
            subscriptionId: 3,
            offset: 50,
        });
        expect(page.total).toBe(51);
        expect(page.rows[0]?.res_model).toBe("account.move");
        expect(calls[0]).toEqual([
            "construction.sync.outbox",
            "get_failed_deliveries",
            [],
            { subscription_id: 3, offset: 50, limit: 50 },
        ]);
    });

    test("a delivered or unknown outbox state is parsed only when the server knows it", async () => {
        const api = new OutboundApi(
            answering({
                "construction.sync.outbox.get_failed_deliveries": {
                    total: 1,
                    rows: [{ ...deadMessage, state: "bounced" }],
                },
            }).call
        );
        await expect(api.failedDeliveries()).rejects.toThrow(/rows\.0\.state/);
    });

    test("retry and replay send the action and the ids, and answer how many were queued", async () => {
        const { call, calls } = answering({ "construction.sync.outbox.act": { done: 2 } });
        expect(await new OutboundApi(call).act("replay", [11, 12])).toBe(2);
        expect(calls[0]).toEqual([
            "construction.sync.outbox",
            "act",
            ["replay", [11, 12]],
            undefined,
        ]);
    });

    test("a trace keeps the server's order; an audit step without a new state parses", async () => {
        const trace = [
            {
                at: "2026-11-29 07:00:00",
                kind: "inbound",
                id: 5,
                title: "vendor_bill.received",
                state: "done",
                detail: "msg_in_5",
                system: "FieldLink",
            },
            {
                at: "2026-11-29 07:00:01",
                kind: "audit",
                id: 9,
                title: "Note",
                state: false,
                detail: "checked by Ann",
                system: "FieldLink",
            },
            {
                at: "2026-11-29 07:00:02",
                kind: "attempt",
                id: 2,
                title: "vendor_bill.posted",
                state: "failed",
                detail: "HTTP 500, 120 ms",
                system: "ERP ledger",
            },
        ];
        const { call, calls } = answering({ "construction.sync.trace.get_trace": trace });
        const entries = await new OutboundApi(call).trace("account.move", 7);
        expect(entries.map((entry) => entry.kind)).toEqual(["inbound", "audit", "attempt"]);
        expect(calls[0]).toEqual([
            "construction.sync.trace",
            "get_trace",
            ["account.move", 7],
            undefined,
        ]);
        const wrongKind = new OutboundApi(
            answering({
                "construction.sync.trace.get_trace": [{ ...trace[0], kind: "webhook" }],
            }).call
        );
        await expect(wrongKind.trace("account.move", 7)).rejects.toThrow(/record trace.*0\.kind/);
    });
});

describe("outbound rules", () => {
    test("Retry for dead and queued messages, Replay for dead and delivered ones", () => {
        expect(outboxActions("dead")).toEqual(["retry", "replay"]);
        expect(outboxActions("pending")).toEqual(["retry"]);
        expect(outboxActions("delivered")).toEqual(["replay"]);
    });

    test("a subscription's status: disabled, then dead messages, then failing", () => {
        expect(subscriptionStatus(healthy)).toBe("healthy");
        expect(subscriptionStatus({ ...healthy, failing: 2 })).toBe("failing");
        expect(subscriptionStatus({ ...healthy, failing_since: "2026-11-29 06:00:00" })).toBe(
            "failing"
        );
        expect(subscriptionStatus({ ...healthy, failing: 2, dead: 1 })).toBe("dead");
        expect(
            subscriptionStatus({
                ...healthy,
                dead: 1,
                active: false,
                disabled_at: "2026-11-29 06:00:00",
                disabled_reason: "410 Gone",
            })
        ).toBe("disabled");
        expect(subscriptionStatus({ ...healthy, active: false })).toBe("disabled");
    });

    test("the subscriptions needing a person come first, then by name", () => {
        const rows = [
            { ...healthy, id: 1, name: "Zeta" },
            { ...healthy, id: 2, name: "Alpha" },
            { ...healthy, id: 3, name: "Mid", failing: 1 },
            { ...healthy, id: 4, name: "Dead two", dead: 2 },
            { ...healthy, id: 5, name: "Dead five", dead: 5 },
            { ...healthy, id: 6, name: "Off", active: false },
        ];
        expect(orderSubscriptions(rows).map((row) => row.id)).toEqual([6, 5, 4, 3, 2, 1]);
    });

    test("the subscriptions of the selected system only, or all of them", () => {
        const rows = [
            { ...healthy, id: 1, system_id: 1 },
            { ...healthy, id: 2, system_id: 2 },
        ];
        expect(subscriptionsOf(rows, 2).map((row) => row.id)).toEqual([2]);
        expect(subscriptionsOf(rows, null).map((row) => row.id)).toEqual([1, 2]);
    });
});
