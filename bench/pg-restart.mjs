// Deliveries answered during a PostgreSQL restart: a few senders deliver signed events without
// pause while the bench cluster is stopped (scripts/pg stop, a fast shutdown: every session is
// cut) and started again. Every answer must be a 202, a 503 service_unavailable with Retry-After
// (the database is unreachable, nothing was stored), a 200 duplicate (a retry of a delivery whose
// first attempt was stored) or a 429: never a 404, a 500 or an HTML page. The senders retry as
// Standard Webhooks senders do (bench/sender.mjs); afterwards every delivery answered 202 must be
// stored exactly once, and every delivery must be stored in the end.
import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import { partnerEvent } from "./sender.mjs";
import { sql } from "./sql.mjs";

const ROOT = new URL("..", import.meta.url).pathname;

function pg(command) {
    return new Promise((resolve, reject) => {
        execFile("bash", [`${ROOT}scripts/pg`, command], (error, stdout, stderr) =>
            error
                ? reject(new Error(`scripts/pg ${command}: ${stderr || error.message}`))
                : resolve()
        );
    });
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export async function benchPgRestart({ db, createSystem, senders = 4, before = 3, after = 5 }) {
    console.log(
        `\nPostgreSQL restart while ${senders} senders deliver signed events (scripts/pg stop, then start)`
    );
    const system = await createSystem("Benchmark PostgreSQL restart");
    const sender = system.sender();
    const answers = [];
    const deliveries = [];
    let sending = true;
    const loop = async () => {
        while (sending) {
            const msgId = `msg_${randomUUID()}`;
            const result = await sender.deliver(msgId, partnerEvent("Restart Partner"), {
                onAnswer: (answer) => answers.push({ msgId, ...answer }),
            });
            deliveries.push({ msgId, ...result });
        }
    };
    const loops = Array.from({ length: senders }, loop);
    await sleep(before * 1000);
    const stopAt = Date.now();
    await pg("stop");
    const stoppedAt = Date.now();
    await pg("start");
    const startedAt = Date.now();
    await sleep(after * 1000);
    sending = false;
    await Promise.all(loops);
    const endAt = Date.now();
    console.log(
        `  stop took ${((stoppedAt - stopAt) / 1000).toFixed(1)} s, start ${((startedAt - stoppedAt) / 1000).toFixed(1)} s; senders ran ${((endAt - stopAt) / 1000 + before).toFixed(0)} s`
    );

    const tally = new Map();
    let duringOutage = 0;
    let bad = 0;
    for (const answer of answers) {
        const key = `${answer.status || "-"} ${answer.code}${answer.status === 503 || answer.status === 429 ? (answer.retryAfter ? ` (Retry-After ${answer.retryAfter})` : " (no Retry-After)") : ""}`;
        tally.set(key, (tally.get(key) ?? 0) + 1);
        if (answer.at >= stopAt && answer.at <= startedAt) duringOutage += 1;
        const fine =
            answer.status === 202 ||
            (answer.status === 200 && answer.code === "duplicate") ||
            (answer.status === 503 && answer.code === "service_unavailable" && answer.retryAfter) ||
            answer.status === 429;
        if (!fine) bad += 1;
    }
    const retried = deliveries.filter((delivery) => delivery.attempts > 1).length;
    const givenUp = deliveries.filter((delivery) => !delivery.stored).length;
    console.log(
        `  ${deliveries.length} deliveries, ${answers.length} answers (${duringOutage} while the cluster was down or starting), ${retried} deliveries needed a retry`
    );
    for (const [key, n] of [...tally].sort((a, b) => b[1] - a[1])) {
        console.log(`    ${key.padEnd(44)} ${String(n).padStart(6)}`);
    }

    // Exactly once, read from the database: every id answered 202 is stored once, and so is
    // every delivery (the unique constraint makes "more than once" impossible; counted anyway).
    const rows = await sql(
        db,
        `SELECT webhook_id, count(*) FROM construction_sync_event WHERE system_id = ${system.id} GROUP BY webhook_id`
    );
    const stored = new Map(rows.map(([webhookId, n]) => [webhookId, Number(n)]));
    const accepted = new Set(answers.filter((a) => a.status === 202).map((a) => a.msgId));
    const acceptedMissing = [...accepted].filter((id) => stored.get(id) !== 1).length;
    const notStored = deliveries.filter((delivery) => stored.get(delivery.msgId) !== 1).length;
    const delivered = new Set(deliveries.map((delivery) => delivery.msgId));
    const strangers = rows.filter(([webhookId]) => !delivered.has(webhookId)).length;
    console.log(
        `  answered 202: ${accepted.size}, of which not stored exactly once: ${acceptedMissing}; deliveries not stored in the end: ${notStored} (${givenUp} given up); stored rows not delivered: ${strangers}`
    );

    // Not a target: the runners after the restart (their connections were cut too).
    const drainStart = Date.now();
    let left = Infinity;
    while (Date.now() - drainStart < 180_000) {
        left = Number(
            (
                await sql(
                    db,
                    `SELECT count(*) FROM construction_sync_event WHERE system_id = ${system.id} AND state <> 'done'`
                )
            )[0][0]
        );
        if (left === 0) break;
        await sleep(250);
    }
    console.log(
        left === 0
            ? `  every event of the run applied ${((Date.now() - startedAt) / 1000).toFixed(1)} s after the cluster was back`
            : `  ${left} events still not done ${((Date.now() - startedAt) / 1000).toFixed(0)} s after the cluster was back`
    );
    return {
        ok: bad === 0 && acceptedMissing === 0 && notStored === 0 && strangers === 0,
        bad,
        deliveries: deliveries.length,
        retried,
    };
}
