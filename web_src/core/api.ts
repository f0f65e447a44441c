import type * as z from "zod/mini";
import {
    ActionResultSchema,
    ExceptionIdsSchema,
    ReplayResultSchema,
    TrendsSchema,
    EventDetailSchema,
    ExceptionPageSchema,
    OutcomeSchema,
    OverviewSchema,
    type ActionResult,
    type ErrorClass,
    type EventDetail,
    type ExceptionPage,
    type Outcome,
    type Overview,
    type ReplayResult,
    type Trends,
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

/** A server answer checked against its schema; the panels beside the inbound list use it too. */
export function parse<T>(schema: z.ZodMiniType<T>, value: unknown, what: string): T {
    const result = schema.safeParse(value);
    if (!result.success) {
        throw new CockpitDataError(what, result.error.issues);
    }
    return result.data;
}

/** The filters of the exceptions list, without its paging. */
export type ExceptionFilters = Omit<ExceptionQuery, "offset" | "limit" | "order">;

export interface ReplayRange {
    systemId: number;
    /** Naive UTC datetimes as Odoo stores them ("2026-11-23 08:00:00"). */
    dateFrom: string;
    dateTo: string;
    eventType?: string | null;
    reason?: string;
    includeDone?: boolean;
}

/** The list's views: everything waiting for a person, the approval items among them, or the
 * stale events of the overview's stale_days. */
export type ListView = "exceptions" | "approvals" | "stale";

export interface ExceptionQuery {
    view?: ListView;
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
export type CockpitAction =
    | "retry"
    | "note"
    | "assign_me"
    | "ignore"
    | "accept"
    | "reject"
    | "apply_anyway"
    | "reset_watermark";

const MODEL = "construction.sync.cockpit";

export class CockpitApi {
    constructor(private readonly call: OrmCall) {}

    async overview(): Promise<Overview> {
        return parse(OverviewSchema, await this.call(MODEL, "get_overview"), "a system overview");
    }

    async exceptions(query: ExceptionQuery): Promise<ExceptionPage> {
        const answer = await this.call(MODEL, "get_exceptions", [], {
            ...filterKwargs(query),
            order: query.order ?? "received_desc",
            offset: query.offset,
            limit: query.limit,
        });
        return parse(ExceptionPageSchema, answer, "an exceptions page");
    }

    /** Every event the filters match (for "select all N matching"), oldest first. */
    async exceptionIds(filters: ExceptionFilters): Promise<number[]> {
        const answer = await this.call(MODEL, "get_exception_ids", [], filterKwargs(filters));
        return parse(ExceptionIdsSchema, answer, "event ids");
    }

    async trends(days: 7 | 30, systemId?: number | null): Promise<Trends> {
        const answer = await this.call(MODEL, "get_trends", [days], {
            system_id: systemId ?? null,
        });
        return parse(TrendsSchema, answer, "trends");
    }

    async replayRange(range: ReplayRange): Promise<ReplayResult> {
        const answer = await this.call(MODEL, "replay_range", [], {
            system_id: range.systemId,
            date_from: range.dateFrom,
            date_to: range.dateTo,
            event_type: range.eventType || null,
            reason: range.reason || null,
            include_done: range.includeDone ?? false,
        });
        return parse(ReplayResultSchema, answer, "a replay result");
    }

    /** What became of events acted on; asked again while some are still on their way. */
    async outcome(eventIds: readonly number[]): Promise<Outcome> {
        const answer = await this.call(MODEL, "get_outcome", [[...eventIds]]);
        return parse(OutcomeSchema, answer, "an outcome");
    }

    async event(eventId: number): Promise<EventDetail> {
        return parse(EventDetailSchema, await this.call(MODEL, "get_event", [eventId]), "an event");
    }

    /** With skipIneligible (bulk chunks) the server leaves out events that left the action's
     * states since their ids were read, and answers only for the others. */
    async act(
        action: CockpitAction,
        eventIds: number[],
        text?: string,
        skipIneligible = false
    ): Promise<ActionResult> {
        const args = [action, eventIds, text ?? null];
        const answer = skipIneligible
            ? await this.call(MODEL, "act", args, { skip_ineligible: true })
            : await this.call(MODEL, "act", args);
        return parse(ActionResultSchema, answer, "action results");
    }
}

const VIEW_STATES: Record<ListView, string | null> = {
    exceptions: null,
    approvals: "awaiting_approval",
    stale: "stale",
};

function filterKwargs(filters: ExceptionFilters): Record<string, unknown> {
    return {
        state: VIEW_STATES[filters.view ?? "exceptions"],
        system_id: filters.systemId ?? null,
        error_class: filters.errorClass ?? null,
        assignee: filters.assignee ?? null,
        event_type: filters.eventType ?? null,
        older_than_hours: filters.olderThanHours ?? null,
        search: filters.search || null,
    };
}
