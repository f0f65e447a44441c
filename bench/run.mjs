// npm run bench: throughput ratios of the webhook intake and the processor, measured in one run
// against one Odoo (2 HTTP workers, 2 cron workers) on the bench's own PostgreSQL cluster with
// PostgreSQL's durable defaults, every system with a rate limit (high, but counted for every
// delivery): short bursts (intake with the limit on and off), processing with one and two cron
// workers beside the ORM ceiling, signed intake under a flood of malformed unsigned deliveries,
// deliveries during a PostgreSQL restart, a kill -9 of every Odoo process while it drains 10 000
// events (and the time from the restart to the first event applied), the cockpit on 1 000 000
// events (and alerts, anomalies and metrics on them), outbound events against Odoo's webhook
// server action, a contractor's month, ten sustained minutes of mixed single and batch
// deliveries on top of those (rate per minute, Odoo's memory while 100 000 events drain), two
// Odoo nodes on one database, and a 100 000-object reconciliation snapshot. Started by
// scripts/bench, which prepares the cluster and the database. Exits 1 when a target is missed.
import { spawn, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { randomUUID } from "node:crypto";
import { benchCockpit } from "./cockpit.mjs";
import { benchFlood } from "./flood.mjs";
import { OdooClient, request, signer, waitFor } from "./odoo-client.mjs";
import { benchPgRestart } from "./pg-restart.mjs";
import { benchReconcile } from "./reconcile.mjs";
import { Sender } from "./sender.mjs";
import { sql } from "./sql.mjs";
import { benchMonth } from "./month.mjs";
import { benchOperations } from "./operations.mjs";
import { benchOutbound } from "./outbound.mjs";
import { benchSustained } from "./sustained.mjs";
import { benchTwoNodes } from "./two-nodes.mjs";

const ROOT = new URL("..", import.meta.url).pathname;
const PORT = Number(process.env.BENCH_PORT ?? 8369);
const DB = process.env.BENCH_DB;
const BASE = `http://127.0.0.1:${PORT}`;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
const PROCESS_EVENTS = Number(process.env.BENCH_PROCESS_EVENTS ?? 3000);
const KILL_EVENTS = Number(process.env.BENCH_KILL_EVENTS ?? 10_000);
// Every system keeps a rate limit, so the limiter counts every delivery as in production; high
// enough not to cap the measured rates (the default, 600 a minute, is a per-system production
// setting, far below them). Far below its limit, a system's deliveries are counted in each
// worker's memory and written to PostgreSQL every 0.2 s; from half of it, in PostgreSQL with each
// delivery (construction.sync.rate.bucket).
const RATE_LIMIT = Number(process.env.BENCH_RATE_LIMIT ?? 1_000_000);
const SUSTAINED_SECONDS = Number(process.env.BENCH_SUSTAINED_SECONDS ?? 600);
const TWO_NODES_SECONDS = Number(process.env.BENCH_TWO_NODES_SECONDS ?? 20);
const RECONCILE_OBJECTS = Number(process.env.BENCH_RECONCILE_OBJECTS ?? 100_000);
const OUTBOUND_MESSAGES = Number(process.env.BENCH_OUTBOUND_MESSAGES ?? 2000);
const OUTBOUND_RATE_MESSAGES = Number(process.env.BENCH_OUTBOUND_RATE_MESSAGES ?? 10_000);
const OUTBOUND_OUTAGE_SECONDS = Number(process.env.BENCH_OUTBOUND_OUTAGE_SECONDS ?? 60);
const FLOOD_PER_MINUTE = Number(process.env.BENCH_FLOOD_PER_MINUTE ?? 1000);
// BENCH_ONLY=processing,month runs only the named sections (a quick look at one figure while
// working on it); the targets of the sections not run are left out. The full run is the result.
const SECTIONS = [
    "intake",
    "processing",
    "flood",
    "restart",
    "kill",
    "cockpit",
    "operations",
    "sustained",
    "outbound",
    "month",
    "two-nodes",
    "reconcile",
];
const ONLY = (process.env.BENCH_ONLY ?? "")
    .split(",")
    .map((name) => name.trim())
    .filter(Boolean);
for (const name of ONLY) {
    if (!SECTIONS.includes(name)) {
        throw new Error(`BENCH_ONLY: unknown section ${name} (one of ${SECTIONS.join(", ")})`);
    }
}
const want = (section) => ONLY.length === 0 || ONLY.includes(section);

let odoo = null;

/** Spawns one Odoo server (its own process group) on `port` and resolves to [child, the time its
 * /web/health first answered 200]. */
async function spawnOdoo(port, { interval = 200, cronWorkers = 2 } = {}) {
    const child = spawn(
        "bash",
        [
            `${ROOT}scripts/odoo`,
            ...["-d", DB, "--http-port", String(port), "--http-interface", "127.0.0.1"],
            // Its own websocket port: another Odoo with workers on this machine holds 8072.
            ...["--gevent-port", String(port + 1)],
            ...["--workers", "2", "--max-cron-threads", String(cronWorkers)],
            ...["--log-level", "warn", "--limit-time-real", "600", "--limit-time-cpu", "600"],
        ],
        { detached: true, stdio: ["ignore", "inherit", "inherit"] }
    );
    await waitFor(
        async () => {
            try {
                return (
                    (await request(`http://127.0.0.1:${port}/web/health`, { timeout: 5000 }))
                        .status === 200
                );
            } catch {
                return false;
            }
        },
        120_000,
        interval
    );
    return [child, Date.now()];
}

/** Starts the bench's Odoo and resolves to the time its /web/health first answered 200. */
async function startOdoo({ interval = 200, cronWorkers = 2 } = {}) {
    let at;
    [odoo, at] = await spawnOdoo(PORT, { interval, cronWorkers });
    return at;
}

/** Signals a whole Odoo process group and resolves once its master is gone. */
async function stopNode(child, signal) {
    const exited =
        child.exitCode !== null || child.signalCode !== null
            ? Promise.resolve()
            : new Promise((resolve) => child.once("exit", resolve));
    process.kill(-child.pid, signal);
    await exited;
}

/** The ORM ceiling: partners per second one process creates through the ORM in chunks of 100,
 * one commit each (bench/orm_ceiling.py in `odoo shell`, beside the running server). */
function ormCeiling(partners) {
    const result = spawnSync(
        "bash",
        [`${ROOT}scripts/odoo`, "shell", "-d", DB, "--no-http", "--log-level", "warn"],
        {
            input: readFileSync(`${ROOT}bench/orm_ceiling.py`),
            env: { ...process.env, BENCH_CEILING_PARTNERS: String(partners) },
            encoding: "utf8",
            maxBuffer: 16 * 1024 * 1024,
        }
    );
    const match = /CEILING ([\d.]+)/.exec(result.stdout ?? "");
    if (!match) throw new Error(`ORM ceiling: ${result.stderr || result.stdout}`);
    return Number(match[1]);
}

/** Events per second the runners take to apply `events` partner.upserted events delivered in
 * batches of 100 to a new system in real time mode (intake to done). */
async function processingRate(client, name, events) {
    const system = await createSystem(client, name);
    const started = Date.now();
    for (let i = 0; i < events / 100; i += 1) {
        await system.batch(name)();
    }
    await waitFor(
        async () => (await system.count([["state", "=", "done"]])) >= events,
        900_000,
        250
    );
    // Up to the last event's finished_at (stored to the microsecond, on this machine's clock),
    // not to the poll that saw it: polling every 250 ms added up to a tenth to runs of 2-3 s.
    const [[finished]] = await sql(
        DB,
        `SELECT extract(epoch FROM max(finished_at)) * 1000 FROM construction_sync_event WHERE system_id = ${system.id}`
    );
    return [(events / (Number(finished) - started)) * 1000, system];
}

/** Signals the whole process group (prefork master, HTTP and cron workers: with SIGKILL, like a
 * power cut) and resolves once the master is gone. */
async function killOdoo(signal) {
    if (odoo) {
        const master = odoo;
        odoo = null;
        const exited =
            master.exitCode !== null || master.signalCode !== null
                ? Promise.resolve()
                : new Promise((resolve) => master.once("exit", resolve));
        process.kill(-master.pid, signal);
        await exited;
    }
}

function report(name, rate, note = "") {
    console.log(`  ${name.padEnd(46)} ${rate.toFixed(1).padStart(9)} /s${note}`);
}

/** Runs `action` from CONCURRENCY loops for 1 s of warm-up and SECONDS more; resolves to the
 * units per second done after the warm-up and the failures. */
async function run(action) {
    let units = 0;
    let failures = 0;
    let firstFailure = "";
    const warmupEnd = Date.now() + 1000;
    const end = warmupEnd + SECONDS * 1000;
    const loop = async () => {
        while (Date.now() < end) {
            try {
                const done = await action();
                if (Date.now() >= warmupEnd) {
                    units += done;
                }
            } catch (error) {
                failures += 1;
                firstFailure ||= String(error);
            }
        }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, loop));
    return { rate: units / SECONDS, failures, firstFailure };
}

