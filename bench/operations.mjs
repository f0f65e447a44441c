// Operations room at size: alert evaluation and anomaly scoring over 1 000 000 events and 90 days
// of hourly rollups must stay under 200 ms per run; GET /construction_sync/metrics under 100 ms.
// Not part of bench/run.mjs: called by the lead (see the report of issue #19), e.g. right after
// benchCockpit, which has filled the inbox already:
//     const ops = await benchOperations({ client, db, baseUrl, systemIds, fill: false });
// or alone against a database with the engine installed and a logged-in admin client:
//     await benchOperations({ client, db, baseUrl, systemIds });
import { execFileSync } from "node:child_process";
import { performance } from "node:perf_hooks";
import { fillInbox } from "./cockpit.mjs";
import { request } from "./odoo-client.mjs";

const ROOT = new URL("..", import.meta.url).pathname;
const ROLLUP_DAYS = Number(process.env.BENCH_OPERATIONS_ROLLUP_DAYS ?? 90);
const EVENT_TYPES = [
    "partner.upserted",
    "project.upserted",
    "subcontractor_invoice.received",
    "rental.dispatched",
    "change_order.approved",
];

function sql(db, statement) {
    return execFileSync("bash", [`${ROOT}scripts/pg`, "psql", "-d", db, "-qtAc", statement], {
        encoding: "utf8",
    }).trim();
}

/** 90 days of hourly rollup rows per system, event type and outcome, with a weekly rhythm (busy
 * weekday mornings, quiet nights and weekends), straight in SQL as fillInbox does for events. The
 * rollup watermark is set to the last closed hour, so the scoring reads these rows as they are. */
export function fillRollup(db, systemIds) {
    const systems = `ARRAY[${systemIds.join(",")}]`;
    const types = `ARRAY[${EVENT_TYPES.map((t) => `'${t}'`).join(",")}]`;
    sql(
        db,
        `INSERT INTO construction_sync_event_hourly (hour, system_id, company_id, event_type, state, error_class, count)
         SELECT h.hour, s.id, 1, t.type, o.state, o.error_class,
                GREATEST(1, (CASE WHEN extract(isodow FROM h.hour) < 6 AND extract(hour FROM h.hour) BETWEEN 7 AND 17
                                  THEN 120 ELSE 8 END) * o.share / 100 + (extract(day FROM h.hour)::int % 7))
           FROM generate_series(date_trunc('hour', now() at time zone 'utc') - interval '${ROLLUP_DAYS} days',
                                date_trunc('hour', now() at time zone 'utc') - interval '1 hour',
                                interval '1 hour') AS h(hour)
          CROSS JOIN unnest(${systems}) AS s(id)
          CROSS JOIN unnest(${types}) AS t(type)
          CROSS JOIN (VALUES ('done', '', 95), ('failed', 'data', 4), ('dead', 'transient', 1)) AS o(state, error_class, share)
         ON CONFLICT (hour, system_id, event_type, state, error_class) DO NOTHING`
    );
    sql(db, "DELETE FROM construction_sync_event_hourly_dirty");
    sql(
        db,
        `INSERT INTO ir_config_parameter (key, value, create_uid, create_date, write_uid, write_date)
         VALUES ('construction_sync.hourly_rolled_until',
                 to_char(date_trunc('hour', now() at time zone 'utc') - interval '1 hour', 'YYYY-MM-DD HH24:MI:SS'),
                 1, now(), 1, now())
         ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value`
    );
    sql(db, "VACUUM ANALYZE construction_sync_event_hourly");
}

async function median(fn, runs = 9) {
    await fn();
    const times = [];
    for (let i = 0; i < runs; i += 1) {
        const start = performance.now();
        await fn();
        times.push(performance.now() - start);
    }
    times.sort((a, b) => a - b);
    return times[Math.floor(runs / 2)];
}

export async function benchOperations({ client, db, baseUrl, systemIds, fill = true }) {
    console.log(
        `\nOperations: alerts, anomalies and metrics (${ROLLUP_DAYS} days of hourly rollups)`
    );
    const started = Date.now();
    if (fill) {
        fillInbox(db, systemIds);
    }
    fillRollup(db, systemIds);
    console.log(`  filled in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    const events = Number(sql(db, "SELECT count(*) FROM construction_sync_event"));
    const rollup = Number(sql(db, "SELECT count(*) FROM construction_sync_event_hourly"));
    console.log(
        `  ${events.toLocaleString("en")} events, ${rollup.toLocaleString("en")} rollup rows`
    );
    const token = sql(
        db,
        "SELECT value FROM ir_config_parameter WHERE key = 'construction_sync.metrics_token'"
    );
    const scrape = async () => {
        const reply = await request(`${baseUrl}/construction_sync/metrics`, {
            headers: { Authorization: `Bearer ${token}` },
        });
        if (reply.status !== 200) {
            throw new Error(`metrics answered ${reply.status}: ${reply.text.slice(0, 200)}`);
        }
    };
    const calls = [
        [
            "alert evaluation (evaluate_now)",
            200,
            () => client.call("construction.sync.alert.rule", "evaluate_now", []),
        ],
        [
            "anomaly scoring (get_anomalies)",
            200,
            () => client.call("construction.sync.anomaly", "get_anomalies", []),
        ],
        ["GET /construction_sync/metrics", 100, scrape],
    ];
    const results = [];
    for (const [label, target, call] of calls) {
        const ms = await median(call);
        results.push({ label, ms, target, ok: ms < target });
        console.log(
            `  ${label.padEnd(40)} ${ms.toFixed(0).padStart(6)} ms (median of 9; target < ${target} ms)${ms < target ? "" : "  OVER"}`
        );
    }
    return results;
}
