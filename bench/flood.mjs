// Signed intake while malformed, unsigned deliveries flood in: the signed single-delivery rate
// alone and while another sender posts BENCH_FLOOD_PER_MINUTE (default 1 000) malformed
// deliveries a minute at a steady pace (garbage JSON, missing signature headers, wrong
// signatures, to the signed system's code, to another system's and to an unknown one). The two
// alternate, each on a fresh system (the authenticated rate limit counts a system's deliveries of
// the last minute, so a system that already took a measurement's deliveries would count more).
//
// The flood comes from another loopback address (127.0.0.2 by default, BENCH_FLOOD_ADDRESS), as
// an attacker's would: Odoo's unauthenticated budget counts refusals per source address and
// trusts an address that sent a signed delivery recently, so garbage from the signed sender's own
// address would not be a flood from "an unsigned source".
import { randomBytes, randomUUID } from "node:crypto";
import http from "node:http";
import { clearTimeout } from "node:timers";
import { Webhook } from "standardwebhooks";
import { request } from "./odoo-client.mjs";
import { classify, partnerEvent } from "./sender.mjs";

const ADDRESS = process.env.BENCH_FLOOD_ADDRESS ?? "127.0.0.2";

function wrongSigner() {
    return new Webhook(`whsec_${randomBytes(32).toString("base64")}`);
}

/** The malformed deliveries, sent in turn: [label, code key, path, headers, body]. */
function garbageKinds() {
    const json = { "Content-Type": "application/json" };
    const forged = (body) => {
        const msgId = `msg_${randomUUID()}`;
        const now = new Date();
        return {
            ...json,
            "webhook-id": msgId,
            "webhook-timestamp": String(Math.floor(now.getTime() / 1000)),
            "webhook-signature": wrongSigner().sign(msgId, now, body),
        };
    };
    return [
        () => [
            "garbage JSON, unsigned",
            "same",
            "",
            json,
            '{"type": "partner.upserted", "data": {',
        ],
        () => ["event without signature headers", "other", "", json, partnerEvent("Garbage")],
        () => {
            const body = `\u0000${randomBytes(64).toString("base64")}`;
            return ["garbage JSON, wrong signature", "same", "", forged(body), body];
        },
        () => {
            const body = partnerEvent("Garbage");
            return ["event, wrong signature", "other", "", forged(body), body];
        },
        () => {
            const body = JSON.stringify({ events: [JSON.parse(partnerEvent("Garbage"))] });
            return ["batch, wrong signature", "same", "/batch", forged(body), body];
        },
        () => {
            const body = partnerEvent("Garbage");
            return ["event, wrong signature, unknown code", "unknown", "", forged(body), body];
        },
        () => [
            "event with a stale timestamp",
            "same",
            "",
            { ...forged("{}"), "webhook-timestamp": "1000000000" },
            "{}",
        ],
    ];
}

/** Starts posting `perMinute` malformed deliveries a minute; stop() resolves to what was sent
 * and how it was answered once the ones in flight are answered. */
export function startGarbage({ baseUrl, codes, perMinute }) {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 64, localAddress: ADDRESS });
    const kinds = garbageKinds();
    const interval = 60_000 / perMinute;
    const inFlight = new Set();
    const answers = new Map();
    const started = Date.now();
    let sent = 0;
    let stopped = false;
    let timer = null;
    const count = (key) => answers.set(key, (answers.get(key) ?? 0) + 1);
    const fire = () => {
        const [, codeKey, path, headers, body] = kinds[sent % kinds.length]();
        sent += 1;
        const url = `${baseUrl}/construction_sync/webhook/${codes[codeKey]}${path}`;
        const pending = request(url, { method: "POST", headers, body, agent, timeout: 60_000 })
            .then((response) => {
                const { status, code } = classify(response);
                count(`${status} ${code}`);
            })
            .catch((error) => count(`network error (${error.code ?? error.message})`))
            .finally(() => inFlight.delete(pending));
        inFlight.add(pending);
    };
    const tick = () => {
        if (stopped) return;
        // A steady pace whatever the answers' delays: each due delivery is sent on time.
        while (sent <= (Date.now() - started) / interval) {
            fire();
        }
        timer = setTimeout(tick, Math.max(1, started + sent * interval - Date.now()));
    };
    tick();
    return {
        async stop() {
            stopped = true;
            clearTimeout(timer);
            const seconds = (Date.now() - started) / 1000;
            await Promise.allSettled([...inFlight]);
            agent.destroy();
            return { sent, seconds, answers };
        },
    };
}

export async function benchFlood({ baseUrl, createSystem, run, seconds, perMinute, otherCode }) {
    console.log(
        `\nSigned intake while ${perMinute} malformed unsigned deliveries a minute arrive from ${ADDRESS} (${seconds} s each after 1 s warm-up, alternating)`
    );
    const rates = { alone: [], flood: [] };
    const answers = new Map();
    let sent = 0;
    let floodSeconds = 0;
    let failures = 0;
    for (const round of [1, 2]) {
        for (const flooded of [false, true]) {
            const system = await createSystem(`Benchmark flood ${round}${flooded ? "f" : "a"}`);
            await system.setMode("batch");
            const sender = system.sender();
            const garbage = flooded
                ? startGarbage({
                      baseUrl,
                      codes: { same: system.code, other: otherCode, unknown: "no-such-system" },
                      perMinute,
                  })
                : null;
            const result = await run(async () => {
                const answer = await sender.attempt(`msg_${randomUUID()}`, partnerEvent("Flood"));
                if (answer.status !== 202) throw new Error(`${answer.status} ${answer.code}`);
                return 1;
            });
            if (garbage) {
                const flood = await garbage.stop();
                sent += flood.sent;
                floodSeconds += flood.seconds;
                for (const [key, n] of flood.answers) answers.set(key, (answers.get(key) ?? 0) + n);
            }
            failures += result.failures;
            rates[flooded ? "flood" : "alone"].push(result.rate);
            console.log(
                `  ${`signed single deliveries, ${flooded ? "under the flood" : "alone"} (round ${round})`.padEnd(46)} ${result.rate.toFixed(1).padStart(9)} /s${result.failures ? `  (${result.failures} failed: ${result.firstFailure})` : ""}`
            );
        }
    }
    const mean = (values) => values.reduce((a, b) => a + b, 0) / values.length;
    const alone = mean(rates.alone);
    const flood = mean(rates.flood);
    console.log(
        `  signed alone ${alone.toFixed(1)} /s, under the flood ${flood.toFixed(1)} /s: ${((flood / alone) * 100).toFixed(0)} %`
    );
    console.log(
        `  malformed deliveries sent: ${sent} in ${floodSeconds.toFixed(0)} s (${((sent / floodSeconds) * 60).toFixed(0)} a minute), answered:`
    );
    for (const [key, n] of [...answers].sort((a, b) => b[1] - a[1])) {
        console.log(`    ${key.padEnd(44)} ${String(n).padStart(6)}`);
    }
    return { alone, flood, ratio: flood / alone, failures, answers };
}
