// Sustained intake, as a busy day runs it: BENCH_SUSTAINED_SECONDS (default 600) of signed single
// deliveries flat out from most senders while one sender posts a batch of 100 every 2 s, into a
// system in real time mode whose rate limit is on, on an event table that already holds the
// cockpit's 1 000 000 events, while the runners apply events as they arrive. Reports the accepted
// rate per minute (the last at least 90 % of the first: the limiter and the intake cost the same
// at any volume), then drains the queue and reports Odoo's memory (RSS of every Odoo process,
// summed) from the start until 100 000 events were applied: growth under 50 MB.
import { execFileSync } from "node:child_process";
import { setInterval, clearInterval } from "node:timers";
import { randomUUID } from "node:crypto";
import { partnerEvent } from "./sender.mjs";
import { sql } from "./sql.mjs";

const BATCH = 100;
const BATCH_EVERY_MS = 2000;
const DRAINED = 100_000;

/** Resident memory of every process in Odoo's process group (prefork master, HTTP and cron
 * workers), in MB. Workers recycled by Odoo's own limits come and go; the sum is what the
 * machine gives Odoo. */
export function odooRss(pgid) {
    const out = execFileSync("ps", ["-o", "rss=", "-g", String(pgid)], { encoding: "utf8" });
    return out
        .split("\n")
        .filter((line) => line.trim())
        .reduce((sum, line) => sum + Number(line) / 1024, 0);
}

function batchBody(prefix) {
    const timestamp = new Date().toISOString();
    return JSON.stringify({
        events: Array.from({ length: BATCH }, () => {
            const tag = randomUUID();
            return {
                id: `evt_${tag}`,
                type: "partner.upserted",
                timestamp,
                data: { id: tag, name: `${prefix} ${tag}`, kind: "vendor" },
            };
        }),
    });
}

export async function benchSustained({ db, createSystem, seconds, concurrency, odooPgid }) {
    const window = seconds >= 120 ? 60 : 10;
    const existing = (await sql(db, "SELECT count(*) FROM construction_sync_event"))[0][0];
    console.log(
        `\nSustained intake: ${seconds} s, ${concurrency - 1} senders of single deliveries flat out and one batch of ${BATCH} every ${BATCH_EVERY_MS / 1000} s, rate limit on, processed in real time, on ${Number(existing).toLocaleString("en")} stored events`
    );
    const system = await createSystem("Benchmark sustained");
    const sender = system.sender();
    const perSecond = new Array(seconds).fill(0);
    let failures = 0;
    let firstFailure = "";
    const rssStart = odooRss(odooPgid);
    let rssPeak = rssStart;
    const start = Date.now();
    const end = start + seconds * 1000;
    const count = (events) => {
        const second = Math.floor((Date.now() - start) / 1000);
        if (second < seconds) perSecond[second] += events;
    };
    const attempt = async (body, path, events) => {
        try {
            const answer = await sender.attempt(`msg_${randomUUID()}`, body, { path });
            if (answer.status !== 202) throw new Error(`${answer.status} ${answer.code}`);
            count(events);
        } catch (error) {
            failures += 1;
            firstFailure ||= String(error);
        }
    };
    const singles = async () => {
        while (Date.now() < end) await attempt(partnerEvent("Sustained"), "", 1);
    };
    const batches = async () => {
        while (Date.now() < end) {
            const next = Date.now() + BATCH_EVERY_MS;
            await attempt(batchBody("Sustained batch"), "/batch", BATCH);
            await new Promise((resolve) => setTimeout(resolve, Math.max(0, next - Date.now())));
        }
    };
    const sampler = setInterval(() => {
        rssPeak = Math.max(rssPeak, odooRss(odooPgid));
    }, 5000);
    await Promise.all([batches(), ...Array.from({ length: concurrency - 1 }, singles)]);
    const stoppedAt = Date.now();
    const state = async () => {
        const [[queued, lag, done]] = await sql(
            db,
            `SELECT count(*) FILTER (WHERE state IN ('pending', 'processing')),
                    coalesce(extract(epoch FROM (now() at time zone 'utc')
                        - min(received_at) FILTER (WHERE state IN ('pending', 'processing'))), 0),
                    count(*) FILTER (WHERE state = 'done')
               FROM construction_sync_event WHERE system_id = ${system.id}`
        );
        return { queued: Number(queued), lag: Number(lag), done: Number(done) };
    };
    const atStop = await state();
    const windows = [];
    for (let i = 0; i + window <= seconds; i += window) {
        windows.push(perSecond.slice(i, i + window).reduce((a, b) => a + b, 0) / window);
    }
    const total = perSecond.reduce((a, b) => a + b, 0);
    const first = windows[0];
    const last = windows[windows.length - 1];
    const line = (label, value, note = "") =>
        console.log(`  ${label.padEnd(46)} ${value.toFixed(1).padStart(9)} /s${note}`);
    line(`first ${window} s`, first);
    line(`last ${window} s`, last, `  (${((last / first) * 100).toFixed(0)} % of the first)`);
    line(`whole ${seconds} s`, total / seconds, `  (${total} events accepted)`);
    console.log(`  per ${window} s: ${windows.map((rate) => rate.toFixed(0)).join(", ")} /s`);
    if (failures) console.log(`  ${failures} deliveries failed: ${firstFailure}`);
    console.log(
        `  when the senders stopped: ${atStop.done} applied, ${atStop.queued} queued, the oldest queued received ${atStop.lag.toFixed(1)} s before`
    );
    // Drained: until the queue is empty, and at least until 100 000 events of this run are applied
    // when the run stored that many.
    let now = atStop;
    let rssAtDrained = null;
    while (Date.now() - stoppedAt < 1_800_000) {
        if (rssAtDrained === null && now.done >= Math.min(DRAINED, total)) {
            rssAtDrained = odooRss(odooPgid);
        }
        if (now.queued === 0) break;
        await new Promise((resolve) => setTimeout(resolve, 1000));
        now = await state();
        rssPeak = Math.max(rssPeak, odooRss(odooPgid));
    }
    clearInterval(sampler);
    rssAtDrained ??= odooRss(odooPgid);
    const drainSeconds = (Date.now() - stoppedAt) / 1000;
    console.log(
        `  queue empty ${drainSeconds.toFixed(1)} s after the senders stopped${now.queued ? ` (NOT: ${now.queued} left)` : ""}; ${now.done} applied in all, ${(now.done / ((Date.now() - start) / 1000)).toFixed(1)} /s from the first delivery`
    );
    const drained = Math.min(DRAINED, now.done);
    console.log(
        `  Odoo RSS (all processes): ${rssStart.toFixed(0)} MB at the start, ${rssAtDrained.toFixed(0)} MB when ${drained.toLocaleString("en")} events were applied (${(rssAtDrained - rssStart).toFixed(0)} MB growth), peak ${rssPeak.toFixed(0)} MB`
    );
    return {
        first,
        last,
        window,
        total: total / seconds,
        drained,
        queued: now.queued,
        rssGrowth: rssAtDrained - rssStart,
        failures,
    };
}
