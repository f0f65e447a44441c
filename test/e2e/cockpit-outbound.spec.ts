import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import {
    callKw,
    createPersona,
    createSystem,
    deliverBatches,
    failingProjects,
    ignoreWaiting,
    login,
    openMenu,
    signedHeaders,
    waitForState,
    watchConsole,
    type TestSystem,
} from "./odoo";

// The cockpit beside the inbound list: outbound subscriptions and their failed deliveries for
// the integration manager, a record's trace from the detail panel, open alerts and the
// accountant's compliance card and held bills, on the demo data (construction_suite).

async function openCockpitAs(
    page: Page,
    request: APIRequestContext,
    persona: Parameters<typeof createPersona>[1]
): Promise<void> {
    await login(page, await createPersona(request, persona));
    await openMenu(page, "Construction Sync", "Sync", "Cockpit");
    await expect(page.locator(".o_csync_cockpit_title")).toBeVisible();
}

async function showOnly(page: Page, system: TestSystem): Promise<void> {
    await page.locator(".o_csync_system", { hasText: system.code }).click();
    await expect(page.locator(".o_csync_system[aria-pressed=true]")).toContainText(system.code);
}

/** Delivers one partner.upserted event about vendor V-<code>, dated `hoursAgo` hours back. */
async function deliverVendor(
    request: APIRequestContext,
    system: TestSystem,
    name: string,
    hoursAgo: number
): Promise<void> {
    const payload = JSON.stringify({
        type: "partner.upserted",
        timestamp: new Date(Date.now() - hoursAgo * 3_600_000).toISOString(),
        data: { id: `V-${system.code}`, name, kind: "vendor" },
    });
    const delivery = await request.post(`/construction_sync/webhook/${system.code}`, {
        data: payload,
        headers: signedHeaders(system, payload),
    });
    expect(delivery.status()).toBe(202);
}

test("an integration manager sees a failing subscription, retries its delivery on the row, and traces the vendor it was about", async ({
    page,
    request,
}) => {
    const problems = watchConsole(page);
    // A second system listens for vendors at an address where nothing answers (port 9 is closed
    // on the test machine): every delivery to it fails.
    const receiver = await createSystem(request, "listener");
    const subscriptionId = await callKw<number>(
        request,
        "construction.sync.subscription",
        "create",
        [
            {
                name: `Ledger ${receiver.code}`,
                system_id: receiver.id,
                endpoint_url: "http://127.0.0.1:9/hooks",
                event_types: "vendor.upserted",
            },
        ]
    );
    const sender = await createSystem(request, "vendors");
    await deliverVendor(request, sender, `First ${sender.code}`, 2);
    await waitForState(request, sender, "done", 1);
    // Two failed attempts: the next one is five minutes away, so the message waits in the queue
    // (not being sent) while the manager acts on it.
    await expect(async () => {
        const failed = await callKw<number>(request, "construction.sync.outbox", "search_count", [
            [
                ["subscription_id", "=", subscriptionId],
                ["state", "=", "pending"],
                ["attempts", ">=", 2],
            ],
        ]);
        expect(failed).toBe(1);
    }).toPass({ timeout: 90_000, intervals: [1_000, 2_000] });

    // A later update goes stale behind a watermark in year 9999 (set directly, as in
    // cockpit-stale.spec.ts), so the event shows in the cockpit's list with its vendor.
    const mappings = await callKw<number[]>(request, "construction.sync.mapping", "search", [
        [
            ["system_id", "=", sender.id],
            ["external_id", "=", `V-${sender.code}`],
        ],
    ]);
    expect(mappings).toHaveLength(1);
    await callKw(request, "construction.sync.mapping", "write", [
        mappings,
        { last_source_timestamp: "9999-12-31 23:00:00" },
    ]);
    await deliverVendor(request, sender, `Genuine ${sender.code}`, 1);
    await waitForState(request, sender, "stale", 1);

    await openCockpitAs(page, request, "integrationManager");
    // The first screen is still the inbound exceptions list.
    await expect(page.locator(".o_csync_view_exceptions")).toHaveClass(/active/);
    await expect(page.locator(".o_csync_outbound")).toHaveCount(0);

    // Outbound, for the receiving system's card: its subscription is failing.
    await showOnly(page, receiver);
    await page.locator(".o_csync_view_outbound").click();
    await expect(page.locator(".o_csync_view_outbound")).toHaveAttribute("aria-selected", "true");
    const card = page.locator(".o_csync_subscription", { hasText: `Ledger ${receiver.code}` });
    await expect(card).toHaveCount(1);
    await expect(card).toHaveAttribute("data-status", "failing");
    await expect(card.locator(".o_csync_outbound_queue")).toHaveText("1");
    await expect(page.locator(".o_csync_exception")).toHaveCount(0);

    // Its failed deliveries, with the receiver's non-answer and Retry.
    await card.click();
    await expect(page.locator(".o_csync_failed_title")).toHaveText(
        `Failed deliveries to Ledger ${receiver.code}`
    );
    const row = page.locator(".o_csync_delivery");
    await expect(row).toHaveCount(1);
    await expect(row.locator(".o_csync_delivery_record")).toHaveText("vendor.upserted");
    await expect(row.locator(".o_csync_delivery_state")).toHaveText("Retrying");
    await expect(row.locator(".o_csync_delivery_error")).toContainText("No answer");
    // Replay is for delivered or dead messages; this one is still queued.
    await expect(row.locator(".o_csync_delivery_replay")).toHaveCount(0);
    await row.locator(".o_csync_delivery_retry").click();
    await expect(row.locator(".o_csync_delivery_outcome")).toHaveText(
        "Queued again: the runner sends it in a moment."
    );
    await expect(row.locator(".o_csync_delivery_retry")).toBeDisabled();

    // Back to the inbound list: the stale update, applied anyway; its detail then names the
    // vendor, and the trace tells what came in about it and what went out.
    await showOnly(page, sender);
    await page.locator(".o_csync_view_stale").click();
    const stale = page.locator(".o_csync_exception", { hasText: `V-${sender.code}` });
    await expect(stale).toHaveCount(1);
    await stale.locator(".o_csync_open").click();
    await page.locator(".o_csync_stale_reason").fill("the genuine name, behind a bad date");
    await page.locator(".o_csync_apply_anyway").click();
    await expect(page.locator(".o_csync_notice")).toHaveText("1 applied");
    await expect(page.locator(".o_csync_detail")).toContainText(`Genuine ${sender.code}`);
    await page.locator(".o_csync_trace_toggle").click();
    const trace = page.locator(".o_csync_trace_entry");
    await expect(trace.filter({ hasText: "partner.upserted" }).first()).toBeVisible();
    await expect(page.locator(".o_csync_trace_entry[data-kind=inbound]")).toHaveCount(2);
    // The first name went out to the listening system and failed there, at least twice.
    const outbound = page.locator(".o_csync_trace_entry[data-kind=outbound]");
    await expect(outbound.first()).toContainText("vendor.upserted");
    await expect(outbound.first()).toContainText(`Ledger ${receiver.code}`);
    expect(
        await page.locator(".o_csync_trace_entry[data-kind=attempt]").count()
    ).toBeGreaterThanOrEqual(2);

    // The listener stops retrying once the test is over.
    await callKw(request, "construction.sync.subscription", "write", [
        [subscriptionId],
        { active: false },
    ]);
    expect(problems).toEqual([]);
});

