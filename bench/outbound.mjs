// Outbound events (issue #15) against Odoo's own "Send Webhook Notification" server action
// (ir.actions.server, state webhook: a synchronous POST with a 1 s timeout inside the user's
// transaction, unsigned, never retried), both to the same local receiver
// (test/outbound/receiver.mjs: verifies the outbox's signatures with the standardwebhooks library,
// takes the server action's unsigned posts under /plain, dedupes on webhook-id):
//   (a) what a business transaction gains from publishing: confirming a purchase order and posting
//       an invoice, timed as one JSON-RPC call each (the server action runs the business method,
//       then the webhook action in the same transaction, as an automation rule would), without
//       anything, with the outbox, with the server action; the receiver answers the server
//       action's posts after `latencyMs` (the outbox delivers after commit, so it never waits)
//   (b) deliveries per second of `messages` messages to a receiver answering 2xx at once: the
//       outbound runner (cron, after commit) vs the server action sending the same records one
//       after the other in one request; then the same with a receiver answering in `slowReceiverMs`
//       (a figure: the runner keeps max_in_flight requests open, the server action waits for each)
//   (c) `messages` messages published while the receiver answers 503 (Retry-After
//       `retryAfterSeconds`) for `outageSeconds`, then recovers: every message arrives, none twice
//
// Usage (from bench/run.mjs, once Odoo runs with its cron workers and `client` is logged in as
// admin):
//     import { benchOutbound } from "./outbound.mjs";
//     const outbound = await benchOutbound({ client, db: DB });
//     // outbound.targets: [{name, ok, detail}], outbound.figures: the numbers printed
// Standalone against a running server (logged in as admin):
//     BENCH_URL=http://127.0.0.1:8190 BENCH_DB=mydb node bench/outbound.mjs [outageSeconds]
// The database needs construction_contract (purchase orders, invoices) installed.
import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { performance } from "node:perf_hooks";
import { OdooClient, request, waitFor } from "./odoo-client.mjs";
import { sql } from "./sql.mjs";

