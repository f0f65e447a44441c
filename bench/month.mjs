// A contractor's month through the webhooks: 50 projects, 200 machines, 1 000 subcontractor
// invoices of up to 10 lines, 50 pay applications of 40 lines, 500 change orders, 6 000 usage
// reports and 20 000 crew hours, with the master data they need, delivered in batches of 100 in
// the order the field systems would send them (masters first). Each event type is one phase: its
// events are delivered, then the runners apply them; the phase's rate is its events over the time
// from its first delivery to its last event applied. Approval gates are off for this system, so
// the runners apply everything (the gates' own cost is a person's, not the machine's).
import { randomUUID } from "node:crypto";
import { sql } from "./sql.mjs";

const PROJECTS = 50;
const COST_CODES = 40;
const SUBCONTRACTORS = 150;
const COMMITMENTS_PER_PROJECT = 4;
const INVOICES = 1000;
const INVOICE_LINES = 10;
const CHANGE_ORDERS = 500;
const MACHINES = 200;
const USAGE_REPORTS = 6000;
const CREW_HOURS = 20_000;
const BATCH = 100;
// BENCH_MONTH_UNTIL=<event type> ends the month after that type's phase: a quick look at the
// phases up to it while working on their handlers. The whole month is the result.
const UNTIL = process.env.BENCH_MONTH_UNTIL ?? "";

const money = (value) => Math.round(value * 100) / 100;
// October: a month the demo data leaves open (its payroll week in November is closed).
const day = (n) => `2026-10-${String(n).padStart(2, "0")}`;

/** The month's events, phase by phase: [event type, data objects]. `types` is the set of types
 * the database knows (crew hours need construction_timesheet). */
