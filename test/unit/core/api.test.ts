import { describe, expect, test } from "@jest/globals";
import { CockpitApi, CockpitDataError, type OrmCall } from "../../../web_src/core/api";
import { summariseOutcome } from "../../../web_src/core/format";
import { english } from "../words";

const system = {
    id: 1,
    name: "FieldLink",
    code: "fieldlink",
    last_delivery_at: "2026-11-23 08:15:00",
    received_24h: 12,
    failed_24h: 2,
    error_rate: 16.7,
    queue_depth: 0,
    oldest_pending_seconds: null,
    awaiting_approval: 1,
    open_failures: 2,
    stale: 0,
    alert: true,
};

const row = {
    id: 7,
    system: "FieldLink",
    event_type: "project.upserted",
    webhook_id: "msg_1",
    object_key: "project.project:P-200",
    object_label: "Project P-200",
    external_id: "P-200",
    state: "failed",
    state_label: "Failed",
    error_class: "data",
    error_class_label: "Data",
    error_message: "Unknown customer 'C-20'",
    received_at: "2026-11-23 08:16:00",
    attempts: 1,
    assignee: null,
    approval: false,
    can_decide: false,
    amount: null,
    stale: null,
};

function answering(answers: Record<string, unknown>): { call: OrmCall; calls: unknown[][] } {
    const calls: unknown[][] = [];
    const call: OrmCall = async (model, method, args, kwargs) => {
        calls.push([model, method, args, kwargs]);
        return answers[method];
    };
    return { call, calls };
}

describe("CockpitApi", () => {
    test("parses a well-formed overview and exceptions page", async () => {
        const { call, calls } = answering({
            get_overview: {
                systems: [system],
                event_types: ["partner.upserted"],
                is_manager: false,
                stale_days: 7,
            },
            get_exceptions: { total: 1, rows: [row] },
        });
        const api = new CockpitApi(call);
        expect((await api.overview()).systems[0]?.alert).toBe(true);
        const page = await api.exceptions({ systemId: 1, offset: 0, limit: 50, search: "" });
        expect(page.rows[0]?.error_class).toBe("data");
        expect(calls[1]).toEqual([
            "construction.sync.cockpit",
            "get_exceptions",
            [],
            {
                state: null,
                system_id: 1,
                error_class: null,
                assignee: null,
                event_type: null,
                older_than_hours: null,
                order: "received_desc",
                search: null,
                offset: 0,
                limit: 50,
            },
        ]);
    });

    test.each([
        [
            "a missing field",
            {
                systems: [{ ...system, queue_depth: undefined }],
                event_types: [],
                is_manager: true,
                stale_days: 7,
            },
        ],
        [
            "a negative count",
            {
                systems: [{ ...system, failed_24h: -1 }],
                event_types: [],
                is_manager: true,
                stale_days: 7,
            },
        ],
        [
            "a datetime in another format",
            {
                systems: [{ ...system, last_delivery_at: "yesterday" }],
                event_types: [],
                is_manager: true,
                stale_days: 7,
            },
        ],
        ["no answer at all", null],
    ])("refuses %s with a readable error naming the field", async (_label, answer) => {
        const api = new CockpitApi(answering({ get_overview: answer }).call);
        await expect(api.overview()).rejects.toBeInstanceOf(CockpitDataError);
        await expect(api.overview()).rejects.toThrow(/system overview the cockpit cannot read/);
    });

    test("each row says whether this user may decide it; a row without the answer is refused", async () => {
        const approval = {
            ...row,
            state: "awaiting_approval",
            state_label: "Awaiting approval",
            error_class: null,
            approval: true,
            can_decide: true,
            amount: null,
        };
        const api = new CockpitApi(
            answering({ get_exceptions: { total: 2, rows: [row, approval] } }).call
        );
        const page = await api.exceptions({ offset: 0, limit: 50 });
        expect(page.rows.map((one) => one.can_decide)).toEqual([false, true]);
        const unanswered: Record<string, unknown> = { ...approval };
        delete unanswered["can_decide"];
        const broken = new CockpitApi(
            answering({ get_exceptions: { total: 1, rows: [unanswered] } }).call
        );
        await expect(broken.exceptions({ offset: 0, limit: 50 })).rejects.toThrow(
            /rows\.0\.can_decide/
        );
    });

    test("an unknown event state is refused, not rendered", async () => {
        const api = new CockpitApi(
            answering({ get_exceptions: { total: 1, rows: [{ ...row, state: "exploded" }] } }).call
        );
        await expect(api.exceptions({ offset: 0, limit: 50 })).rejects.toThrow(/rows\.0\.state/);
    });
});