const ROOT = new URL("..", import.meta.url).pathname;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function startReceiver(port, secret) {
    return new Promise((resolve, reject) => {
        const child = spawn("node", [
            `${ROOT}test/outbound/receiver.mjs`,
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
}

async function receiverCall(port, path, body) {
    const response = await request(
        `http://127.0.0.1:${port}${path}`,
        body ? { method: "POST", body: JSON.stringify(body) } : {}
    );
    return JSON.parse(response.text);
}

const median = (values) => {
    const sorted = [...values].sort((a, b) => a - b);
    return sorted[Math.floor(sorted.length / 2)];
};

export async function benchOutbound({
    client,
    db,
    receiverPort = 8377,
    transactions = 30,
    latencyMs = 300,
    messages = 2000,
    rateMessages = 10000,
    outageSeconds = 60,
    retryAfterSeconds = 5,
    slowReceiverMs = 20,
    log = console.log,
}) {
    const figures = {};
    const targets = [];
    const target = (name, ok, detail) => {
        targets.push({ name, ok, detail });
        log(`  ${ok ? "ok  " : "MISS"} ${name}: ${detail}`);
    };
    const call = (model, method, args, kwargs) => client.call(model, method, args, kwargs);
    const ref = async (xmlid) =>
        (await call("ir.model.data", "check_object_reference", xmlid.split(".")))[1];

    // The subscription exists from the start, inactive: its secret is what the receiver checks.
    const systemId = await call("construction.sync.system", "create", [
        { name: "Benchmark outbound", code: `bench-out-${randomUUID().slice(0, 8)}` },
    ]);
    const subscriptionId = await call("construction.sync.subscription", "create", [
        {
            name: "Benchmark receiver",
            system_id: systemId,
            endpoint_url: `http://127.0.0.1:${receiverPort}/hook`,
            event_types: "purchase_order.confirmed, invoice.posted, vendor.upserted",
            max_in_flight: 16,
            active: false,
        },
    ]);
    const [{ secret }] = await call("construction.sync.subscription", "read", [
        [subscriptionId],
        ["secret"],
    ]);
    const setSubscription = (values) =>
        call("construction.sync.subscription", "write", [[subscriptionId], values], {
            context: { active_test: false },
        });
    // Odoo refuses to change a cron job while it runs (the runner lingers a little after its
    // last message): tried again until it is between two runs.
    const setRunner = (runner, active) =>
        waitFor(
            () =>
                call("ir.cron", "write", [[runner], { active }]).then(
                    () => true,
                    (error) => {
                        if (!String(error).includes("currently being executed")) throw error;
                        return false;
                    }
                ),
            120_000,
            500
        );
    const receiver = await startReceiver(receiverPort, secret);
    const control = (body) => receiverCall(receiverPort, "/_control", body);
    const state = () => receiverCall(receiverPort, "/_state");
    const count = () => receiverCall(receiverPort, "/_count");
    try {
        // --- (a) time added to a business transaction ------------------------------------
        log(
            `\nOutbound (a): time a business transaction gains from publishing, median of ${transactions}`
        );
        const modelId = async (model) =>
            (await call("ir.model", "search", [[["model", "=", model]]]))[0];
        const webhookFields = async (model, names) =>
            call("ir.model.fields", "search", [
                [
                    ["model", "=", model],
                    ["name", "in", names],
                ],
            ]);
        const webhookAction = async (model, names) =>
            call("ir.actions.server", "create", [
                {
                    name: `Benchmark webhook ${model}`,
                    model_id: await modelId(model),
                    state: "webhook",
                    webhook_url: `http://127.0.0.1:${receiverPort}/plain`,
                    webhook_field_ids: [[6, 0, await webhookFields(model, names)]],
                },
            ]);
        const codeAction = async (model, code) =>
            call("ir.actions.server", "create", [
                { name: `Benchmark ${model}`, model_id: await modelId(model), state: "code", code },
            ]);
        const poWebhook = await webhookAction("purchase.order", [
            "name",
            "state",
            "amount_total",
            "partner_id",
        ]);
        const moveWebhook = await webhookAction("account.move", [
            "name",
            "state",
            "amount_total",
            "payment_state",
        ]);
        const confirm = await codeAction("purchase.order", "records.button_confirm()");
        const confirmAndPost = await codeAction(
            "purchase.order",
            `records.button_confirm()\nenv["ir.actions.server"].browse(${poWebhook}).with_context(active_model="purchase.order", active_id=records.id, active_ids=records.ids).run()`
        );
        const post = await codeAction("account.move", "records.action_post()");
        const postAndPost = await codeAction(
            "account.move",
            `records.action_post()\nenv["ir.actions.server"].browse(${moveWebhook}).with_context(active_model="account.move", active_id=records.id, active_ids=records.ids).run()`
        );
        const vendor = await call("res.partner", "create", [
            { name: `Bench Vendor ${randomUUID().slice(0, 6)}`, supplier_rank: 1 },
        ]);
        const customer = await call("res.partner", "create", [
            { name: `Bench Customer ${randomUUID().slice(0, 6)}` },
        ]);
        const product = await ref("construction_contract.product_subcontract_work").catch(
            () => null
        );
        const productId = product
            ? (await call("product.template", "read", [[product], ["product_variant_id"]]))[0]
                  .product_variant_id[0]
            : (
                  await call("product.product", "search", [[["purchase_ok", "=", true]]], {
                      limit: 1,
                  })
              )[0];
        const newOrder = () =>
            call("purchase.order", "create", [
                {
                    partner_id: vendor,
                    order_line: [
                        [
                            0,
                            0,
                            {
                                product_id: productId,
                                name: "Bench work",
                                product_qty: 3,
                                price_unit: 1234.5,
                            },
                        ],
                    ],
                },
            ]);
        const newInvoice = () =>
            call("account.move", "create", [
                {
                    move_type: "out_invoice",
                    partner_id: customer,
                    invoice_date: new Date().toISOString().slice(0, 10),
                    invoice_line_ids: [
                        [0, 0, { name: "Bench progress", quantity: 1, price_unit: 987.65 }],
                    ],
                },
            ]);
        const timeOne = async (make, action, model) => {
            const id = await make();
            const started = performance.now();
            await call("ir.actions.server", "run", [[action]], {
                context: { active_model: model, active_id: id, active_ids: [id] },
            });
            return performance.now() - started;
        };
        // The user's transaction alone: the outbound runner is paused while (a) runs, so its
        // deliveries after each commit do not compete for the CPU with the next measurement.
        const runner = await ref("construction_sync.ir_cron_outbound_deliver");
        await setRunner(runner, false);
        await control({
            reset: true,
            rules: [{ match: { path: "/plain" }, status: 200, delay_ms: latencyMs }],
        });
        for (const [label, make, plainAction, hookAction, model] of [
            ["confirm a purchase order", newOrder, confirm, confirmAndPost, "purchase.order"],
            ["post an invoice", newInvoice, post, postAndPost, "account.move"],
        ]) {
            const times = { bare: [], outbox: [], serverAction: [] };
            // Interleaved, after one warm-up round, so a change of the machine's load hits all three.
            for (let i = 0; i <= transactions; i += 1) {
                await setSubscription({ active: false });
                const bareTime = await timeOne(make, plainAction, model);
                const actionTime = await timeOne(make, hookAction, model);
                await setSubscription({ active: true });
                const outboxTime = await timeOne(make, plainAction, model);
                if (i > 0) {
                    times.bare.push(bareTime);
                    times.serverAction.push(actionTime);
                    times.outbox.push(outboxTime);
                }
            }
            const [bare, outbox, serverAction] = [times.bare, times.outbox, times.serverAction].map(
                median
            );
            // What publishing adds: the median of each round's difference (a round times the
            // three one after the other), less sensitive to the machine's load than the
            // difference of the medians, which is printed beside it.
            const added = median(times.outbox.map((time, i) => time - times.bare[i]));
            figures[label] = { bare, outbox, serverAction, added };
            log(
                `  ${label.padEnd(26)} alone ${bare.toFixed(1)} ms, with the outbox ${outbox.toFixed(1)} ms (+${added.toFixed(1)} median of the rounds' differences, +${(outbox - bare).toFixed(1)} between the medians), ` +
                    `with the server action ${serverAction.toFixed(1)} ms (+${(serverAction - bare).toFixed(1)}; receiver latency ${latencyMs} ms)`
            );
            target(`${label}: outbox adds < 5 ms`, added < 5, `+${added.toFixed(1)} ms`);
        }
        // Let the runner deliver what (a) published before (b) counts.
        await setRunner(runner, true);
        // The publications of (a) left triggers for the paused runner: wake the cron workers.
        await sql("postgres", `SELECT pg_notify('cron_trigger', '${db}')`);
        await setSubscription({ active: true });
        await waitFor(
            async () =>
                Number(
                    (
                        await sql(
                            db,
                            "SELECT count(*) FROM construction_sync_outbox WHERE state IN ('pending', 'sending')"
                        )
                    )[0][0]
                ) === 0,
            120_000,
            500
        );

        // --- (b) deliveries per second ------------------------------------------------------
        // (b) counts more messages than (c): a rate over a short run is mostly the fixed costs
        // (the runner's wake-up, one publish, the polling's granularity).
        log(`\nOutbound (b): ${rateMessages} messages to a receiver answering 2xx at once`);
        await control({ reset: true });
        const partnerIds = await call("res.partner", "create", [
            Array.from({ length: rateMessages }, (_, i) => ({ name: `Bench Outbound ${i}` })),
        ]);
        const publishAction = await codeAction(
            "res.partner",
            `env["construction.sync.outbox"]._publish("vendor.upserted", records)`
        );
        let started = Date.now();
        await call("ir.actions.server", "run", [[publishAction]], {
            context: {
                active_model: "res.partner",
                active_id: partnerIds[0],
                active_ids: partnerIds,
            },
        });
        // The publish's own time is in the rate (the server action builds each payload as it
        // sends); the runner's rate after the commit is printed beside it, a figure, not a target.
        const committed = Date.now();
        await waitFor(async () => (await count()).delivered >= rateMessages, 600_000, 20);
        const outboxRate = rateMessages / ((Date.now() - started) / 1000);
        const publishSeconds = (committed - started) / 1000;
        const runnerRate = rateMessages / ((Date.now() - committed) / 1000);
        const vendorWebhook = await webhookAction("res.partner", ["name", "email", "phone"]);
        const loopAction = await codeAction(
            "res.partner",
            `hook = env["ir.actions.server"].browse(${vendorWebhook})\nfor record in records:\n    hook.with_context(active_model="res.partner", active_id=record.id, active_ids=record.ids).run()`
        );
        await control({ reset: true });
        started = Date.now();
        await call("ir.actions.server", "run", [[loopAction]], {
            context: {
                active_model: "res.partner",
                active_id: partnerIds[0],
                active_ids: partnerIds,
            },
        });
        const actionRate = rateMessages / ((Date.now() - started) / 1000);
        figures.rates = {
            outbox: outboxRate,
            publishSeconds,
            runnerAfterCommit: runnerRate,
            serverAction: actionRate,
            plainReceived: (await state()).plain,
        };
        log(
            `  outbox (signed, logged, after commit) ${outboxRate.toFixed(1)} /s; server action ${actionRate.toFixed(1)} /s`
        );
        log(
            `  of which publishing the ${rateMessages} in one business transaction ${publishSeconds.toFixed(2)} s; the runner after its commit ${runnerRate.toFixed(1)} /s (${(runnerRate / actionRate).toFixed(2)}x the server action)`
        );
        target(
            "outbound deliveries/s >= 5x the server action",
            outboxRate >= 5 * actionRate,
            `${(outboxRate / actionRate).toFixed(2)}x`
        );
        // The same with a receiver taking `slowReceiverMs` per request (a real endpoint's
        // latency): the server action waits for each answer in turn, the runner keeps the
        // subscription's max_in_flight requests open at once. A figure, not a target.
        const slowCount = Math.min(messages, 300);
        const slowIds = partnerIds.slice(0, slowCount);
        await control({ reset: true, default: { status: 200, delay_ms: slowReceiverMs } });
        started = Date.now();
        await call("ir.actions.server", "run", [[publishAction]], {
            context: { active_model: "res.partner", active_id: slowIds[0], active_ids: slowIds },
        });
        await waitFor(async () => (await count()).delivered >= slowCount, 600_000, 100);
        const slowOutbox = slowCount / ((Date.now() - started) / 1000);
        started = Date.now();
        await call("ir.actions.server", "run", [[loopAction]], {
            context: { active_model: "res.partner", active_id: slowIds[0], active_ids: slowIds },
        });
        const slowAction = slowCount / ((Date.now() - started) / 1000);
        figures.slowReceiver = {
            latencyMs: slowReceiverMs,
            outbox: slowOutbox,
            serverAction: slowAction,
        };
        log(
            `  receiver answering in ${slowReceiverMs} ms: outbox ${slowOutbox.toFixed(1)} /s; server action ` +
                `${slowAction.toFixed(1)} /s (${(slowOutbox / slowAction).toFixed(1)}x)`
        );

        // --- (c) receiver outage ------------------------------------------------------------
        log(
            `\nOutbound (c): ${messages} messages published during a ${outageSeconds} s outage (503, Retry-After ${retryAfterSeconds})`
        );
        await control({ reset: true, default: { status: 503, retry_after: retryAfterSeconds } });
        const firstNew = Number(
            (await sql(db, "SELECT coalesce(max(id), 0) FROM construction_sync_outbox"))[0][0]
        );
        await call("ir.actions.server", "run", [[publishAction]], {
            context: {
                active_model: "res.partner",
                active_id: partnerIds[0],
                active_ids: partnerIds.slice(0, messages),
            },
        });
        await sleep(outageSeconds * 1000);
        const during = await state();
        await control({ default: { status: 200 } });
        started = Date.now();
        const published = (
            await sql(
                db,
                `SELECT webhook_id FROM construction_sync_outbox WHERE id > ${firstNew} ORDER BY id`
            )
        ).map(([id]) => id);
        await waitFor(
            async () => {
                const rows = await sql(
                    db,
                    `SELECT count(*) FROM construction_sync_outbox WHERE id > ${firstNew} AND state <> 'delivered'`
                );
                return Number(rows[0][0]) === 0;
            },
            600_000,
            500
        );
        const recoverySeconds = (Date.now() - started) / 1000;
        const after = await state();
        const deliveredSet = new Set(after.delivered);
        const lost = published.filter((id) => !deliveredSet.has(id)).length;
        figures.outage = {
            published: published.length,
            refusedDuringOutage: during.requests.length,
            delivered: after.delivered.length,
            duplicates: after.duplicates,
            lost,
            recoverySeconds,
        };
        log(
            `  ${during.requests.length} attempts refused during the outage; all delivered ${recoverySeconds.toFixed(1)} s after recovery; ` +
                `${after.delivered.length} delivered, ${after.duplicates} duplicates, ${lost} lost`
        );
        target(
            "no message lost or duplicated after the outage",
            lost === 0 &&
                after.duplicates === 0 &&
                after.delivered.length === published.length &&
                after.unverified === 0,
            `${published.length} published, ${after.delivered.length} delivered, ${after.duplicates} duplicates, ${lost} lost, ${after.unverified} unverified`
        );
        await setSubscription({ active: false });
        return { figures, targets };
    } finally {
        receiver.kill("SIGTERM");
    }
}

// Standalone: BENCH_URL=http://127.0.0.1:8190 BENCH_DB=db node bench/outbound.mjs [outageSeconds]
if (import.meta.url === `file://${process.argv[1]}`) {
    const client = new OdooClient(
        process.env.BENCH_URL ?? "http://127.0.0.1:8369",
        process.env.BENCH_DB
    );
    await client.login();
    const { targets } = await benchOutbound({
        client,
        db: process.env.BENCH_DB,
        receiverPort: Number(process.env.BENCH_OUTBOUND_RECEIVER_PORT ?? 8377),
        outageSeconds: Number(process.argv[2] ?? 60),
        messages: Number(process.env.BENCH_OUTBOUND_MESSAGES ?? 2000),
        transactions: Number(process.env.BENCH_OUTBOUND_TRANSACTIONS ?? 30),
    });
    process.exit(targets.every((t) => t.ok) ? 0 : 1);
}