export function contractorsMonth(run, types) {
    const id = (kind, n) => `${kind}-${run}-${n}`;
    const range = (n) => Array.from({ length: n }, (_, i) => i + 1);
    const phases = [];
    phases.push([
        "partner.upserted",
        [
            ...range(PROJECTS).map((n) => ({
                id: id("C", n),
                name: `Owner ${run} ${n}`,
                kind: "customer",
            })),
            ...range(SUBCONTRACTORS).map((n) => ({
                id: id("V", n),
                name: `Subcontractor ${run} ${n}`,
                kind: "subcontractor",
            })),
        ],
    ]);
    phases.push([
        "cost_code.upserted",
        range(COST_CODES).map((n) => ({
            id: id("CC", n),
            code: `${run} ${String(n).padStart(2, "0")} 00 00`,
            name: `Division ${n}`,
        })),
    ]);
    phases.push([
        "project.upserted",
        range(PROJECTS).map((n) => ({
            id: id("P", n),
            name: `Job ${run} ${n}`,
            customer_id: id("C", n),
            contract_value: 4_000_000 + n * 10_000,
            retention_percent: 10,
        })),
    ]);
    phases.push([
        "budget.approved",
        range(PROJECTS).map((n) => ({
            id: id("BUD", n),
            project_id: id("P", n),
            date: day(2),
            lines: range(COST_CODES).map((c) => ({
                cost_code_id: id("CC", c),
                amount: 90_000,
                quantity: 1,
                unit: "LS",
            })),
        })),
    ]);
    const commitments = [];
    for (const p of range(PROJECTS)) {
        for (const k of range(COMMITMENTS_PER_PROJECT)) {
            const number = `SC-${run}-${p}-${k}`;
            commitments.push({
                id: number,
                project_id: id("P", p),
                vendor_id: id("V", 1 + ((p * COMMITMENTS_PER_PROJECT + k) % SUBCONTRACTORS)),
                number,
                retention_percent: 10,
                lines: range(INVOICE_LINES).map((l) => ({
                    id: `${number}-${l}`,
                    cost_code_id: id("CC", 1 + ((k * INVOICE_LINES + l) % COST_CODES)),
                    description: `Scope ${l}`,
                    quantity: 1,
                    unit_price: 50_000,
                })),
            });
        }
    }
    phases.push(["commitment.approved", commitments]);
    phases.push([
        "subcontractor_invoice.received",
        range(INVOICES).map((n) => {
            const commitment = commitments[n % commitments.length];
            const lines = 1 + (n % INVOICE_LINES);
            return {
                id: id("INV", n),
                commitment_id: commitment.id,
                vendor_reference: `RC-${run}-${n}`,
                invoice_date: day(1 + (n % 28)),
                lines: commitment.lines.slice(0, lines).map((line, i) => ({
                    commitment_line_id: line.id,
                    amount: money(1000 + ((n * 37 + i * 11) % 900) + 0.25),
                })),
            };
        }),
    ]);
    phases.push(["change_order.submitted", range(CHANGE_ORDERS).map((n) => changeOrder(id, n))]);
    phases.push(["change_order.approved", range(CHANGE_ORDERS).map((n) => changeOrder(id, n))]);
    phases.push([
        "progress_billing.certified",
        range(PROJECTS).map((p) => ({
            id: id("PA", p),
            project_id: id("P", p),
            application_number: 1,
            period_end: day(30),
            retention_percent: 10,
            lines: range(COST_CODES).map((c) => ({
                cost_code_id: id("CC", c),
                description: `Division ${c}`,
                scheduled_value: 100_000,
                work_completed_this_period: money(12_000 + ((p * 13 + c * 7) % 5000) + 0.5),
                materials_stored: 0,
            })),
        })),
    ]);
    phases.push([
        "equipment.upserted",
        range(MACHINES).map((m) => ({
            id: id("EQ", m),
            name: `Machine ${run} ${m}`,
            ownership: "owned",
            rates: { hour: 95, day: 650, week: 2600, month: 7800 },
        })),
    ]);
    phases.push([
        "rental.dispatched",
        range(MACHINES).map((m) => ({
            id: id("R", m),
            equipment_id: id("EQ", m),
            project_id: id("P", 1 + (m % PROJECTS)),
            cost_code_id: id("CC", 1 + (m % COST_CODES)),
            direction: "out",
            rate_basis: "day",
            rate: 650,
            dispatched_at: `${day(1)}T07:00:00Z`,
        })),
    ]);
    const perMachine = USAGE_REPORTS / MACHINES;
    phases.push([
        "rental.usage_reported",
        range(USAGE_REPORTS).map((n) => {
            const machine = 1 + ((n - 1) % MACHINES);
            const dayOfMonth = 1 + Math.floor((n - 1) / MACHINES);
            return {
                id: id("U", n),
                rental_id: id("R", machine),
                reported_at: `${day(Math.min(30, dayOfMonth))}T18:00:00Z`,
                hours: 6 + (n % 5) * 0.5,
                fuel_liters: 80 + (n % 40),
            };
        }),
    ]);
    if (perMachine !== 30) throw new Error("usage reports must spread over the 30 days");
    if (types.has("employee.upserted") && types.has("timesheet.approved")) {
        phases.push(...crewPhases(run, id, range));
    }
    return phases;
}

function changeOrder(id, n) {
    return {
        id: id("CO", n),
        project_id: id("P", 1 + (n % PROJECTS)),
        number: `PCO-${n}`,
        title: `Owner change ${n}`,
        kind: "prime",
        lines: [
            { cost_code_id: id("CC", 1 + (n % COST_CODES)), description: "Work", amount: 5000 + n },
            {
                cost_code_id: id("CC", 1 + ((n + 7) % COST_CODES)),
                description: "Finish",
                amount: 750.5,
            },
        ],
    };
}

/** Crew hours: 100 employees in crews of 5, each crew on one project, one approved sheet per
 * crew and working day, 8 regular hours per employee (2 overtime on Fridays too). */
function crewPhases(run, id, range) {
    const employees = CREW_HOURS / 8 / 25; // 25 working days of 8 hours
    const crews = employees / 5;
    const workdays = range(30).filter(
        (d) => ![0, 6].includes(new Date(Date.UTC(2026, 9, d)).getUTCDay())
    );
    const sheets = [];
    for (const crew of range(crews)) {
        for (const d of workdays.slice(0, 25)) {
            const friday = new Date(Date.UTC(2026, 9, d)).getUTCDay() === 5;
            sheets.push({
                id: id(`CS-${crew}`, d),
                project_id: id("P", 1 + (crew % PROJECTS)),
                date: day(d),
                approved_by: `Superintendent ${crew}`,
                lines: range(5).map((member) => ({
                    employee_id: id("E", (crew - 1) * 5 + member),
                    cost_code_id: id("CC", 1 + ((crew + member) % COST_CODES)),
                    hours: friday ? { regular: 8, overtime: 2 } : { regular: 8 },
                })),
            });
        }
    }
    return [
        [
            "employee.upserted",
            range(employees).map((e) => ({
                id: id("E", e),
                name: `Crew member ${run} ${e}`,
                job_title: "Carpenter",
                hourly_cost: 38 + (e % 10),
            })),
        ],
        ["timesheet.approved", sheets],
    ];
}

