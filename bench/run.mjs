// npm run bench: throughput ratios of the webhook intake and the processor, measured in one run
// against one Odoo (2 HTTP workers, 2 cron workers) on the project's PostgreSQL, and a kill -9
// of every Odoo process while it drains 10 000 events. Started by scripts/bench, which prepares
// the database. Exits 1 when a target is missed.
import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { benchCockpit } from "./cockpit.mjs";
import { OdooClient, request, signer, waitFor } from "./odoo-client.mjs";

const ROOT = new URL("..", import.meta.url).pathname;
const PORT = Number(process.env.BENCH_PORT ?? 8369);
const DB = process.env.BENCH_DB;
const BASE = `http://127.0.0.1:${PORT}`;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
const PROCESS_EVENTS = Number(process.env.BENCH_PROCESS_EVENTS ?? 3000);
const KILL_EVENTS = Number(process.env.BENCH_KILL_EVENTS ?? 10_000);

let odoo = null;

async function startOdoo() {
    odoo = spawn(
        "bash",
        [
            `${ROOT}scripts/odoo`,
            ...["-d", DB, "--http-port", String(PORT), "--http-interface", "127.0.0.1"],
            ...["--workers", "2", "--max-cron-threads", "2", "--log-level", "warn"],
            ...["--limit-time-real", "600", "--limit-time-cpu", "600"],
        ],
        { detached: true, stdio: ["ignore", "inherit", "inherit"] }
    );
    await waitFor(async () => {
        try {
            return (await request(`${BASE}/web/health`)).status === 200;
        } catch {
            return false;
        }
    }, 60_000);
}

function killOdoo(signal) {
    if (odoo) {
        // The whole process group: prefork master, HTTP and cron workers, like a power cut.
        process.kill(-odoo.pid, signal);
        odoo = null;
    }
}

function report(name, rate, note = "") {
    console.log(`  ${name.padEnd(46)} ${rate.toFixed(1).padStart(9)} /s${note}`);
}

async function measure(name, action) {
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
    const rate = units / SECONDS;
    report(name, rate, failures ? `  (${failures} failed: ${firstFailure})` : "");
    if (failures) {
        throw new Error(`${name}: ${failures} requests failed`);
    }
    return rate;
}

async function createSystem(client, name) {
    const code = `bench-${randomUUID().slice(0, 8)}`;
    const id = await client.call("construction.sync.system", "create", [
        { name, code, rate_limit_per_minute: 0, max_body_bytes: 10 * 1024 * 1024 },
    ]);
    const [{ secret }] = await client.call("construction.sync.system", "read", [[id], ["secret"]]);
    const sign = signer(secret);
    const deliver = async (path, body) => {
        const webhookId = `msg_${randomUUID()}`;
        const timestamp = Math.floor(Date.now() / 1000);
        const response = await request(`${BASE}/construction_sync/webhook/${code}${path}`, {
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
    // A short lease so that the restart after kill -9 takes over abandoned events quickly.
    await client.call("ir.config_parameter", "set_param", [
        "construction_sync.lease_seconds",
        "15",
    ]);
    // The intake measurements store events in batch mode; the batch runner must not compete.
    const batchRunner = await client.call("ir.model.data", "check_object_reference", [
        "construction_sync",
        "ir_cron_process_batch",
    ]);
    await client.call("ir.cron", "write", [[batchRunner[1]], { active: false }]);

    console.log(
        `\nThroughput (${SECONDS} s each after 1 s warm-up, ${CONCURRENCY} concurrent clients)`
    );
    const trivial = await measure("trivial auth=none route (GET /web/health)", async () => {
        const response = await request(`${BASE}/web/health`);
        if (response.status !== 200) throw new Error(String(response.status));
        return 1;
    });
    const jsonrpc = await measure("JSON-RPC execute_kw res.partner create", async () => {
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
    const intakeSystem = await createSystem(client, "Benchmark intake");
    await intakeSystem.setMode("batch");
    const single = await measure(
        "webhook intake, 1 event per delivery",
        intakeSystem.single("Intake Partner")
    );
    const batch = await measure(
        "webhook intake, 100 events per delivery",
        intakeSystem.batch("Intake Partner")
    );

    const processSystem = await createSystem(client, "Benchmark processing");
    const started = Date.now();
    for (let i = 0; i < PROCESS_EVENTS / 100; i += 1) {
        await processSystem.batch("Processed Partner")();
    }
    await waitFor(
        async () => (await processSystem.count([["state", "=", "done"]])) >= PROCESS_EVENTS,
        900_000,
        250
    );
    const processing = (PROCESS_EVENTS / (Date.now() - started)) * 1000;
    report(
        "processing partner.upserted into partners",
        processing,
        `  (${PROCESS_EVENTS} events, intake to done)`
    );

    console.log(`\nkill -9 of Odoo while draining ${KILL_EVENTS} events`);
    const killSystem = await createSystem(client, "Benchmark kill");
    const killStart = Date.now();
    for (let i = 0; i < KILL_EVENTS / 100; i += 1) {
        await killSystem.batch("Killed Partner")();
    }
    await waitFor(
        async () => (await killSystem.count([["state", "=", "done"]])) >= KILL_EVENTS / 10,
        900_000,
        100
    );
    const atKill = await killSystem.count([["state", "=", "done"]]);
    killOdoo("SIGKILL");
    console.log(`  killed every Odoo process with ${atKill} of ${KILL_EVENTS} applied; restarting`);
    await startOdoo();
    await client.login();
    await waitFor(
        async () => (await killSystem.count([["state", "in", ["pending", "processing"]]])) === 0,
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
    const lost = KILL_EVENTS - done;
    const duplicated = applications - done + (partners - done);
    console.log(
        `  after restart: ${done} of ${stored} stored events done, ${((Date.now() - killStart) / 1000).toFixed(1)} s after the first delivery`
    );
    console.log(
        `  lost: ${lost}   duplicated: ${duplicated}   (partners ${partners}, applications audited ${applications})`
    );

    const cockpit = await benchCockpit({
        client,
        db: DB,
        baseUrl: BASE,
        systemIds: [intakeSystem.id, processSystem.id, killSystem.id],
    });

    const targets = [
        ["single intake vs JSON-RPC create", single / jsonrpc, 3],
        ["single intake vs trivial route", single / trivial, 0.5],
        ["batch intake vs JSON-RPC create", batch / jsonrpc, 30],
        ["processing vs JSON-RPC create", processing / jsonrpc, 2],
    ];
    console.log("\nTargets");
    let ok = lost === 0 && duplicated === 0;
    for (const [label, ratio, target] of targets) {
        const pass = ratio >= target;
        ok &&= pass;
        console.log(
            `  ${label.padEnd(36)} ${ratio.toFixed(2).padStart(7)}x  (>= ${target}x)  ${pass ? "ok" : "MISSED"}`
        );
    }
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
    console.log(
        `  kill -9: ${lost} lost, ${duplicated} duplicated${" ".repeat(14)}${lost === 0 && duplicated === 0 ? "ok" : "MISSED"}`
    );
    killOdoo("SIGTERM");
    process.exitCode = ok ? 0 : 1;
}

main().catch((error) => {
    console.error(error);
    try {
        killOdoo("SIGKILL");
    } catch {
        // already gone
    }
    process.exit(2);
});
