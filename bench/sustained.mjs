// Sustained intake: single signed deliveries flat out for BENCH_SUSTAINED_SECONDS (default 60)
// into a system in real time mode, so the runners apply events while they arrive, as in
// production. Reports the rate of the first and the last 10 s (and of each 10 s in between), the
// queue depth and the age of the oldest queued event when the senders stop, and how long the
// runners then take to empty the queue. The short bursts above show the peak; this shows what
// holds once the rate limit's one-minute window is full and the runners compete for the machine.
import { randomUUID } from "node:crypto";
import { partnerEvent } from "./sender.mjs";
import { sql } from "./sql.mjs";

const WINDOW = 10;

export async function benchSustained({ db, createSystem, seconds, concurrency }) {
    console.log(
        `\nSustained intake: ${seconds} s of single deliveries flat out (${concurrency} concurrent senders), processed in real time`
    );
    const system = await createSystem("Benchmark sustained");
    const sender = system.sender();
    const perSecond = new Array(seconds).fill(0);
    let failures = 0;
    let firstFailure = "";
    const start = Date.now();
    const end = start + seconds * 1000;
    const loop = async () => {
        while (Date.now() < end) {
            try {
                const answer = await sender.attempt(
                    `msg_${randomUUID()}`,
                    partnerEvent("Sustained")
                );
                if (answer.status !== 202) throw new Error(`${answer.status} ${answer.code}`);
                const second = Math.floor((Date.now() - start) / 1000);
                if (second < seconds) perSecond[second] += 1;
            } catch (error) {
                failures += 1;
                firstFailure ||= String(error);
            }
        }
    };
    await Promise.all(Array.from({ length: concurrency }, loop));
    const stoppedAt = Date.now();
    const [[depth, lag, done]] = await sql(
        db,
        `SELECT count(*) FILTER (WHERE state IN ('pending', 'processing')),
                coalesce(extract(epoch FROM (now() at time zone 'utc')
                    - min(received_at) FILTER (WHERE state IN ('pending', 'processing'))), 0),
                count(*) FILTER (WHERE state = 'done')
           FROM construction_sync_event WHERE system_id = ${system.id}`
    );
    const windows = [];
    for (let i = 0; i + WINDOW <= seconds; i += WINDOW) {
        windows.push(perSecond.slice(i, i + WINDOW).reduce((a, b) => a + b, 0) / WINDOW);
    }
    const total = perSecond.reduce((a, b) => a + b, 0);
    const first = windows[0];
    const last = windows[windows.length - 1];
    const line = (label, value, note = "") =>
        console.log(`  ${label.padEnd(46)} ${value.toFixed(1).padStart(9)} /s${note}`);
    line("first 10 s", first);
    line("last 10 s", last, `  (${((last / first) * 100).toFixed(0)} % of the first 10 s)`);
    line(`whole ${seconds} s`, total / seconds, `  (${total} events)`);
    console.log(`  per 10 s: ${windows.map((rate) => rate.toFixed(0)).join(", ")} /s`);
    if (failures) console.log(`  ${failures} deliveries failed: ${firstFailure}`);
    console.log(
        `  when the senders stopped: ${done} applied, ${depth} queued, the oldest queued received ${Number(lag).toFixed(1)} s before`
    );
    let left = Number(depth);
    while (left > 0 && Date.now() - stoppedAt < 900_000) {
        await new Promise((resolve) => setTimeout(resolve, 250));
        const [[count]] = await sql(
            db,
            `SELECT count(*) FROM construction_sync_event WHERE system_id = ${system.id} AND state IN ('pending', 'processing')`
        );
        left = Number(count);
    }
    console.log(
        `  queue empty ${((Date.now() - stoppedAt) / 1000).toFixed(1)} s after the senders stopped${left ? ` (NOT: ${left} left)` : ""}`
    );
    return {
        first,
        last,
        total: total / seconds,
        depth: Number(depth),
        lag: Number(lag),
        failures,
    };
}