async function queuedOrDone(db, systemId, type) {
    const [[queued, done, failed]] = await sql(
        db,
        `SELECT count(*) FILTER (WHERE state IN ('pending', 'processing')),
                count(*) FILTER (WHERE state = 'done'),
                count(*) FILTER (WHERE state NOT IN ('pending', 'processing', 'done'))
           FROM construction_sync_event WHERE system_id = ${systemId} AND event_type = '${type}'`
    );
    return { queued: Number(queued), done: Number(done), failed: Number(failed) };
}

export async function benchMonth({ db, client, createSystem }) {
    const system = await createSystem("Benchmark month");
    const settings = await client.call("construction.sync.event.setting", "search_read", [
        [["system_id", "=", system.id]],
        ["event_type"],
    ]);
    await client.call("construction.sync.event.setting", "write", [
        settings.map((s) => s.id),
        { requires_approval: false, processing_mode: "realtime" },
    ]);
    const types = new Set(settings.map((s) => s.event_type));
    let phases = contractorsMonth(randomUUID().slice(0, 6), types);
    if (UNTIL) {
        const last = phases.findIndex(([type]) => type === UNTIL);
        if (last < 0) throw new Error(`BENCH_MONTH_UNTIL: no phase of type ${UNTIL}`);
        phases = phases.slice(0, last + 1);
    }
    const total = phases.reduce((sum, [, events]) => sum + events.length, 0);
    console.log(
        `\nA contractor's month: ${total.toLocaleString("en")} events of ${phases.length} types, delivered in batches of ${BATCH}, master data first`
    );
    const sender = system.sender();
    const rates = [];
    const started = Date.now();
    for (const [type, objects] of phases) {
        const phaseStart = Date.now();
        const timestamp = new Date().toISOString();
        for (let i = 0; i < objects.length; i += BATCH) {
            const events = objects.slice(i, i + BATCH).map((data) => ({
                id: `evt_${randomUUID()}`,
                type,
                timestamp,
                data,
            }));
            const answer = await sender.attempt(`msg_${randomUUID()}`, JSON.stringify({ events }), {
                path: "/batch",
            });
            if (answer.status !== 202) {
                throw new Error(`month: ${type} batch answered ${answer.status} ${answer.code}`);
            }
        }
        let state = await queuedOrDone(db, system.id, type);
        while (state.queued > 0 && Date.now() - phaseStart < 900_000) {
            await new Promise((resolve) => setTimeout(resolve, 200));
            state = await queuedOrDone(db, system.id, type);
        }
        const seconds = (Date.now() - phaseStart) / 1000;
        // From the phase's first event stored to its last applied, read from the events: the
        // poll above would add up to its interval to a phase of 40 events.
        const [[busy]] = await sql(
            db,
            `SELECT extract(epoch FROM max(finished_at) - min(received_at))
               FROM construction_sync_event WHERE system_id = ${system.id} AND event_type = '${type}'`
        );
        const rate = objects.length / Math.max(Number(busy) || seconds, 0.001);
        rates.push([type, rate, state]);
        let note = "";
        if (state.failed) {
            const [[sample]] = await sql(
                db,
                `SELECT error_message FROM construction_sync_event WHERE system_id = ${system.id}
                    AND event_type = '${type}' AND state NOT IN ('pending', 'processing', 'done') LIMIT 1`
            );
            note = `  (${state.failed} NOT applied: ${String(sample).slice(0, 160)})`;
        }
        console.log(
            `  ${type.padEnd(34)} ${String(objects.length).padStart(6)} events ${seconds.toFixed(1).padStart(7)} s ${rate.toFixed(1).padStart(8)} /s${note}`
        );
    }
    const seconds = (Date.now() - started) / 1000;
    console.log(
        `  the whole month: ${total.toLocaleString("en")} events in ${seconds.toFixed(0)} s`
    );
    return { seconds, rates, total, crewHours: types.has("timesheet.approved") };
}
