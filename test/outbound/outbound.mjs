// Outbound delivery survives kill -9 of Odoo mid-delivery: messages already committed in the
// outbox are being sent by the runner (an Odoo process with cron only) when it is killed with
// SIGKILL while the receiver holds one request open. A new runner re-delivers the messages the
// dead one had claimed, with the same webhook-id; the receiver (test/outbound/receiver.mjs,
// verifying with the standardwebhooks library) dedupes; every message arrives, none twice.
//
// Run by scripts/test (tier outbound), which installs test_construction_sync in a database,
// creates a subscription to http://127.0.0.1:RECEIVER_PORT/hook and publishes the messages.
// Prints "ok - NAME" / "not ok - NAME: WHY" per assertion; exits non-zero when one failed.
// Environment:
//   CSYNC_OUTBOUND_DB             the database
//   CSYNC_OUTBOUND_RECEIVER_PORT  loopback port of the receiver this script starts
//   CSYNC_OUTBOUND_SECRET         the subscription's signing secret
//   CSYNC_OUTBOUND_LOG_DIR        where the runners' logs go
//   CSYNC_ROOT                    the repository (scripts/odoo, scripts/pg)
import { execFileSync, spawn } from "node:child_process";
import { createWriteStream } from "node:fs";
import http from "node:http";
import path from "node:path";

const env = (name) => {
    const value = process.env[name];
    if (!value) {
        console.log(`not ok - setup: ${name} is not set`);
        process.exit(1);
    }
    return value;
};
const db = env("CSYNC_OUTBOUND_DB");
const port = Number(env("CSYNC_OUTBOUND_RECEIVER_PORT"));
const secret = env("CSYNC_OUTBOUND_SECRET");
const root = env("CSYNC_ROOT");
const logDir = process.env.CSYNC_OUTBOUND_LOG_DIR || "/tmp";
const receiverUrl = `http://127.0.0.1:${port}`;

let failures = 0;
const check = (name, ok, why) => {
    if (ok) {
        console.log(`ok - ${name}`);
    } else {
        failures += 1;
        console.log(`not ok - ${name}: ${why}`);
    }
};
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const psql = (sql, database = db) =>
    execFileSync(path.join(root, "scripts/pg"), ["psql", "-d", database, "-qtAX", "-c", sql], {
        env: { ...process.env, PGOPTIONS: "-c client_min_messages=warning" },
    })
        .toString()
        .trim();
// node:http: the project's eslint setup knows no fetch global.
const receiverCall = (path, body) =>
    new Promise((resolve, reject) => {
        const req = http.request(
            `${receiverUrl}${path}`,
            { method: body ? "POST" : "GET" },
            (res) => {
                const chunks = [];
                res.on("data", (chunk) => chunks.push(chunk));
                res.on("end", () => resolve(JSON.parse(Buffer.concat(chunks).toString("utf8"))));
            }
        );
        req.on("error", reject);
        req.end(body ? JSON.stringify(body) : undefined);
    });
const control = (body) => receiverCall("/_control", body);
const receiverState = () => receiverCall("/_state");

const startReceiver = () =>
    new Promise((resolve, reject) => {
        const child = spawn("node", [
            path.join(root, "test/outbound/receiver.mjs"),
            "--port",
            String(port),
            "--secret",
            secret,
        ]);
        child.stdout.once("data", (data) =>
            String(data).startsWith("listening") ? resolve(child) : reject(new Error(String(data)))
        );
        child.once("exit", (code) => reject(new Error(`receiver exited with ${code}`)));
    });

// A runner as production has them: an Odoo process with one cron thread and no HTTP.
const startRunner = (name) => {
    const log = createWriteStream(path.join(logDir, `outbound-${name}.log`));
    const child = spawn(
        path.join(root, "scripts/odoo"),
        ["-d", db, "--no-http", "--max-cron-threads", "1"],
        {
            stdio: ["ignore", "pipe", "pipe"],
        }
    );
    child.stdout.pipe(log);
    child.stderr.pipe(log);
    return child;
};

