// Event types per database: one Odoo server serves two databases, A with every construction app
// and B without construction_rental. Deliveries are signed with the reference Standard Webhooks
// library. A signed rental.dispatched is refused in B with 422 unknown_event_type and applied in A;
// the OpenAPI document and the system's event type settings (its form's Event Types tab) list
// only the types installed in each database.
//
// Run by scripts/test (tier multidb), which starts the server and creates the system in both
// databases. Prints one line per assertion, "ok - NAME" or "not ok - NAME: WHY", and exits
// non-zero when one failed. Environment:
//   CSYNC_MULTIDB_URL       the server, e.g. http://127.0.0.1:8174
//   CSYNC_MULTIDB_A_DB, CSYNC_MULTIDB_B_DB          the databases; each is reached through the
//                           Host "<db>.localhost", as the server runs with --db-filter '^%d$'
//   CSYNC_MULTIDB_A_SECRET, CSYNC_MULTIDB_B_SECRET  the signing secrets of system CODE in each
//   CSYNC_MULTIDB_CODE      the system's code
//   CSYNC_ROOT              the repository (scripts/pg psql reads the databases' state)
import { execFileSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import http from "node:http";
import { Webhook } from "standardwebhooks";

const env = (name) => {
    const value = process.env[name];
    if (!value) {
        console.log(`not ok - setup: ${name} is not set`);
        process.exit(1);
    }
    return value;
};
const base = new URL(env("CSYNC_MULTIDB_URL"));
const code = env("CSYNC_MULTIDB_CODE");
const root = env("CSYNC_ROOT");
const dbs = {
    A: { name: env("CSYNC_MULTIDB_A_DB"), secret: env("CSYNC_MULTIDB_A_SECRET") },
    B: { name: env("CSYNC_MULTIDB_B_DB"), secret: env("CSYNC_MULTIDB_B_SECRET") },
};
// Whatever construction_rental declares; none of them may exist where it is not installed.
const isRentalType = (type) => type.startsWith("rental.") || type.startsWith("equipment.");

let failures = 0;
const check = (name, ok, why) => {
    if (ok) {
        console.log(`ok - ${name}`);
    } else {
        failures += 1;
        console.log(`not ok - ${name}: ${why}`);
    }
};

// node:http rather than fetch: fetch does not let a request choose its Host header.
const request = (db, method, path, headers = {}, body = undefined) =>
    new Promise((resolve, reject) => {
        const req = http.request(
            {
                host: base.hostname,
                port: base.port,
                method,
                path,
                headers: { Host: `${db.name}.localhost:${base.port}`, ...headers },
                timeout: 60000,
            },
            (res) => {
                const chunks = [];
                res.on("data", (chunk) => chunks.push(chunk));
                res.on("end", () => {
                    const text = Buffer.concat(chunks).toString("utf8");
                    let json = null;
                    try {
                        json = JSON.parse(text);
                    } catch {
                        // not JSON: the caller reports the text
                    }
                    resolve({ status: res.statusCode, text, json });
                });
            }
        );
        req.on("timeout", () => req.destroy(new Error(`${method} ${path} timed out`)));
        req.on("error", reject);
        if (body !== undefined) req.write(body);
        req.end();
    });

let clock = Date.now();
// One signed delivery of one event, as a sending system would make it.
const deliver = async (db, type, data) => {
    clock += 1000; // distinct, increasing source timestamps: events about one object keep their order
    const body = JSON.stringify({ type, timestamp: new Date(clock).toISOString(), data });
    const id = `multidb-${randomUUID()}`;
    const now = new Date();
    const headers = {
        "Content-Type": "application/json",
        "Content-Length": Buffer.byteLength(body),
        "webhook-id": id,
        "webhook-timestamp": String(Math.floor(now.getTime() / 1000)),
        "webhook-signature": new Webhook(db.secret).sign(id, now, body),
    };
    const reply = await request(db, "POST", `/construction_sync/webhook/${code}`, headers, body);
    return { ...reply, id };
};

const sql = (db, query) =>
    execFileSync("bash", [`${root}/scripts/pg`, "psql", "-d", db.name, "-qtAX", "-c", query], {
        encoding: "utf8",
    }).trim();
const quote = (text) => `'${String(text).replaceAll("'", "''")}'`;
const settingTypes = (db) =>
    sql(
        db,
        `SELECT st.event_type FROM construction_sync_event_setting st
           JOIN construction_sync_system s ON s.id = st.system_id
          WHERE s.code = ${quote(code)} ORDER BY 1`
    )
        .split("\n")
        .filter(Boolean);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const same = (left, right) =>
    JSON.stringify([...left].sort()) === JSON.stringify([...right].sort());

// --- the OpenAPI document of each database ---------------------------------------------------
const openapi = {};
for (const [key, db] of Object.entries(dbs)) {
    const reply = await request(db, "GET", "/construction_sync/openapi.json");
    openapi[key] = reply.json;
    check(
        `${key}: GET /construction_sync/openapi.json answers 200 with x-event-types`,
        reply.status === 200 && Array.isArray(reply.json?.["x-event-types"]),
        `${reply.status} ${reply.text.slice(0, 200)}`
    );
}
const typesA = openapi.A?.["x-event-types"] ?? [];
const typesB = openapi.B?.["x-event-types"] ?? [];
check(
    "A: the OpenAPI document lists construction_rental's event types",
    typesA.includes("rental.dispatched") && typesA.includes("equipment.upserted"),
    `x-event-types: ${typesA.join(", ")}`
);
check(
    "B: the OpenAPI document lists no construction_rental event type, and B's own ones",
    !typesB.some(isRentalType) && typesB.includes("partner.upserted"),
    `x-event-types: ${typesB.join(", ")}`
);
check(
    "B: the OpenAPI document has no schema of a construction_rental event type",
    !Object.keys(openapi.B?.components?.schemas ?? {}).some(isRentalType),
    `schemas: ${Object.keys(openapi.B?.components?.schemas ?? {}).join(", ")}`
);

// --- the system's event type settings (the lines of its form's Event Types tab) -----------------
const settingsA = settingTypes(dbs.A);
const settingsB = settingTypes(dbs.B);
check(
    "A: the system's event type settings are exactly A's event types (rental ones included)",
    same(settingsA, typesA) && settingsA.includes("rental.dispatched"),
    `settings: ${settingsA.join(", ")}`
);
check(
    "B: the system's event type settings are exactly B's event types (no rental one)",
    same(settingsB, typesB) && !settingsB.some(isRentalType),
    `settings: ${settingsB.join(", ")}`
);

// --- the deliveries -------------------------------------------------------------------------
// The payloads are the handlers' own examples, published in A's document.
const example = (type) => {
    const data = openapi.A?.components?.schemas?.[type]?.examples?.[0]?.data;
    if (!data) throw new Error(`A's OpenAPI document has no example for ${type}`);
    return JSON.parse(JSON.stringify(data));
};
const dispatched = example("rental.dispatched");

const partnerB = { ...example("partner.upserted"), id: "MULTIDB-C-1", kind: "customer" };
const okB = await deliver(dbs.B, "partner.upserted", partnerB);
check(
    "B: a signed partner.upserted (an installed type) is accepted with 202",
    okB.status === 202,
    `${okB.status} ${okB.text.slice(0, 300)}`
);

const refusedB = await deliver(dbs.B, "rental.dispatched", dispatched);
check(
    "B: a signed rental.dispatched is refused with 422 unknown_event_type",
    refusedB.status === 422 && refusedB.json?.error?.code === "unknown_event_type",
    `${refusedB.status} ${refusedB.text.slice(0, 300)}`
);
const keptB = sql(
    dbs.B,
    `SELECT error_code FROM construction_sync_rejected_delivery WHERE webhook_id = ${quote(refusedB.id)}`
);
check(
    "B: the refused delivery is in B's rejected deliveries, and no event was queued",
    keptB === "unknown_event_type" &&
        sql(
            dbs.B,
            `SELECT count(*) FROM construction_sync_event WHERE webhook_id = ${quote(refusedB.id)}`
        ) === "0",
    `rejected delivery row: "${keptB}"`
);

// In A the rental refers to a machine, a project (with its customer) and a cost code: the sending
// system delivers those first, as it would, from the examples of their own types.
// Serial numbers and cost codes are unique: the demo company already has the examples' ones.
const project = { ...example("project.upserted"), id: dispatched.project_id };
const machine = { ...example("equipment.upserted"), id: dispatched.equipment_id };
if ("serial" in machine) machine.serial = `MULTIDB-${machine.id}`;
const masters = [
    ["equipment.upserted", machine],
    [
        "partner.upserted",
        { ...example("partner.upserted"), id: project.customer_id, kind: "customer" },
    ],
    ["project.upserted", project],
];
if (dispatched.cost_code_id) {
    masters.push([
        "cost_code.upserted",
        { ...example("cost_code.upserted"), id: dispatched.cost_code_id, code: "MULTIDB 01" },
    ]);
}
const acceptedA = [];
for (const [type, data] of masters) {
    const reply = await deliver(dbs.A, type, data);
    acceptedA.push(reply.id);
    check(
        `A: a signed ${type} ${data.id} is accepted with 202`,
        reply.status === 202,
        `${reply.status} ${reply.text.slice(0, 300)}`
    );
}
const rentalA = await deliver(dbs.A, "rental.dispatched", dispatched);
acceptedA.push(rentalA.id);
check(
    "A: the same signed rental.dispatched is accepted with 202",
    rentalA.status === 202 && rentalA.json?.status === "accepted",
    `${rentalA.status} ${rentalA.text.slice(0, 300)}`
);

// The server runs its cron workers: the realtime runner applies the events seconds later.
const stateOf = (id) =>
    sql(
        dbs.A,
        `SELECT state || '|' || coalesce(res_model, '') || '|' || coalesce(res_id, 0) || '|' ||
                coalesce(error_message, '') FROM construction_sync_event WHERE webhook_id = ${quote(id)}`
    );
let states;
const deadline = Date.now() + 90000;
for (;;) {
    states = acceptedA.map(stateOf);
    if (states.every((row) => row.startsWith("done|")) || Date.now() > deadline) break;
    await sleep(1000);
}
const [rentalState, rentalModel, rentalRes] = (states.at(-1) ?? "").split("|");
check(
    "A: the rental.dispatched event is applied (done) by the realtime runner",
    rentalState === "done" && rentalModel === "construction.rental.line",
    `events (state|model|id|error): ${states.join(" ; ")}`
);
const line = sql(
    dbs.A,
    `SELECT state FROM construction_rental_line WHERE id = ${Number(rentalRes) || 0}`
);
check(
    "A: its rental line is on rent (dispatched)",
    line === "dispatched",
    `construction_rental_line ${rentalRes}: "${line}"`
);

process.exit(failures ? 1 : 0);
