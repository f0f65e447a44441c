// Everything that crosses the RPC boundary into the cockpit, as zod schemas; the TypeScript
// types are inferred from them, so a server answer that changes shape fails loudly here.
// zod/mini: the same validation with a tree-shakable API, so the bundle carries only what the
// cockpit uses (the classic API pulled in 600 kB).
import * as z from "zod/mini";

export const serverDatetime = z.string().check(z.regex(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/));
export const count = z.int().check(z.nonnegative());

export const SystemHealthSchema = z.object({
    id: z.int(),
    name: z.string(),
    code: z.string(),
    last_delivery_at: z.nullable(serverDatetime),
    received_24h: count,
    failed_24h: count,
    error_rate: z.number().check(z.nonnegative()),
    queue_depth: count,
    oldest_pending_seconds: z.nullable(count),
    awaiting_approval: count,
    open_failures: count,
    /** Events still stale (not applied anyway, replayed or ignored) received over the overview's stale_days. */
    stale: count,
    alert: z.boolean(),
});

export const OverviewSchema = z.object({
    systems: z.array(SystemHealthSchema),
    event_types: z.array(z.string()),
    is_manager: z.boolean(),
    /** The days over which the cards count stale events and the Stale view lists them. */
    stale_days: z.int().check(z.positive()),
});

export const EventStateSchema = z.enum([
    "pending",
    "processing",
    "awaiting_approval",
    "done",
    "failed",
    "dead",
    "stale",
    "ignored",
]);

export const ErrorClassSchema = z.enum(["transient", "data", "business", "technical"]);

/** Why a stale event is stale: the watermark (the source timestamp of the last update applied
 * about its object) it was older than, recorded when it went stale, and the event that had set
 * it (its id and webhook id are null once that event was purged). */
export const StaleReasonSchema = z.object({
    watermark: serverDatetime,
    event_id: z.nullable(z.int()),
    webhook_id: z.nullable(z.string()),
    received_at: z.nullable(serverDatetime),
});

/** An amount as the server rounded it, with its currency's ISO code (core/format formatMoney). */
export const MoneySchema = z.object({ value: z.number(), currency: z.string().check(z.length(3)) });

export const ExceptionRowSchema = z.object({
    id: z.int(),
    system: z.string(),
    event_type: z.string(),
    webhook_id: z.string(),
    object_key: z.string(),
    /** "Change Order PCO-014 Add fire sprinkler zone": the model's and the record's names. */
    object_label: z.string(),
    /** The sending platform's id of the object (the second half of object_key). */
    external_id: z.string(),
    state: EventStateSchema,
    /** The state and error class as Odoo's own lists name them, in the user's language. */
    state_label: z.string(),
    error_class: z.nullable(ErrorClassSchema),
    error_class_label: z.nullable(z.string()),
    error_message: z.string(),
    received_at: serverDatetime,
    attempts: count,
    assignee: z.nullable(z.string()),
    approval: z.boolean(),
    /** Awaiting approval, and this user holds the right its handler names to accept or reject it. */
    can_decide: z.boolean(),
    /** What an approval item is about in money (a change order's total), when its event says. */
    amount: z.nullable(MoneySchema),
    /** Only for stale events whose watermark was recorded. */
    stale: z.nullable(StaleReasonSchema),
});

export const ExceptionPageSchema = z.object({
    total: count,
    rows: z.array(ExceptionRowSchema),
});

export const ActionResultSchema = z.array(
    z.object({ id: z.int(), state: EventStateSchema, error_message: z.string() })
);

export const AuditEntrySchema = z.object({
    at: serverDatetime,
    user: z.string(),
    action: z.string(),
    from_state: z.nullable(EventStateSchema),
    to_state: z.nullable(EventStateSchema),
    message: z.string(),
});

// The detail panel gets the list row plus what only one event at a time needs.
export const EventDetailSchema = z.extend(ExceptionRowSchema, {
    approval_summary: z.string(),
    traceback: z.nullable(z.string()),
    payload: z.string(),
    waiting_for: z.nullable(z.object({ model: z.string(), external_id: z.string() })),
    /** A stale event's object: its watermark now, and what Reset Watermark sets it back to
     * (null: cleared, the next update applies whatever its date). */
    watermark: z.nullable(
        z.object({
            mapping_id: z.int(),
            at: z.nullable(serverDatetime),
            webhook_id: z.nullable(z.string()),
            reset_to: z.nullable(serverDatetime),
            reset_to_webhook_id: z.nullable(z.string()),
        })
    ),
    record: z.nullable(
        z.object({
            model: z.string(),
            id: z.int(),
            name: z.string(),
            /** The platform's number of the record (SC-3105 beside the purchase order P00013). */
            external_id: z.nullable(z.string()),
        })
    ),
    audit: z.array(AuditEntrySchema),
});

export const TrendsSchema = z.object({
    days: z.union([z.literal(7), z.literal(30)]),
    since: serverDatetime,
    until: serverDatetime,
    by_hour: z.array(z.object({ hour: serverDatetime, state: EventStateSchema, count })),
    by_error_class: z.array(z.object({ key: z.string(), count })),
    by_event_type: z.array(z.object({ key: z.string(), count })),
});

/** What became of events acted on: counts by state, those still on their way, and the
 * commonest reasons of those still failing. */
export const OutcomeSchema = z.object({
    total: count,
    states: z.partialRecord(EventStateSchema, count),
    running: count,
    reasons: z.array(
        z.object({
            error_class: z.nullable(ErrorClassSchema),
            error_class_label: z.nullable(z.string()),
            message: z.string(),
            count,
        })
    ),
});

export const ExceptionIdsSchema = z.array(z.int());

export const ReplayResultSchema = z.object({ replayed: count });

// What the server broadcasts on the bus when events change state (construction_sync/changed).
export const ChangedNotificationSchema = z.object({ system_ids: z.array(z.int()) });

export type SystemHealth = z.infer<typeof SystemHealthSchema>;
export type Overview = z.infer<typeof OverviewSchema>;
export type ExceptionRow = z.infer<typeof ExceptionRowSchema>;
export type ExceptionPage = z.infer<typeof ExceptionPageSchema>;
export type ActionResult = z.infer<typeof ActionResultSchema>;
export type EventDetail = z.infer<typeof EventDetailSchema>;
export type ErrorClass = z.infer<typeof ErrorClassSchema>;
export type EventState = z.infer<typeof EventStateSchema>;
export type StaleReason = z.infer<typeof StaleReasonSchema>;
export type Trends = z.infer<typeof TrendsSchema>;
export type ReplayResult = z.infer<typeof ReplayResultSchema>;
export type Money = z.infer<typeof MoneySchema>;
export type Outcome = z.infer<typeof OutcomeSchema>;