async function measure(name, action) {
    const { rate, failures, firstFailure } = await run(action);
    report(name, rate, failures ? `  (${failures} failed: ${firstFailure})` : "");
    if (failures) {
        throw new Error(`${name}: ${failures} requests failed`);
    }
    return rate;
}

async function createSystem(client, name, { rateLimit = RATE_LIMIT, baseUrl = BASE } = {}) {
    const code = `bench-${randomUUID().slice(0, 8)}`;
    const id = await client.call("construction.sync.system", "create", [
        { name, code, rate_limit_per_minute: rateLimit, max_body_bytes: 10 * 1024 * 1024 },
    ]);
    const [{ secret }] = await client.call("construction.sync.system", "read", [[id], ["secret"]]);
    const sign = signer(secret);
    const deliver = async (path, body) => {
        const webhookId = `msg_${randomUUID()}`;
        const timestamp = Math.floor(Date.now() / 1000);
        const response = await request(`${baseUrl}/construction_sync/webhook/${code}${path}`, {
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
            throw new Error(`${response.status} ${response.text}`);
        }
    };
    const partner = (prefix) => {
        const tag = randomUUID();
        return { id: tag, name: `${prefix} ${tag}`, kind: "vendor" };
    };
    return {
        id,
        code,
        // An outside sender signing with the reference Standard Webhooks library.
        sender: (url = baseUrl) => new Sender(url, code, secret),
        single: (prefix) => async () => {
            const data = partner(prefix);
            await deliver(
                "",
                JSON.stringify({
                    type: "partner.upserted",
                    timestamp: new Date().toISOString(),
                    data,
                })
            );
            return 1;
        },
        batch:
            (prefix, size = 100) =>
            async () => {
                const timestamp = new Date().toISOString();
                const events = Array.from({ length: size }, () => ({
                    id: randomUUID(),
                    type: "partner.upserted",
                    timestamp,
                    data: partner(prefix),
                }));
                await deliver("/batch", JSON.stringify({ events }));
                return size;
            },
        count: (domain = []) =>
            client.call("construction.sync.event", "search_count", [
                [["system_id", "=", id], ...domain],
            ]),
        setMode: async (mode) => {
            const settings = await client.call("construction.sync.event.setting", "search", [
                [
                    ["system_id", "=", id],
                    ["event_type", "=", "partner.upserted"],
                ],
            ]);
            await client.call("construction.sync.event.setting", "write", [
                settings,
                { processing_mode: mode },
            ]);
        },
    };
}

async function main() {
    await startOdoo();
    const client = new OdooClient(BASE, DB);
    const session = await client.login();
    const durability = await printSettings(client);
    // The intake measurements store events in batch mode; the batch runner must not compete.
    const batchRunner = await client.call("ir.model.data", "check_object_reference", [
        "construction_sync",
        "ir_cron_process_batch",
    ]);
    await client.call("ir.cron", "write", [[batchRunner[1]], { active: false }]);

    let trivial, jsonrpc, singleUnlimited, single, batch;
    if (want("intake") || want("processing")) {
        console.log(
            `\nThroughput (${SECONDS} s each after 1 s warm-up, ${CONCURRENCY} concurrent clients)`
        );
        trivial = await measure("trivial auth=none route (GET /web/health)", async () => {
            const response = await request(`${BASE}/web/health`);
            if (response.status !== 200) throw new Error(String(response.status));
            return 1;
        });
        jsonrpc = await measure("JSON-RPC execute_kw res.partner create", async () => {
            const response = await request(`${BASE}/jsonrpc`, {
                method: "POST",
                headers: { "Content-Type": "application/json" },
                body: JSON.stringify({
                    jsonrpc: "2.0",
                    method: "call",
                    id: 1,
                    params: {
                        service: "object",
                        method: "execute_kw",
                        args: [
                            DB,
                            session.uid,
                            "admin",
                            "res.partner",
                            "create",
                            [{ name: `RPC Partner ${randomUUID()}`, supplier_rank: 1 }],
                        ],
                    },
                }),
            });
            const body = JSON.parse(response.text);
            if (body.error) throw new Error(JSON.stringify(body.error));
            return 1;
        });
        // The same delivery into a system without a rate limit first, then into one with it: the
        // limit must cost the same at any traffic (the second measurement runs with more stored).
    }
    if (want("intake")) {
        const unlimitedSystem = await createSystem(client, "Benchmark intake, no rate limit", {
            rateLimit: 0,
        });
        await unlimitedSystem.setMode("batch");
        singleUnlimited = await measure(
            "webhook intake, 1 event per delivery, no limit",
            unlimitedSystem.single("Intake Partner")
        );
        const intakeSystem = await createSystem(client, "Benchmark intake");
        await intakeSystem.setMode("batch");
        single = await measure(
            "webhook intake, 1 event per delivery",
            intakeSystem.single("Intake Partner")
        );
        batch = await measure(
            "webhook intake, 100 events per delivery",
            intakeSystem.batch("Intake Partner")
        );
    }

    let processing, processingOne, ceiling;
    let processSystem = null;
    if (want("processing")) {
        console.log(`\nProcessing (${PROCESS_EVENTS} partner.upserted events, intake to done)`);
        [processing, processSystem] = await processingRate(
            client,
            "Processed Partner",
            PROCESS_EVENTS
        );
        report("processing, two cron workers", processing);
        // One cron worker: Odoo restarted with --max-cron-threads 1, then with 2 again.
        await killOdoo("SIGTERM");
        await startOdoo({ cronWorkers: 1 });
        await client.login();
        [processingOne] = await processingRate(client, "One Runner Partner", PROCESS_EVENTS);
        await killOdoo("SIGTERM");
        await startOdoo();
        await client.login();
        report("processing, one cron worker", processingOne);
        ceiling = ormCeiling(PROCESS_EVENTS);
        report(
            "ORM ceiling: the same partners, chunks of 100",
            ceiling,
            "  (one process, one commit per chunk, no engine)"
        );
        console.log(
            `  the engine's own share of the work (claim, mapping, audit, watermark): ${((1 - processingOne / ceiling) * 100).toFixed(0)} % (one cron worker vs the one-process ceiling)`
        );
    }

    let flood = null;
    if (want("flood")) {
        flood = await benchFlood({
            baseUrl: BASE,
            createSystem: (name) => createSystem(client, name),
            run,
            seconds: SECONDS,
            perMinute: FLOOD_PER_MINUTE,
            otherCode: (processSystem ?? (await createSystem(client, "Benchmark other system")))
                .code,
        });
    }

    let restart = null;
    if (want("restart")) {
        restart = await benchPgRestart({
            db: DB,
            createSystem: (name) => createSystem(client, name),
        });
        // A request that met the outage lost its session's database; a new session.
        await client.login();
    }

    let lost = 0;
    let duplicated = 0;
    let firstApplied = null;
    let killSystem = null;
    if (want("kill")) {
        console.log(`\nkill -9 of Odoo while draining ${KILL_EVENTS} events`);
        killSystem = await createSystem(client, "Benchmark kill");
        const killStart = Date.now();
        for (let i = 0; i < KILL_EVENTS / 100; i += 1) {
            await killSystem.batch("Killed Partner")();
        }
        await waitFor(
            async () => (await killSystem.count([["state", "=", "done"]])) >= KILL_EVENTS / 10,
            900_000,
            100
        );
        const lease = await leaseSeconds(client);
        // Killed while runners hold claims: the poll above sees a batch's commit and would kill in
        // the gap before the next claim, where no claim is left behind to recover.
        await waitFor(
            async () =>
                Number(
                    (
                        await sql(
                            DB,
                            `SELECT count(*) FROM construction_sync_event WHERE system_id = ${killSystem.id} AND state = 'processing'`
                        )
                    )[0][0]
                ) > 0,
            60_000,
            20
        ).catch(() => console.log("  (no claimed event seen within 60 s; killing anyway)"));
        await killOdoo("SIGKILL");
        // Read from PostgreSQL once every Odoo process is gone: what the killed processes committed.
        const [[atKill, claimedAtKill]] = await sql(
            DB,
            `SELECT count(*) FILTER (WHERE state = 'done'),
                coalesce(array_agg(id) FILTER (WHERE state = 'processing'), '{}')
           FROM construction_sync_event WHERE system_id = ${killSystem.id}`
        );
        const claimedCount = claimedAtKill === "{}" ? 0 : claimedAtKill.split(",").length;
        console.log(
            `  killed every Odoo process with ${atKill} of ${KILL_EVENTS} applied and ${claimedCount} claimed by its runners; restarting (lease ${lease})`
        );
        // From the restart command on, PostgreSQL is read every 100 ms: when the first event not
        // applied before the kill is applied, and when the last of the killed runners' claims is.
        const restartAt = Date.now();
        let firstAppliedAt = null;
        let claimsAppliedAt = claimedCount ? null : restartAt;
        let polling = true;
        const poller = (async () => {
            while (polling && (firstAppliedAt === null || claimsAppliedAt === null)) {
                const [[done, claimedLeft]] = await sql(
                    DB,
                    `SELECT count(*) FILTER (WHERE state = 'done'),
                        count(*) FILTER (WHERE id = ANY('${claimedAtKill}'::int[]) AND state <> 'done')
                   FROM construction_sync_event WHERE system_id = ${killSystem.id}`
                );
                const now = Date.now();
                if (firstAppliedAt === null && Number(done) > Number(atKill)) firstAppliedAt = now;
                if (claimsAppliedAt === null && Number(claimedLeft) === 0) claimsAppliedAt = now;
                await new Promise((resolve) => setTimeout(resolve, 100));
            }
        })();
        const healthAt = await startOdoo({ interval: 100 });
        await waitFor(() => firstAppliedAt !== null, 300_000, 100).catch(() => null);
        firstApplied = firstAppliedAt === null ? Infinity : (firstAppliedAt - healthAt) / 1000;
        const seconds = (ms) => (ms / 1000).toFixed(1);
        console.log(
            `  restarted Odoo answered /web/health ${seconds(healthAt - restartAt)} s after the restart command`
        );
        console.log(
            firstAppliedAt === null
                ? "  no event applied within 300 s of the restart"
                : `  first event applied ${seconds(firstAppliedAt - healthAt)} s after /web/health answered (${seconds(firstAppliedAt - restartAt)} s after the restart command)`
        );
        await client.login();
        await waitFor(
            async () =>
                (await killSystem.count([["state", "in", ["pending", "processing"]]])) === 0,
            900_000,
            500
        );
        const stored = await killSystem.count();
        const done = await killSystem.count([["state", "=", "done"]]);
        const applications = await client.call("construction.sync.audit", "search_count", [
            [
                ["event_id.system_id", "=", killSystem.id],
                ["action", "=", "done"],
            ],
        ]);
        const partners = await client.call("res.partner", "search_count", [
            [["name", "=like", "Killed Partner %"]],
        ]);
        polling = false;
        await poller;
        if (claimedCount) {
            console.log(
                claimsAppliedAt === null
                    ? `  the ${claimedCount} events the killed runners had claimed were not all applied while polled`
                    : `  the ${claimedCount} events the killed runners had claimed all applied ${seconds(claimsAppliedAt - healthAt)} s after /web/health answered`
            );
        }
        lost = KILL_EVENTS - done;
        duplicated = applications - done + (partners - done);
        console.log(
            `  after restart: ${done} of ${stored} stored events done, ${((Date.now() - killStart) / 1000).toFixed(1)} s after the first delivery`
        );
        console.log(
            `  lost: ${lost}   duplicated: ${duplicated}   (partners ${partners}, applications audited ${applications})`
        );
    }

    // The cockpit's events go to three systems (those above when they ran).
    const cockpitSystems = async () =>
        Promise.all(
            [processSystem, killSystem, null].map(
                async (system, n) =>
                    system ?? (await createSystem(client, `Benchmark cockpit ${n + 1}`))
            )
        );
    let cockpit = null;
    let filled = null;
    if (want("cockpit")) {
        filled = await cockpitSystems();
        cockpit = await benchCockpit({
            client,
            db: DB,
            baseUrl: BASE,
            systemIds: filled.map((system) => system.id),
        });
    }
    let operations = [];
    if (want("operations")) {
        // On the cockpit's 1 000 000 events (filled here when the cockpit did not run), with 90
        // days of hourly rollups added.
        operations = await benchOperations({
            client,
            db: DB,
            baseUrl: BASE,
            systemIds: (filled ?? (await cockpitSystems())).map((system) => system.id),
            fill: filled === null,
        });
    }

    let sustained = null;
    if (want("sustained")) {
        sustained = await benchSustained({
            db: DB,
            createSystem: (name) => createSystem(client, name),
            seconds: SUSTAINED_SECONDS,
            concurrency: CONCURRENCY,
            odooPgid: odoo.pid,
        });
    }

    let outbound = null;
    if (want("outbound")) {
        console.log("\nOutbound events: the outbox vs Odoo's webhook server action, one receiver");
        outbound = await benchOutbound({
            client,
            db: DB,
            messages: OUTBOUND_MESSAGES,
            rateMessages: OUTBOUND_RATE_MESSAGES,
            outageSeconds: OUTBOUND_OUTAGE_SECONDS,
        });
    }

    let month = null;
    if (want("month")) {
        month = await benchMonth({
            db: DB,
            client,
            createSystem: (name) => createSystem(client, name),
        });
    }

    let twoNodes = null;
    if (want("two-nodes")) {
        const SECOND_PORT = PORT + 2;
        const [second] = await spawnOdoo(SECOND_PORT);
        try {
            twoNodes = await benchTwoNodes({
                db: DB,
                urls: [BASE, `http://127.0.0.1:${SECOND_PORT}`],
                createSystem: (name) => createSystem(client, name),
                seconds: TWO_NODES_SECONDS,
                concurrency: CONCURRENCY,
            });
        } finally {
            await stopNode(second, "SIGTERM");
        }
    }

    let reconcile = null;
    if (want("reconcile")) {
        // Last: it adds 100 000 projects to the database.
        reconcile = await benchReconcile({
            client,
            db: DB,
            baseUrl: BASE,
            odooPgid: odoo.pid,
            objects: RECONCILE_OBJECTS,
        });
    }

    const targets = [
        ...(want("intake")
            ? [
                  ["single intake vs JSON-RPC create", single / jsonrpc, 3],
                  ["single intake vs trivial route", single / trivial, 0.5],
                  ["single intake, rate limit on vs off", single / singleUnlimited, 0.9],
                  ["batch intake vs JSON-RPC create", batch / jsonrpc, 30],
              ]
            : []),
        ...(want("processing")
            ? [
                  ["processing vs JSON-RPC create", processing / jsonrpc, 2],
                  ["processing (one cron worker) vs ORM ceiling", processingOne / ceiling, 0.8],
                  ["processing, two cron workers vs one", processing / processingOne, 1.6],
              ]
            : []),
        ...(sustained
            ? [
                  [
                      `sustained: last ${sustained.window} s vs first`,
                      sustained.last / sustained.first,
                      0.9,
                  ],
              ]
            : []),
    ];
    console.log(ONLY.length ? `\nTargets (only ${ONLY.join(", ")})` : "\nTargets");
    let ok = lost === 0 && duplicated === 0;
    const check = (label, pass, value) => {
        ok &&= pass;
        console.log(`  ${label.padEnd(36)} ${value}  ${pass ? "ok" : "MISSED"}`);
    };
    check(
        "PostgreSQL durable defaults",
        durability.every(([, value]) => value === "on"),
        durability.map(([name, value]) => `${name}=${value}`).join(" ")
    );
    for (const [label, ratio, target] of targets) {
        const pass = ratio >= target;
        ok &&= pass;
        console.log(
            `  ${label.padEnd(36)} ${ratio.toFixed(2).padStart(7)}x  (>= ${target}x)  ${pass ? "ok" : "MISSED"}`
        );
    }
    if (cockpit) {
        for (const [label, ms] of cockpit.calls) {
            const pass = ms < 150;
            ok &&= pass;
            console.log(
                `  cockpit ${label.padEnd(28)} ${ms.toFixed(0).padStart(7)} ms (< 150 ms)  ${pass ? "ok" : "MISSED"}`
            );
        }
        ok &&= cockpit.render < 1000;
        console.log(
            `  cockpit first render${" ".repeat(17)}${cockpit.render.toFixed(0).padStart(7)} ms (< 1000 ms)  ${cockpit.render < 1000 ? "ok" : "MISSED"}`
        );
    }
    if (firstApplied !== null) {
        console.log(
            `  kill -9: ${lost} lost, ${duplicated} duplicated${" ".repeat(14)}${lost === 0 && duplicated === 0 ? "ok" : "MISSED"}`
        );
        check(
            "kill -9: restart to first applied",
            firstApplied < 10,
            `${firstApplied.toFixed(1).padStart(7)} s  (< 10 s after /web/health)`
        );
    }
    if (flood) {
        check(
            "signed intake under malformed flood",
            flood.ratio >= 0.8,
            `${flood.ratio.toFixed(2).padStart(7)}x  (>= 0.8x of its rate alone)`
        );
    }
    if (restart) {
        check(
            "PostgreSQL restart",
            restart.ok,
            `${restart.deliveries} deliveries, ${restart.bad} answers not 202/200 duplicate/503 with Retry-After/429, every 202 and every delivery stored once`
        );
    }
    if (sustained) {
        check(
            "sustained: Odoo RSS growth",
            sustained.rssGrowth < 50 && sustained.queued === 0,
            `${sustained.rssGrowth.toFixed(0).padStart(7)} MB (< 50 MB while ${sustained.drained.toLocaleString("en")} events drained)`
        );
    }
    for (const { label, ms, target, ok: passed } of operations) {
        check(label, passed, `${ms.toFixed(0).padStart(7)} ms (< ${target} ms)`);
    }
    for (const { name, ok: passed, detail } of outbound?.targets ?? []) {
        check(`outbound: ${name}`, passed, detail);
    }
    if (month) {
        check(
            "a contractor's month",
            month.seconds < 600,
            `${month.seconds.toFixed(0).padStart(7)} s  (< 600 s for ${month.total.toLocaleString("en")} events${month.crewHours ? "" : ", no crew hours: construction_timesheet missing"})`
        );
        for (const [type, rate, state] of month.rates) {
            check(
                `  ${type}`,
                rate >= 20 && state.failed === 0,
                `${rate.toFixed(1).padStart(7)} /s (>= 20 /s${state.failed ? `, ${state.failed} NOT applied` : ""})`
            );
        }
    }
    for (const { name, ok: passed, detail } of reconcile?.targets ?? []) {
        check(`reconciliation: ${name}`, passed, detail);
    }
    if (twoNodes) {
        check(
            "two nodes: lost / duplicated",
            twoNodes.ok,
            `${twoNodes.lost} / ${twoNodes.duplicated} of ${twoNodes.messages} messages`
        );
    }
    await killOdoo("SIGTERM");
    process.exitCode = ok ? 0 : 1;
}

async function leaseSeconds(client) {
    const value = await client.call("ir.config_parameter", "get_param", [
        "construction_sync.lease_seconds",
    ]);
    return value ? `${value} s (construction_sync.lease_seconds)` : "300 s (the default)";
}

/** Prints the conditions of the run; returns the PostgreSQL durability settings. */
async function printSettings(client) {
    const names = ["fsync", "synchronous_commit", "full_page_writes"];
    const durability = [];
    for (const name of names) {
        const [[value]] = await sql(DB, `SHOW ${name}`);
        durability.push([name, value]);
    }
    const flood = await client.call("ir.config_parameter", "get_param", [
        "construction_sync.unauthenticated_per_minute",
    ]);
    console.log("\nConditions");
    console.log(
        `  PostgreSQL: the bench's own cluster on ${process.env.CSYNC_PGHOST}:${process.env.CSYNC_PGPORT}; ${durability.map(([name, value]) => `${name} = ${value}`).join(", ")}`
    );
    console.log(
        `  Odoo: 2 HTTP workers, 2 cron workers; runner lease ${await leaseSeconds(client)}`
    );
    console.log(
        `  rate limit on: every system accepts ${RATE_LIMIT.toLocaleString("en")} signed deliveries a minute (every delivery counted: in each worker's memory, written every 0.2 s, while under half of it)`
    );
    console.log(
        `  unauthenticated refusals per address and minute: ${flood || "the default"} (construction_sync.unauthenticated_per_minute)`
    );
    return durability;
}

main().catch(async (error) => {
    console.error(error);
    try {
        await killOdoo("SIGKILL");
    } catch {
        // already gone
    }
    process.exit(2);
});
