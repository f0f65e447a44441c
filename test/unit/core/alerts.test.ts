import { describe, expect, test } from "@jest/globals";
import type { OrmCall } from "../../../web_src/core/api";
import { AlertsApi, alertTimelineAction } from "../../../web_src/core/alerts";

const alert = {
    id: 8,
    system_id: 1,
    system: "Field Platform",
    kind: "queue_age",
    kind_label: "Queue age",
    key: "",
    message: "The oldest queued event waits for 40 minutes (threshold 30).",
    value: 40,
    opened_at: "2026-11-30 07:10:00",
    last_seen_at: null,
};

describe("AlertsApi", () => {
    test("reads the open alerts of one system", async () => {
        const calls: unknown[][] = [];
        const call: OrmCall = async (model, method, args, kwargs) => {
            calls.push([model, method, args, kwargs]);
            return [alert];
        };
        const alerts = await new AlertsApi(call).open(1);
        expect(alerts[0]?.kind_label).toBe("Queue age");
        expect(calls).toEqual([
            ["construction.sync.alert", "get_open_alerts", [], { system_id: 1 }],
        ]);
    });

    test("an alert without the time it opened is refused", async () => {
        const call: OrmCall = async () => [{ ...alert, opened_at: false }];
        await expect(new AlertsApi(call).open()).rejects.toThrow(/open alerts .*0\.opened_at/);
    });

    test("the timeline is the alert's own form, where its chatter is", () => {
        expect(alertTimelineAction(8)).toEqual({
            type: "ir.actions.act_window",
            res_model: "construction.sync.alert",
            res_id: 8,
            views: [[false, "form"]],
            target: "current",
        });
    });
});
