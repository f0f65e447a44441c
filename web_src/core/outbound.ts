// Outbound events in the cockpit: the health of each subscription, the deliveries that failed,
// Retry and Replay, and one business record's trace across the integration. Schemas of what the
// server answers (construction.sync.subscription / outbox / trace) and the calls that read them.
import * as z from "zod/mini";
import { parse, type OrmCall } from "./api";
import { serverDatetime, count } from "./schemas";

/** construction.sync.subscription.get_outbound_health: one row per subscription. */
export const SubscriptionHealthSchema = z.object({
    id: z.int(),
    name: z.string(),
    system_id: z.int(),
    endpoint_url: z.string(),
    active: z.boolean(),
    disabled_at: z.nullable(serverDatetime),
    disabled_reason: z.nullable(z.string()),
    /** When its deliveries started failing in a row (null while they succeed). */
    failing_since: z.nullable(serverDatetime),
    queue_depth: count,
    oldest_queued_seconds: z.nullable(z.int()),
    /** Queued messages that failed at least once and wait for their next attempt. */
    failing: count,
    dead: count,
    failures_24h: count,
    delivered_24h: count,
});

export const OutboundHealthSchema = z.array(SubscriptionHealthSchema);

export const OutboxStateSchema = z.enum(["pending", "delivered", "dead"]);

/** One dead message, or a queued one that failed at least once. */
export const FailedDeliverySchema = z.object({
    id: z.int(),
    webhook_id: z.string(),
    subscription_id: z.int(),
    subscription: z.string(),
    event_type: z.string(),
    state: OutboxStateSchema,
    attempts: count,
    /** HTTP status of the last attempt; 0 when the receiver did not answer. */
    last_status: count,
    last_error: z.nullable(z.string()),
    created_at: serverDatetime,
    next_attempt_at: z.nullable(serverDatetime),
    res_model: z.nullable(z.string()),
    res_id: z.nullable(z.int()),
});

export const FailedDeliveriesSchema = z.object({
    total: count,
    rows: z.array(FailedDeliverySchema),
});

export const OutboxActResultSchema = z.object({ done: count });

export const TraceKindSchema = z.enum(["inbound", "audit", "outbound", "attempt"]);

/** One line of a record's trace, oldest first: an event in, a step of it, a message out, or one
 * delivery attempt of that message. An audit step without a new state has state false (Odoo's
 * empty selection); its action label is null for an action the server no longer names. */
export const TraceEntrySchema = z.object({
    at: serverDatetime,
    kind: TraceKindSchema,
    id: z.int(),
    title: z.nullable(z.string()),
    state: z.union([z.string(), z.literal(false), z.null()]),
    detail: z.string(),
    system: z.string(),
});

export const TraceSchema = z.array(TraceEntrySchema);

export type SubscriptionHealth = z.infer<typeof SubscriptionHealthSchema>;
export type FailedDelivery = z.infer<typeof FailedDeliverySchema>;
export type FailedDeliveries = z.infer<typeof FailedDeliveriesSchema>;
export type OutboxState = z.infer<typeof OutboxStateSchema>;
export type TraceEntry = z.infer<typeof TraceEntrySchema>;
export type TraceKind = z.infer<typeof TraceKindSchema>;

/** What a manager can do to a failed delivery (construction.sync.outbox.act). */
export type OutboxAction = "retry" | "replay";

export class OutboundApi {
    constructor(private readonly call: OrmCall) {}

    async health(systemId?: number | null): Promise<SubscriptionHealth[]> {
        const answer = await this.call(
            "construction.sync.subscription",
            "get_outbound_health",
            [],
            {
                system_id: systemId ?? null,
            }
        );
        return parse(OutboundHealthSchema, answer, "outbound health");
    }

    async failedDeliveries(
        query: { subscriptionId?: number | null; offset?: number; limit?: number } = {}
    ): Promise<FailedDeliveries> {
        const answer = await this.call("construction.sync.outbox", "get_failed_deliveries", [], {
            subscription_id: query.subscriptionId ?? null,
            offset: query.offset ?? 0,
            limit: query.limit ?? 50,
        });
        return parse(FailedDeliveriesSchema, answer, "failed deliveries");
    }

    /** How many messages went back to the queue. */
    async act(action: OutboxAction, messageIds: readonly number[]): Promise<number> {
        const answer = await this.call("construction.sync.outbox", "act", [
            action,
            [...messageIds],
        ]);
        return parse(OutboxActResultSchema, answer, "an outbound action result").done;
    }

    async trace(resModel: string, resId: number): Promise<TraceEntry[]> {
        const answer = await this.call("construction.sync.trace", "get_trace", [resModel, resId]);
        return parse(TraceSchema, answer, "a record trace");
    }
}

/** The actions the server accepts for a message in this state (outbox action_retry takes dead
 * or queued ones, action_replay dead or delivered ones). A queued message being sent refuses a
 * retry with a message saying so (the list cannot know: it is sent in a few milliseconds). */
export function outboxActions(state: OutboxState): OutboxAction[] {
    const allowed: Record<OutboxState, OutboxAction[]> = {
        pending: ["retry"],
        delivered: ["replay"],
        dead: ["retry", "replay"],
    };
    return allowed[state];
}

export type SubscriptionStatus = "disabled" | "dead" | "failing" | "healthy";

/** Worst first: a disabled subscription sends nothing, dead messages wait for a person, failing
 * ones still retry by themselves. An inactive subscription without a disable reason was switched
 * off on purpose and counts as disabled too. */
export function subscriptionStatus(health: SubscriptionHealth): SubscriptionStatus {
    if (!health.active || health.disabled_at) return "disabled";
    if (health.dead) return "dead";
    if (health.failing || health.failing_since) return "failing";
    return "healthy";
}

const STATUS_RANK: Record<SubscriptionStatus, number> = {
    disabled: 0,
    dead: 1,
    failing: 2,
    healthy: 3,
};

/** The subscriptions that need a person first, then by name. */
export function orderSubscriptions(rows: readonly SubscriptionHealth[]): SubscriptionHealth[] {
    return [...rows].sort(
        (a, b) =>
            STATUS_RANK[subscriptionStatus(a)] - STATUS_RANK[subscriptionStatus(b)] ||
            b.dead - a.dead ||
            b.failing - a.failing ||
            a.name.localeCompare(b.name)
    );
}

/** The subscriptions of one system (the selected inbound card), or all of them. */
export function subscriptionsOf(
    rows: readonly SubscriptionHealth[],
    systemId: number | null
): SubscriptionHealth[] {
    return systemId === null ? [...rows] : rows.filter((row) => row.system_id === systemId);
}