describe("event detail", () => {
    test("a traceback-free detail for users parses; a wrong audit state does not", async () => {
        const detail = {
            id: 7,
            system: "FieldLink",
            event_type: "project.upserted",
            webhook_id: "msg_1",
            object_key: "project.project:P-200",
            object_label: "Project P-200",
            external_id: "P-200",
            state: "failed",
            state_label: "Failed",
            error_class: "data",
            error_class_label: "Data",
            error_message: "Unknown customer",
            approval_summary: "",
            traceback: null,
            payload: "{}",
            attempts: 1,
            received_at: "2026-11-23 08:16:00",
            assignee: null,
            approval: false,
            can_decide: false,
            amount: null,
            stale: null,
            waiting_for: { model: "res.partner", external_id: "C-20" },
            watermark: null,
            record: null,
            audit: [
                {
                    at: "2026-11-23 08:16:01",
                    user: "OdooBot",
                    action: "Failed",
                    from_state: "processing",
                    to_state: "failed",
                    message: "",
                },
            ],
        };
        const api = new CockpitApi(answering({ get_event: detail }).call);
        expect((await api.event(7)).waiting_for?.external_id).toBe("C-20");
        const broken = new CockpitApi(
            answering({
                get_event: { ...detail, audit: [{ ...detail.audit[0], to_state: "gone" }] },
            }).call
        );
        await expect(broken.event(7)).rejects.toThrow(/audit\.0\.to_state/);
    });
});

describe("summariseOutcome", () => {
    test("counts applied, queued and still failing events", () => {
        expect(summariseOutcome(["done", "done", "failed", "pending"], english)).toBe(
            "2 applied, 1 queued, 1 still failing"
        );
        expect(summariseOutcome(["ignored", "awaiting_approval"], english)).toBe(
            "1 closed, 1 awaiting approval"
        );
        expect(summariseOutcome([], english)).toBe("nothing changed");
    });
});

describe("bulk, trends and replay calls", () => {
    test("select-all ids send the list's filters without its paging and must be integers", async () => {
        const { call, calls } = answering({ get_exception_ids: [3, 4, 5] });
        const api = new CockpitApi(call);
        expect(await api.exceptionIds({ systemId: 2, eventType: "project.upserted" })).toEqual([
            3, 4, 5,
        ]);
        expect(calls[0]).toEqual([
            "construction.sync.cockpit",
            "get_exception_ids",
            [],
            {
                state: null,
                system_id: 2,
                error_class: null,
                assignee: null,
                event_type: "project.upserted",
                older_than_hours: null,
                search: null,
            },
        ]);
        const broken = new CockpitApi(answering({ get_exception_ids: [3, "4"] }).call);
        await expect(broken.exceptionIds({})).rejects.toThrow(/event ids/);
    });

    test("a bulk chunk asks the server to skip events that left the action's states", async () => {
        const { call, calls } = answering({
            act: [{ id: 3, state: "pending", error_message: "" }],
        });
        const api = new CockpitApi(call);
        await api.act("retry", [3, 4], undefined, true);
        await api.act("retry", [3]);
        expect(calls).toEqual([
            [
                "construction.sync.cockpit",
                "act",
                ["retry", [3, 4], null],
                { skip_ineligible: true },
            ],
            ["construction.sync.cockpit", "act", ["retry", [3], null], undefined],
        ]);
    });

    test("trends accept only the 7 and 30 day windows and known states", async () => {
        const trends = {
            days: 7,
            since: "2026-11-16 09:00:00",
            until: "2026-11-23 08:00:00",
            by_hour: [{ hour: "2026-11-23 08:00:00", state: "failed", count: 2 }],
            by_error_class: [{ key: "data", count: 2 }],
            by_event_type: [{ key: "project.upserted", count: 2 }],
        };
        const { call, calls } = answering({ get_trends: trends });
        expect((await new CockpitApi(call).trends(7, 4)).by_hour[0]?.count).toBe(2);
        expect(calls[0]).toEqual([
            "construction.sync.cockpit",
            "get_trends",
            [7],
            { system_id: 4 },
        ]);
        for (const wrong of [
            { ...trends, days: 14 },
            { ...trends, by_hour: [{ ...trends.by_hour[0], state: "gone" }] },
        ]) {
            const api = new CockpitApi(answering({ get_trends: wrong }).call);
            await expect(api.trends(7)).rejects.toThrow(/trends the cockpit cannot read/);
        }
    });

    test("a replay sends the range as naive UTC and reads back the count", async () => {
        const { call, calls } = answering({ replay_range: { replayed: 4 } });
        const result = await new CockpitApi(call).replayRange({
            systemId: 2,
            dateFrom: "2026-11-22 08:00:00",
            dateTo: "2026-11-23 08:00:59",
            reason: "customer list imported",
        });
        expect(result).toEqual({ replayed: 4 });
        expect(calls[0]).toEqual([
            "construction.sync.cockpit",
            "replay_range",
            [],
            {
                system_id: 2,
                date_from: "2026-11-22 08:00:00",
                date_to: "2026-11-23 08:00:59",
                event_type: null,
                reason: "customer list imported",
                include_done: false,
            },
        ]);
    });
});
