import { describe, expect, test } from "@jest/globals";
import { CockpitApi, type OrmCall } from "../../../web_src/core/api";
import { summariseOutcome } from "../../../web_src/core/format";
import { english } from "../words";
import { formatServerDatetime } from "../../../web_src/core/luxon";

// Stale events in the cockpit (issue 12): counted per system, listed in their own view with the
// watermark that made them stale, applied anyway or their watermark reset by a manager.

const system = {
    id: 1,
    name: "FieldLink",
    code: "fieldlink",
    last_delivery_at: "2026-11-23 08:15:00",
    received_24h: 12,
    failed_24h: 0,
    error_rate: 0,
    queue_depth: 0,
    oldest_pending_seconds: null,
    awaiting_approval: 0,
    open_failures: 0,
    stale: 3,
    alert: false,
};

const staleRow = {
    id: 9,
    system: "FieldLink",
    event_type: "partner.upserted",
    webhook_id: "msg_late",
    object_key: "res.partner:C-9",
    object_label: "Contact C-9",
    external_id: "C-9",
    state: "stale",
    state_label: "Stale",
    error_class: null,
    error_class_label: null,
    error_message: "",
    received_at: "2026-11-23 08:16:00",
    attempts: 1,
    assignee: null,
    approval: false,
    can_decide: false,
    amount: null,
    stale: {
        watermark: "9999-12-31 23:00:00",
        event_id: 4,
        webhook_id: "msg_future",
        received_at: "2026-11-20 10:00:00",
    },
};

const detail = {
    ...staleRow,
    approval_summary: "",
    traceback: null,
    payload: "{}",
    waiting_for: null,
    record: null,
    audit: [],
    watermark: {
        mapping_id: 5,
        at: "9999-12-31 23:00:00",
        webhook_id: "msg_future",
        reset_to: "2026-11-20 09:59:00",
        reset_to_webhook_id: "msg_genuine",
    },
};

function answering(answers: Record<string, unknown>): { call: OrmCall; calls: unknown[][] } {
    const calls: unknown[][] = [];
    const call: OrmCall = async (model, method, args, kwargs) => {
        calls.push([model, method, args, kwargs]);
        return answers[method];
    };
    return { call, calls };
}

describe("stale events", () => {
    test("each system's card carries its stale count and the overview the window in days", async () => {
        const api = new CockpitApi(
            answering({
                get_overview: {
                    systems: [system],
                    event_types: [],
                    is_manager: true,
                    stale_days: 7,
                },
            }).call
        );
        const overview = await api.overview();
        expect([overview.systems[0]?.stale, overview.stale_days]).toEqual([3, 7]);
        for (const wrong of [
            {
                systems: [{ ...system, stale: -1 }],
                event_types: [],
                is_manager: true,
                stale_days: 7,
            },
            {
                systems: [{ ...system, stale: undefined }],
                event_types: [],
                is_manager: true,
                stale_days: 7,
            },
            { systems: [system], event_types: [], is_manager: true },
        ]) {
            const broken = new CockpitApi(answering({ get_overview: wrong }).call);
            await expect(broken.overview()).rejects.toThrow(
                /system overview the cockpit cannot read/
            );
        }
    });

    test("the Stale view asks for state 'stale' and its rows carry the watermark", async () => {
        const { call, calls } = answering({
            get_exceptions: { total: 1, rows: [staleRow] },
            get_exception_ids: [9],
        });
        const api = new CockpitApi(call);
        const page = await api.exceptions({ view: "stale", systemId: 1, offset: 0, limit: 50 });
        expect(page.rows[0]?.stale?.webhook_id).toBe("msg_future");
        expect(calls[0]).toEqual([
            "construction.sync.cockpit",
            "get_exceptions",
            [],
            expect.objectContaining({ state: "stale", system_id: 1 }),
        ]);
        expect(await api.exceptionIds({ view: "stale" })).toEqual([9]);
        expect(calls[1]).toEqual([
            "construction.sync.cockpit",
            "get_exception_ids",
            [],
            expect.objectContaining({ state: "stale" }),
        ]);
        await api.exceptions({ view: "exceptions", offset: 0, limit: 50 });
        expect(calls[2]?.[3]).toEqual(expect.objectContaining({ state: null }));
    });

    test("a stale reason whose event was purged parses; one without a watermark does not", async () => {
        const purged = {
            ...staleRow,
            stale: { ...staleRow.stale, event_id: null, webhook_id: null, received_at: null },
        };
        const api = new CockpitApi(
            answering({ get_exceptions: { total: 1, rows: [purged] } }).call
        );
        expect(
            (await api.exceptions({ offset: 0, limit: 50 })).rows[0]?.stale?.event_id
        ).toBeNull();
        const broken = { ...staleRow, stale: { ...staleRow.stale, watermark: "someday" } };
        const refusing = new CockpitApi(
            answering({ get_exceptions: { total: 1, rows: [broken] } }).call
        );
        await expect(refusing.exceptions({ offset: 0, limit: 50 })).rejects.toThrow(
            /rows\.0\.stale\.watermark/
        );
    });

    test("the detail says what a reset sets the watermark back to, or that it clears it", async () => {
        const api = new CockpitApi(answering({ get_event: detail }).call);
        expect((await api.event(9)).watermark?.reset_to_webhook_id).toBe("msg_genuine");
        const cleared = {
            ...detail,
            watermark: { ...detail.watermark, reset_to: null, reset_to_webhook_id: null },
        };
        expect(
            (await new CockpitApi(answering({ get_event: cleared }).call).event(9)).watermark
                ?.reset_to
        ).toBeNull();
        const missing: Record<string, unknown> = { ...detail };
        delete missing["watermark"];
        await expect(
            new CockpitApi(answering({ get_event: missing }).call).event(9)
        ).rejects.toThrow(/watermark/);
    });

    test("apply anyway and reset watermark go through act with the manager's reason", async () => {
        const { call, calls } = answering({ act: [{ id: 9, state: "done", error_message: "" }] });
        const api = new CockpitApi(call);
        await api.act("apply_anyway", [9], "customer confirmed");
        await api.act("reset_watermark", [9], "sender's clock was wrong");
        expect(calls.map((one) => one[2])).toEqual([
            ["apply_anyway", [9], "customer confirmed"],
            ["reset_watermark", [9], "sender's clock was wrong"],
        ]);
    });

    test("an outcome counts stale events as stale, not as failing", () => {
        expect(summariseOutcome(["stale", "done"], english)).toBe("1 applied, 1 stale");
        expect(summariseOutcome(["stale", "failed"], english)).toBe("1 stale, 1 still failing");
    });

    test("a watermark reads in the reader's time zone, to the second, even in year 9999", () => {
        expect(formatServerDatetime("2026-11-23 10:00:05", "Europe/Brussels")).toBe(
            "2026-11-23 11:00:05"
        );
        expect(formatServerDatetime("9999-12-31 23:00:00", "utc")).toBe("9999-12-31 23:00:00");
    });
});
