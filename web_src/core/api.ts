import type * as z from "zod/mini";
import {
    ActionResultSchema,
    EventDetailSchema,
    ExceptionPageSchema,
    OverviewSchema,
    type ActionResult,
    type ErrorClass,
    type EventDetail,
    type ExceptionPage,
    type Overview,
} from "./schemas";

/** Odoo's orm.call, reduced to what the cockpit needs; tests pass a real-shaped stand-in. */
export type OrmCall = (
    model: string,
    method: string,
    args?: unknown[],
    kwargs?: Record<string, unknown>
) => Promise<unknown>;

/** A server answer that does not have the agreed shape: shown to the user, never rendered. */
export class CockpitDataError extends Error {
    constructor(what: string, issues: z.core.$ZodIssue[]) {
        const first = issues
            .slice(0, 3)
            .map((issue) => `${issue.path.join(".") || "(root)"}: ${issue.message}`)
            .join("; ");
        super(`The server sent ${what} the cockpit cannot read (${first}).`);
        this.name = "CockpitDataError";
    }
}

function parse<T>(schema: z.ZodMiniType<T>, value: unknown, what: string): T {
    const result = schema.safeParse(value);
    if (!result.success) {
        throw new CockpitDataError(what, result.error.issues);
    }
    return result.data;
}

export interface ExceptionQuery {
    systemId?: number | null;
    errorClass?: ErrorClass | null;
    assignee?: "me" | "nobody" | null;
    eventType?: string | null;
    olderThanHours?: number | null;
    order?: ExceptionOrder;
    search?: string;
    offset: number;
    limit: number;
}

/** Sort orders the server knows (construction.sync.cockpit ORDERS). */
export type ExceptionOrder = "received_desc" | "received_asc" | "type";

/** What the cockpit can do to events; the server checks the same rights as the native views. */
export type CockpitAction = "retry" | "note" | "assign_me" | "ignore" | "accept" | "reject";

const MODEL = "construction.sync.cockpit";

export class CockpitApi {
    constructor(private readonly call: OrmCall) {}

    async overview(): Promise<Overview> {
        return parse(OverviewSchema, await this.call(MODEL, "get_overview"), "a system overview");
    }

    async exceptions(query: ExceptionQuery): Promise<ExceptionPage> {
        const answer = await this.call(MODEL, "get_exceptions", [], {
            system_id: query.systemId ?? null,
            error_class: query.errorClass ?? null,
            assignee: query.assignee ?? null,
            event_type: query.eventType ?? null,
            older_than_hours: query.olderThanHours ?? null,
            order: query.order ?? "received_desc",
            search: query.search || null,
            offset: query.offset,
            limit: query.limit,
        });
        return parse(ExceptionPageSchema, answer, "an exceptions page");
    }

    async event(eventId: number): Promise<EventDetail> {
        return parse(EventDetailSchema, await this.call(MODEL, "get_event", [eventId]), "an event");
    }

    async act(action: CockpitAction, eventIds: number[], text?: string): Promise<ActionResult> {
        const answer = await this.call(MODEL, "act", [action, eventIds, text ?? null]);
        return parse(ActionResultSchema, answer, "action results");
    }
}
