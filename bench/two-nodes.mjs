// Two Odoo servers (separate process groups and ports) on one database, as two nodes behind a
// proxy: each receives half of the senders, and every tenth delivery is also sent to the other
// node at the same moment with the same webhook-id (a sender retrying through another node, or a
// proxy replaying a request). Both nodes' runners apply the events. Nothing may be stored or
// applied twice, nothing lost; each node's figures are printed.
import { randomUUID } from "node:crypto";
import { partnerEvent } from "./sender.mjs";
import { sql } from "./sql.mjs";

export async function benchTwoNodes({ db, urls, createSystem, seconds, concurrency }) {
    console.log(
        `\nTwo Odoo nodes on one database (${urls.join(", ")}): ${seconds} s, ${concurrency} senders split between them, every tenth delivery sent to both at once with one webhook-id`
    );
    const system = await createSystem("Benchmark two nodes");
    const prefix = `Two nodes ${randomUUID().slice(0, 8)}`;
    const senders = urls.map((url) => system.sender(url));
    const perNode = urls.map(() => ({ accepted: 0, duplicate: 0, other: 0, firstOther: "" }));
    const sent = new Set();
    const end = Date.now() + seconds * 1000;
    const loop = async (lane) => {
        let n = 0;
        while (Date.now() < end) {
            const msgId = `msg_${randomUUID()}`;
            const body = partnerEvent(prefix);
            sent.add(msgId);
            n += 1;
            const own = lane % urls.length;
            const nodes = n % 10 === 0 ? [own, (own + 1) % urls.length] : [own];
            const answers = await Promise.all(
                nodes.map((node) =>
                    senders[node].attempt(msgId, body).catch((error) => ({
                        status: 0,
                        code: String(error.code ?? error.message),
                    }))
                )
            );
            nodes.forEach((node, i) => {
                const answer = answers[i];
                const figures = perNode[node];
                if (answer.status === 202) figures.accepted += 1;
                else if (answer.status === 200 && answer.code === "duplicate")
                    figures.duplicate += 1;
                else {
                    figures.other += 1;
                    figures.firstOther ||= `${answer.status} ${answer.code}`;
                }
            });
        }
    };
    const started = Date.now();
    await Promise.all(Array.from({ length: concurrency }, (_, lane) => loop(lane)));
    const elapsed = (Date.now() - started) / 1000;
    urls.forEach((url, node) => {
        const f = perNode[node];
        console.log(
            `  node ${node + 1} (${url}): ${f.accepted} accepted (${(f.accepted / elapsed).toFixed(1)} /s), ${f.duplicate} answered duplicate${f.other ? `, ${f.other} other answers (first: ${f.firstOther})` : ""}`
        );
    });
    const waitStart = Date.now();
    let left = 1;
    while (left > 0 && Date.now() - waitStart < 900_000) {
        await new Promise((resolve) => setTimeout(resolve, 500));
        left = Number(
            (
                await sql(
                    db,
                    `SELECT count(*) FROM construction_sync_event WHERE system_id = ${system.id} AND state IN ('pending', 'processing')`
                )
            )[0][0]
        );
    }
    const [[stored, done, distinctIds]] = await sql(
        db,
        `SELECT count(*), count(*) FILTER (WHERE state = 'done'), count(DISTINCT webhook_id)
           FROM construction_sync_event WHERE system_id = ${system.id}`
    );
    const [[applications]] = await sql(
        db,
        `SELECT count(*) FROM construction_sync_audit a JOIN construction_sync_event e ON e.id = a.event_id
          WHERE e.system_id = ${system.id} AND a.action = 'done'`
    );
    const [[partners]] = await sql(
        db,
        `SELECT count(*) FROM res_partner WHERE name LIKE '${prefix} %'`
    );
    const accepted = perNode.reduce((sum, f) => sum + f.accepted, 0);
    const lost = sent.size - Number(done);
    const duplicated =
        Number(stored) -
        Number(distinctIds) +
        (Number(applications) - Number(done)) +
        (Number(partners) - Number(done)) +
        (accepted - sent.size);
    console.log(
        `  ${sent.size} messages (a tenth sent to both nodes): ${stored} stored, ${done} applied, ${applications} applications audited, ${partners} partners; ${left} still queued after ${((Date.now() - waitStart) / 1000).toFixed(1)} s`
    );
    console.log(`  lost: ${lost}   duplicated: ${duplicated}`);
    return {
        lost,
        duplicated,
        perNode,
        messages: sent.size,
        ok: lost === 0 && duplicated === 0 && left === 0,
    };
}
