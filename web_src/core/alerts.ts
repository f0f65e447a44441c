// Open alerts in the cockpit (construction.sync.alert.get_open_alerts): the conditions the alert
// rules found and that have not cleared yet; each alert's chatter is its timeline.
import * as z from "zod/mini";
import { parse, type OrmCall } from "./api";
import { serverDatetime } from "./schemas";

export const ALERT_MODEL = "construction.sync.alert";

export const OpenAlertSchema = z.object({
    id: z.int(),
    system_id: z.int(),
    system: z.string(),
    kind: z.string(),
    /** The kind as the alert rules' list names it, in the user's language. */
    kind_label: z.nullable(z.string()),
    /** What within the rule alerts ("" for one-per-system conditions). */
    key: z.string(),
    message: z.string(),
    value: z.number(),
    opened_at: serverDatetime,
    last_seen_at: z.nullable(serverDatetime),
});

export const OpenAlertsSchema = z.array(OpenAlertSchema);

export type OpenAlert = z.infer<typeof OpenAlertSchema>;

export class AlertsApi {
    constructor(private readonly call: OrmCall) {}

    /** Newest first, those of the user's companies only; of one system when given. */
    async open(systemId?: number | null): Promise<OpenAlert[]> {
        const answer = await this.call(ALERT_MODEL, "get_open_alerts", [], {
            system_id: systemId ?? null,
        });
        return parse(OpenAlertsSchema, answer, "open alerts");
    }
}

/** The window action opening one alert's form, whose chatter is its timeline. */
export function alertTimelineAction(alertId: number): Record<string, unknown> {
    return {
        type: "ir.actions.act_window",
        res_model: ALERT_MODEL,
        res_id: alertId,
        views: [[false, "form"]],
        target: "current",
    };
}
