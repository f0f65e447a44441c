// Reconciliation (issue #16): a project platform's snapshot of `objects` projects (default
// 100 000) compared with Odoo's, 1 % of them different: a quarter each missing in Odoo, unknown at
// the source (left out of the snapshot), older in Odoo (a newer version at the source) and with
// another contract value. The snapshot goes through the signed batch endpoint as
// `project.snapshot` events of 1 000 objects, 10 pages per delivery, and the runners compare page
// after page. Reports the time from the first delivery to the finished run, the differences found
// by kind (they must be exactly the ones planted), and Odoo's memory: the RSS of every Odoo
// process (summed, sampled every 500 ms) before, at its peak and after. Target: under 2 minutes,
// flat memory (the comparison holds one page at a time).
//
// Setup in SQL, not through events (100 000 project.upserted would take the runners longer than
// the comparison itself): one existing project is cloned `objects` times, each mapped to B-<n>
// for the bench's system with a watermark of yesterday.
//
// Usage (not part of bench/run.mjs; once Odoo runs with its cron workers, construction_base
// installed, `client` logged in as admin):
//     import { benchReconcile } from "./reconcile.mjs";
//     const reconcile = await benchReconcile({ client, db: DB, baseUrl: BASE, odooPgid: odoo.pid });
//     // reconcile.targets: [{name, ok, detail}], reconcile.figures: the numbers printed
// Standalone against a running server (psql reaches its database through CSYNC_PG* as in sql.mjs):
//     BENCH_URL=http://127.0.0.1:8190 BENCH_DB=mydb [BENCH_ODOO_PGID=1234] [BENCH_OBJECTS=100000] \
//         node bench/reconcile.mjs
import { setInterval, clearInterval } from "node:timers";
import { execFileSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { performance } from "node:perf_hooks";
import { OdooClient, request, signer, waitFor } from "./odoo-client.mjs";
import { sql, sqlNumber } from "./sql.mjs";

const PAGE = 1000;
const PAGES_PER_DELIVERY = 10;
const TARGET_SECONDS = 120;
// Memory may grow this much over the run (MB) and still count as flat.
const FLAT_MB = 50;

function rssOf(pgid) {
    if (!pgid) {
        return Number.NaN;
    }
    const out = execFileSync("ps", ["-o", "rss=", "-g", String(pgid)], { encoding: "utf8" });
    return out
        .split("\n")
        .filter((line) => line.trim())
        .reduce((sum, line) => sum + Number(line) / 1024, 0);
}

/** Clones one project `objects` times and maps the clones B-1..B-n for the system. */
async function seed(db, systemId, objects) {
    const columns = (
        await sql(
            db,
            `SELECT column_name FROM information_schema.columns
              WHERE table_name = 'project_project' AND column_name NOT IN ('id', 'name', 'original_contract_value')
              ORDER BY ordinal_position`
        )
    ).map(([name]) => `"${name}"`);
    const template = await sqlNumber(db, "SELECT min(id) FROM project_project");
    const list = columns.join(", ");
    await sql(
        db,
        `WITH clones AS (
            INSERT INTO project_project (name, original_contract_value, ${list})
            SELECT jsonb_build_object('en_US', 'Bench ' || g), 1000 * g, ${list}
              FROM project_project, generate_series(1, ${objects}) AS g
             WHERE id = ${template}
            RETURNING id, original_contract_value
        )
        INSERT INTO construction_sync_mapping
               (system_id, company_id, res_model, external_id, res_id, last_source_timestamp,
                create_uid, create_date, write_uid, write_date)
        SELECT s.id, s.company_id, 'project.project', 'B-' || (c.original_contract_value / 1000)::int, c.id,
               (now() at time zone 'utc') - interval '1 day', 1, now() at time zone 'utc', 1, now() at time zone 'utc'
          FROM clones c, construction_sync_system s WHERE s.id = ${systemId}`
    );
}

/** The snapshot's objects, with the differences planted every 1/rate objects. */
function snapshotObjects(objects, rate, version, newer) {
    const every = Math.round(1 / rate);
    const planted = {
        missing_in_odoo: 0,
        unknown_at_source: 0,
        older_in_odoo: 0,
        value_mismatch: 0,
    };
    const list = [];
    for (let n = 1; n <= objects; n++) {
        let id = `B-${n}`;
        let objectVersion = version;
        let value = 1000 * n;
        if (n % every === 0) {
            const kind = (n / every) % 4;
            if (kind === 0) {
                planted.missing_in_odoo++;
                planted.unknown_at_source++; // B-n is then only in Odoo too
                id = `N-${n}`;
            } else if (kind === 1) {
                planted.unknown_at_source++;
                continue;
            } else if (kind === 2) {
                planted.older_in_odoo++;
                objectVersion = newer;
            } else {
                planted.value_mismatch++;
                value += 1;
            }
        }
        list.push({ id, version: objectVersion, values: { contract_value: value } });
    }
    return { list, planted };
}

export async function benchReconcile({
    client,
    db,
    baseUrl,
    odooPgid,
    objects = 100_000,
    rate = 0.01,
}) {
    console.log(
        `\nReconciliation: a ${objects.toLocaleString("en")}-object project snapshot, ${rate * 100} % different`
    );
    const code = `bench-rc-${randomUUID().slice(0, 8)}`;
    const systemId = await client.call("construction.sync.system", "create", [
        { name: "Benchmark reconciliation", code, max_body_bytes: 10 * 1024 * 1024 },
    ]);
    const [{ secret }] = await client.call("construction.sync.system", "read", [
        [systemId],
        ["secret"],
    ]);
    const sign = signer(secret);
    await seed(db, systemId, objects);

    const now = new Date();
    const asOf = new Date(now.getTime() - 60_000).toISOString();
    const version = new Date(now.getTime() - 86_400_000).toISOString().replace(/\.\d+Z$/, "Z");
    const newer = new Date(now.getTime() - 3_600_000).toISOString();
    // Odoo's watermarks are "now - 1 day" from the database's clock: the source's version must
    // match them to the second, so they are read back rather than assumed.
    const watermark = (
        await sql(
            db,
            `SELECT to_char(min(last_source_timestamp), 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')
               FROM construction_sync_mapping WHERE system_id = ${systemId}`
        )
    )[0][0];
    const { list, planted } = snapshotObjects(objects, rate, watermark ?? version, newer);
    const snapshotId = `S-${randomUUID().slice(0, 8)}`;
    const pages = Math.ceil(list.length / PAGE);

    const rssBefore = rssOf(odooPgid);
    let rssPeak = rssBefore;
    const sampler = setInterval(() => {
        rssPeak = Math.max(rssPeak, rssOf(odooPgid));
    }, 500);
    const start = performance.now();
    try {
        for (let first = 0; first < pages; first += PAGES_PER_DELIVERY) {
            const events = [];
            for (let page = first; page < Math.min(first + PAGES_PER_DELIVERY, pages); page++) {
                events.push({
                    id: `${snapshotId}-${page + 1}`,
                    type: "project.snapshot",
                    timestamp: asOf,
                    data: {
                        snapshot_id: snapshotId,
                        as_of: asOf,
                        page: page + 1,
                        pages,
                        objects: list.slice(page * PAGE, (page + 1) * PAGE),
                    },
                });
            }
            const body = JSON.stringify({ events });
            const webhookId = `msg_${randomUUID()}`;
            const timestamp = Math.floor(Date.now() / 1000);
            const response = await request(`${baseUrl}/construction_sync/webhook/${code}/batch`, {
                method: "POST",
                headers: {
                    "Content-Type": "application/json",
                    "webhook-id": webhookId,
                    "webhook-timestamp": String(timestamp),
                    "webhook-signature": sign(webhookId, timestamp, body),
                },
                body,
            });
            if (response.status !== 202) {
                throw new Error(`snapshot delivery: ${response.status} ${response.text}`);
            }
        }
        await waitFor(
            async () =>
                (await sqlNumber(
                    db,
                    `SELECT count(*) FROM construction_sync_reconcile_run
                      WHERE system_id = ${systemId} AND state = 'done'`
                )) === 1 ||
                (await sqlNumber(
                    db,
                    `SELECT count(*) FROM construction_sync_event
                      WHERE system_id = ${systemId} AND state IN ('failed', 'dead')`
                )) > 0,
            30 * 60 * 1000,
            500
        );
    } finally {
        clearInterval(sampler);
    }
    const seconds = (performance.now() - start) / 1000;
    const rssAfter = rssOf(odooPgid);
    const failed = await sql(
        db,
        `SELECT error_message FROM construction_sync_event
          WHERE system_id = ${systemId} AND state IN ('failed', 'dead') LIMIT 1`
    );
    const found = Object.fromEntries(
        (
            await sql(
                db,
                `SELECT kind, count(*) FROM construction_sync_difference
                  WHERE system_id = ${systemId} GROUP BY kind ORDER BY kind`
            )
        ).map(([kind, count]) => [kind, Number(count)])
    );
    const [[compared]] = await sql(
        db,
        `SELECT compared FROM construction_sync_reconcile_run WHERE system_id = ${systemId}`
    );
    const figures = {
        objects,
        compared: Number(compared),
        seconds: Math.round(seconds * 10) / 10,
        planted,
        found,
        rssBeforeMb: Math.round(rssBefore),
        rssPeakMb: Math.round(rssPeak),
        rssAfterMb: Math.round(rssAfter),
    };
    console.log(JSON.stringify(figures, null, 2));
    const same = Object.keys(planted).every((kind) => (found[kind] ?? 0) === planted[kind]);
    const targets = [
        {
            name: "snapshot compared without a failed page",
            ok: failed.length === 0,
            detail: failed[0]?.[0] ?? "",
        },
        {
            name: "differences found are exactly those planted",
            ok: same,
            detail: JSON.stringify({ planted, found }),
        },
        {
            name: `compared in under ${TARGET_SECONDS} s`,
            ok: seconds < TARGET_SECONDS,
            detail: `${figures.seconds} s`,
        },
        {
            name: `memory flat (peak within ${FLAT_MB} MB of the start)`,
            ok: Number.isNaN(rssBefore) || rssPeak - rssBefore < FLAT_MB,
            detail: `${figures.rssBeforeMb} → peak ${figures.rssPeakMb} → ${figures.rssAfterMb} MB`,
        },
    ];
    for (const target of targets) {
        console.log(`${target.ok ? "ok  " : "FAIL"} ${target.name}: ${target.detail}`);
    }
    return { targets, figures };
}

if (import.meta.url === `file://${process.argv[1]}`) {
    const baseUrl = process.env.BENCH_URL ?? "http://127.0.0.1:8069";
    const db = process.env.BENCH_DB;
    const client = new OdooClient(baseUrl, db);
    await client.login();
    const result = await benchReconcile({
        client,
        db,
        baseUrl,
        odooPgid: process.env.BENCH_ODOO_PGID,
        objects: Number(process.env.BENCH_OBJECTS ?? 100_000),
    });
    process.exit(result.targets.every((target) => target.ok) ? 0 : 1);
}