test("an accountant keeps the exceptions list first, finds held bills and vendor compliance below it, a snapshot's difference under Reconciliation, and an alert's timeline", async ({
    page,
    request,
}) => {
    const problems = watchConsole(page);
    // Twenty events, all failed: a failure rate far over the default 5 % alert rule.
    const system = await createSystem(request, "alerting");
    await deliverBatches(request, system, failingProjects(system, 20, "A"));
    await waitForState(request, system, "failed", 20);
    const evaluated = await callKw<{ opened: number; open: number }>(
        request,
        "construction.sync.alert.rule",
        "evaluate_now",
        []
    );
    expect(evaluated.open).toBeGreaterThanOrEqual(1);
    // A snapshot of the same platform with one project Odoo never received.
    const asOf = new Date().toISOString();
    const snapshot = JSON.stringify({
        type: "project.snapshot",
        timestamp: asOf,
        data: {
            snapshot_id: `S-${system.code}`,
            as_of: asOf,
            page: 1,
            pages: 1,
            objects: [{ id: `R-${system.code}`, version: asOf, values: {} }],
        },
    });
    const sent = await request.post(`/construction_sync/webhook/${system.code}`, {
        data: snapshot,
        headers: signedHeaders(system, snapshot),
    });
    expect(sent.status()).toBe(202);
    await waitForState(request, system, "done", 1);

    await openCockpitAs(page, request, "accountant");
    await expect(page.locator(".o_csync_view_exceptions")).toHaveClass(/active/);
    await expect(page.locator(".o_csync_exception").first()).toBeInViewport({ ratio: 1 });

    // The demo's held bill: 12 t of rebar billed, 8 t received, 4 t x 1 180.00 beyond the receipt.
    const bill = page.locator(".o_csync_held_bill", { hasText: "Keystone Building Supply" });
    await bill.scrollIntoViewIfNeeded();
    await expect(bill.locator(".o_csync_held_bill_difference")).toHaveText("$4,720.00");
    // The demo's subcontractor whose payments wait for a lien waiver.
    const vendor = page.locator(".o_csync_compliance_vendor", { hasText: "Ridgeline Concrete" });
    await expect(vendor).toContainText("payments");

    // The Alerts tab counts the open alerts; this system's failure rate is one of them.
    await expect(page.locator(".o_csync_alert_count")).toBeVisible();
    await showOnly(page, system);
    await page.locator(".o_csync_view_alerts").click();
    const alert = page.locator(".o_csync_alert_row", { hasText: "Failure rate" });
    await expect(alert).toHaveCount(1);
    await expect(alert).toContainText(system.code);
    await expect(page.locator(".o_csync_held_bill")).toHaveCount(0);

    // Reconciliation: the snapshot sent above names a project Odoo never received.
    await page.locator(".o_csync_view_reconciliation").click();
    const figures = page.locator(`.o_csync_reconciliation_system[data-system-id="${system.id}"]`);
    await expect(figures).toHaveCount(1);
    await expect(figures.locator(".o_csync_reconciliation_last")).toContainText(
        "objects 1, differences 1"
    );
    await expect(figures.locator(".o_csync_reconciliation_open")).toHaveText("1");
    await expect(figures.locator("[data-kind=missing_in_odoo] td").last()).toHaveText("1");
    await expect(figures.locator("[data-age=under_1_day] td").last()).toHaveText("1");
    await expect(figures.locator(".o_csync_reconciliation_trend_total")).toHaveText(
        "Differences found over 30 days: 1"
    );

    await page.locator(".o_csync_view_alerts").click();
    await alert.locator(".o_csync_alert_timeline").click();
    await expect(page.locator(".o_form_view")).toBeVisible();
    await expect(page.locator(".o-mail-Chatter")).toBeVisible();
    await expect(page.locator(".o_breadcrumb")).toContainText("Failure rate");

    await ignoreWaiting(request, system);
    expect(problems).toEqual([]);
});