// The cron thread waits up to a minute between polls; a NOTIFY wakes it (a runner not listening
// yet misses it, so it is sent until `done` says the work happened).
const nudgeUntil = async (done, seconds) => {
    const deadline = Date.now() + seconds * 1000;
    while (Date.now() < deadline) {
        if (await done()) return true;
        psql("NOTIFY cron_trigger", "postgres");
        await sleep(500);
    }
    return done();
};

const countByState = () =>
    Object.fromEntries(
        psql("SELECT state, count(*) FROM construction_sync_outbox GROUP BY state")
            .split("\n")
            .filter(Boolean)
            .map((row) => row.split("|"))
            .map(([state, count]) => [state, Number(count)])
    );

const main = async () => {
    const receiver = await startReceiver();
    const published = psql("SELECT webhook_id FROM construction_sync_outbox ORDER BY id")
        .split("\n")
        .filter(Boolean);
    check(
        "messages are waiting in the outbox",
        published.length >= 10,
        `found ${published.length}`
    );
    // The first request is held open for a long time: the runner is killed while it waits.
    await control({ reset: true, rules: [{ status: 200, delay_ms: 15000, times: 1 }] });

    let runner = startRunner("runner-1");
    const inFlight = await nudgeUntil(async () => (await receiverState()).requests.length > 0, 120);
    check(
        "the first runner started delivering",
        inFlight,
        "the receiver got no request within 120 s"
    );
    const claimed = Number(
        psql(
            "SELECT coalesce(sum(cardinality(message_ids)), 0) FROM construction_sync_outbox_claim"
        )
    );
    runner.kill("SIGKILL");
    await new Promise((resolve) => runner.once("exit", resolve));
    const before = await receiverState();
    const held = before.requests[0]?.webhook_id;
    check(
        "kill -9 while a delivery was in flight",
        claimed > 0 && held,
        `claimed ${claimed} messages, first request ${held}`
    );

    runner = startRunner("runner-2");
    const allDelivered = await nudgeUntil(
        async () => countByState().delivered === published.length,
        180
    );
    const states = countByState();
    check(
        "the next runner delivered every message",
        allDelivered,
        `outbox states ${JSON.stringify(states)}`
    );
    const after = await receiverState();
    const delivered = after.delivered;
    check(
        "each message reached the receiver exactly once (after dedupe)",
        delivered.length === published.length && new Set(delivered).size === published.length,
        `delivered ${delivered.length} distinct ${new Set(delivered).size} of ${published.length}`
    );
    check(
        "nothing lost: the receiver holds every published webhook-id",
        published.every((id) => delivered.includes(id)),
        `missing ${published.filter((id) => !delivered.includes(id)).join(", ")}`
    );
    const heldAgain = after.requests.filter((r) => r.webhook_id === held).length;
    check(
        "the message in flight was sent again with the same webhook-id",
        heldAgain >= 2,
        `sent ${heldAgain} times`
    );
    const interrupted = Number(
        psql(
            "SELECT count(*) FROM construction_sync_outbox_attempt a JOIN construction_sync_outbox m ON m.id = a.message_id" +
                ` WHERE m.webhook_id = '${held}' AND NOT a.success AND a.status = 0`
        )
    );
    check(
        "the message's delivery log shows the attempt the kill cut short",
        interrupted === 1,
        `${interrupted} interrupted attempts logged`
    );
    check(
        "every request verified (standardwebhooks)",
        after.unverified === 0,
        `${after.unverified} unverified`
    );
    console.log(
        `# ${after.requests.length} requests for ${published.length} messages, ${after.duplicates} duplicates deduped`
    );
    runner.kill("SIGTERM");
    await new Promise((resolve) => runner.once("exit", resolve));
    receiver.kill("SIGTERM");
};

main()
    .catch((error) => {
        failures += 1;
        console.log(`not ok - run: ${error.stack || error}`);
    })
    .finally(() => process.exit(failures ? 1 : 0));
