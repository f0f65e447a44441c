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
    screenshotIfAsked,
    signedHeaders,
    waitForState,
    watchConsole,
    type TestSystem,
} from "./odoo";

async function openCockpit(page: Page): Promise<void> {
    await login(page);
    await openMenu(page, "Construction Sync", "Sync", "Cockpit");
    await expect(page.locator(".o_csync_cockpit_title")).toBeVisible();
}

async function ignoreAllMatching(page: Page, reason: string): Promise<void> {
    await page.locator(".o_csync_select_all").check();
    await page.locator(".o_csync_select_matching").click();
    await page.locator(".o_csync_text").fill(reason);
    await page.locator(".o_csync_bulk_ignore").click();
    await page.locator(".modal-dialog .btn-primary", { hasText: "Ignore" }).click();
}

async function showOnly(page: Page, system: TestSystem): Promise<void> {
    await page.locator(".o_csync_system", { hasText: system.code }).click();
    await expect(page.locator(".o_csync_system[aria-pressed=true]")).toContainText(system.code);
}

/**
 * Delivers one signed project.upserted naming a customer nobody knows, and waits until the
 * realtime runner, woken by the delivery, has applied it: failed, waiting for that customer. A
 * separate check, so a failure says which side was late (a lost wake-up would wait for the
 * cron workers' next poll, a minute).
 */
async function deliverFailingProject(
    request: APIRequestContext,
    system: TestSystem,
    name: string
): Promise<void> {
    const payload = JSON.stringify({
        type: "project.upserted",
        timestamp: new Date().toISOString(),
        data: {
            id: `P-${system.code}`,
            name: `${name} ${system.code}`,
            customer_id: `C-${system.code}`,
        },
    });
    const delivery = await request.post(`/construction_sync/webhook/${system.code}`, {
        data: payload,
        headers: signedHeaders(system, payload),
    });
    expect(delivery.status()).toBe(202);
    const { event_id: eventId } = (await delivery.json()) as { event_id: number };
    await expect
        .poll(
            async () =>
                (
                    await callKw<{ state: string }[]>(request, "construction.sync.event", "read", [
                        [eventId],
                        ["state"],
                    ])
                )[0]?.state,
            { timeout: 45_000, message: "the realtime runner applies the delivered event" }
        )
        .toBe("failed");
}

test("trends show events per hour and exceptions, for 7 or 30 days", async ({ page, request }) => {
    const problems = watchConsole(page);
    const system = await createSystem(request, "trends");
    await deliverBatches(request, system, failingProjects(system, 3));
    await waitForState(request, system, "failed", 3);

    await openCockpit(page);
    await showOnly(page, system);
    const trends = page.locator(".o_csync_trends");
    // Below the list and collapsed until asked for; opened, they stay open for this user.
    await expect(trends.locator(".o_csync_chart_hourly")).toHaveCount(0);
    await trends.locator(".o_csync_trends_toggle").click();
    await expect(trends.locator(".o_csync_trends_toggle")).toHaveAttribute("aria-expanded", "true");
    await expect(trends.locator(".o_csync_chart_hourly canvas")).toBeVisible();
    const datasets = () =>
        page.evaluate(() => {
            const chartjs = (globalThis as unknown as { Chart: { getChart(el: Element): unknown } })
                .Chart;
            const read = (selector: string) => {
                const canvas = document.querySelector(selector);
                const chart =
                    canvas &&
                    (chartjs.getChart(canvas) as {
                        data: { labels: string[]; datasets: { label: string; data: number[] }[] };
                    });
                return chart
                    ? {
                          hours: chart.data.labels.length,
                          sets: chart.data.datasets.map((set) => [
                              set.label,
                              set.data.reduce((a, b) => a + b, 0),
                          ]),
                          labels: chart.data.labels,
                      }
                    : null;
            };
            return {
                hourly: read(".o_csync_chart_hourly canvas"),
                byClass: read("canvas[aria-label='Exceptions by error class']"),
            };
        });
    await expect.poll(async () => (await datasets()).hourly?.sets).toEqual([["Failed", 3]]);
    expect((await datasets()).hourly?.hours).toBe(7 * 24);
    expect((await datasets()).byClass?.labels).toEqual(["Data"]);

    await trends.locator(".o_csync_trends_30").click();
    await expect(trends.locator(".o_csync_trends_30")).toHaveAttribute("aria-pressed", "true");
    await expect.poll(async () => (await datasets()).hourly?.hours).toBe(30 * 24);
    await screenshotIfAsked(page, "cockpit-trends");
    await page.reload();
    await expect(page.locator(".o_csync_trends_toggle")).toHaveAttribute("aria-expanded", "true");
    await page.locator(".o_csync_trends_toggle").click();
    await page.reload();
    await expect(page.locator(".o_csync_trends_toggle")).toHaveAttribute("aria-expanded", "false");
    await ignoreWaiting(request, system);
    expect(problems).toEqual([]);
});

test("a failing signed webhook appears in an open cockpit without a reload", async ({
    page,
    request,
}) => {
    test.setTimeout(120_000);
    const problems = watchConsole(page);
    const system = await createSystem(request, "live");
    await openCockpit(page);
    // Live: the bus is connected, so the cockpit does not poll (it would take 30 s).
    await expect(page.locator(".o_csync_live")).toHaveAttribute("data-live", "true", {
        timeout: 30_000,
    });
    const before = await page.locator(".o_csync_total").textContent();
    await deliverFailingProject(request, system, "Live");
    // Then the bus brings it to the open cockpit without a reload.
    await expect(page.locator(".o_csync_exception", { hasText: `C-${system.code}` })).toBeVisible({
        timeout: 15_000,
    });
    await expect(page.locator(".o_csync_system", { hasText: system.code })).toContainText(
        "1 failed"
    );
    expect(await page.locator(".o_csync_total").textContent()).not.toBe(before);
    await ignoreWaiting(request, system);
    expect(problems).toEqual([]);
});

test("an event applied while the cockpit is still loading appears once it has loaded", async ({
    page,
    request,
}) => {
    // The cockpit's first list is read, then the runner applies an event before the list
    // reaches the browser: what was read is stale, and the bus message about the change comes
    // while the cockpit loads. An accountant opening it from the menu while the runners work
    // meets this; it must refresh by itself (it listened only once on screen, and kept the
    // stale list until a reload).
    test.setTimeout(120_000);
    const problems = watchConsole(page);
    const system = await createSystem(request, "load");
    const accountant = await createPersona(request, "accountant");
    await login(page, accountant);
    let applied: () => void = () => undefined;
    const eventApplied = new Promise<void>((resolve) => {
        applied = resolve;
    });
    let held = false;
    await page.route("**/construction.sync.cockpit/get_exceptions", async (route) => {
        if (held) {
            await route.continue();
            return;
        }
        held = true;
        // Read now, delivered once the event is applied and its bus message has had time to
        // reach the browser.
        const response = await route.fetch();
        await eventApplied;
        await page.waitForTimeout(1_500);
        await route.fulfill({ response });
    });
    await page.goto("/odoo/construction-cockpit");
    await expect.poll(() => held, { message: "the cockpit asked for its first list" }).toBe(true);
    await deliverFailingProject(request, system, "Load");
    applied();
    await expect(page.locator(".o_csync_cockpit_title")).toBeVisible();
    await expect(page.locator(".o_csync_exception", { hasText: `C-${system.code}` })).toBeVisible({
        timeout: 15_000,
    });
    await ignoreWaiting(request, system);
    expect(problems).toEqual([]);
});

test("the keyboard walks the list: arrows and j/k move, Space selects, Enter opens, Escape closes", async ({
    page,
    request,
}) => {
    const problems = watchConsole(page);
    const system = await createSystem(request, "keys");
    await deliverBatches(request, system, failingProjects(system, 3));
    await waitForState(request, system, "failed", 3);
    await openCockpit(page);
    await showOnly(page, system);
    const rows = page.locator(".o_csync_exception");
    await expect(rows).toHaveCount(3);
    const grid = page.locator(".o_csync_grid");
    await grid.focus();
    await expect(rows.nth(0)).toHaveClass(/o_csync_focused/);
    await page.keyboard.press("ArrowDown");
    await expect(rows.nth(1)).toHaveClass(/o_csync_focused/);
    const second = await rows.nth(1).getAttribute("id");
    await expect(grid).toHaveAttribute("aria-activedescendant", second ?? "");
    await page.keyboard.press("j");
    await page.keyboard.press("j");
    await expect(rows.nth(2)).toHaveClass(/o_csync_focused/);
    await page.keyboard.press("k");
    await expect(rows.nth(1)).toHaveClass(/o_csync_focused/);
    await page.keyboard.press(" ");
    await expect(rows.nth(1).locator(".o_csync_select")).toBeChecked();
    await expect(rows.nth(1)).toHaveAttribute("aria-selected", "true");
    await expect(page.locator(".o_csync_selection_count")).toHaveText("1 selected");
    await page.keyboard.press("Enter");
    const eventId = await rows.nth(1).getAttribute("data-event-id");
    await expect(page.locator(".o_csync_detail")).toHaveAttribute("data-event-id", eventId ?? "");
    await grid.focus();
    await page.keyboard.press("Escape");
    await expect(page.locator(".o_csync_detail")).toHaveCount(0);
    // From inside the panel as well.
    await page.keyboard.press("Enter");
    await page.locator(".o_csync_detail_close").focus();
    await page.keyboard.press("Escape");
    await expect(page.locator(".o_csync_detail")).toHaveCount(0);
    await ignoreWaiting(request, system);
    expect(problems).toEqual([]);
});

test("a manager replays a time range of one system from the cockpit", async ({ page, request }) => {
    const problems = watchConsole(page);
    const system = await createSystem(request, "replay");
    await deliverBatches(request, system, failingProjects(system, 4));
    await waitForState(request, system, "failed", 4);
    await openCockpit(page);
    await showOnly(page, system);
    await page.locator(".o_csync_replay_open").click();
    const dialog = page.locator(".o_csync_replay");
    await expect(dialog.locator(".o_csync_replay_system")).toHaveValue(String(system.id));
    await dialog.locator(".o_csync_replay_type").selectOption("project.upserted");
    await dialog.locator(".o_csync_replay_reason").fill("customer list imported");
    await dialog.locator(".o_csync_replay_run").click();
    await expect(dialog.locator(".o_csync_replay_result")).toHaveText(
        "4 events sent back to the queue."
    );
    const replays = await callKw<number>(request, "construction.sync.audit", "search_count", [
        [
            ["event_id.system_id", "=", system.id],
            ["action", "=", "replay"],
        ],
    ]);
    expect(replays).toBe(4);
    // An empty range is refused with the server's sentence, not a crash.
    await dialog.locator(".o_csync_replay_type").selectOption("partner.upserted");
    await dialog.locator(".o_csync_replay_run").click();
    await expect(dialog.locator(".o_csync_replay_error")).toContainText("No event of");
    // Replayed without the customer, they fail again.
    await waitForState(request, system, "failed", 4);
    await ignoreWaiting(request, system);
    expect(problems).toEqual([]);
});

test("Retry on all 800 matching events runs in chunks with a progress bar, reports the outcome, and Cancel stops between chunks", async ({
    page,
    request,
}) => {
    test.setTimeout(240_000);
    const problems = watchConsole(page);
    const system = await createSystem(request, "bulk");
    await deliverBatches(request, system, failingProjects(system, 800));
    await waitForState(request, system, "failed", 800);
    await openCockpit(page);
    await showOnly(page, system);
    await expect(page.locator(".o_csync_total")).toHaveText("800");

    await page.locator(".o_csync_select_all").check();
    await expect(page.locator(".o_csync_selection_count")).toHaveText("50 selected");
    await page.locator(".o_csync_select_matching").click();
    await expect(page.locator(".o_csync_selection_count")).toHaveText("800 selected");
    // Only the actions that make sense on thousands: no note, accept or reject.
    await expect(page.locator(".o_csync_bulk_note, .o_csync_bulk_accept")).toHaveCount(0);
    await page.locator(".o_csync_bulk_retry").click();
    const confirm = page.locator(".modal-dialog");
    await expect(confirm).toContainText("every event matching the filters (800)");
    await confirm.locator(".btn-primary", { hasText: "Retry" }).click();

    const run = page.locator(".o_csync_bulk_run");
    await expect(run.locator(".o_csync_bulk_progress")).toBeVisible();
    await expect(run.locator(".o_csync_bulk_count")).toHaveText("800 / 800", { timeout: 60_000 });
    await expect(run.locator(".progressbar, [role=progressbar]")).toHaveAttribute(
        "aria-valuenow",
        "100"
    );
    await expect(run.locator(".o_csync_bulk_outcome")).toHaveText("800 queued");
    // Queued is not the end: the notice follows them, and the list never claims an empty queue
    // (while they are queued it says so; the runners may already have failed them again).
    await expect(page.locator(".o_csync_notice")).toContainText("800 retried: ");
    await expect(page.locator(".o_csync_no_exceptions", { hasText: "Nothing waits" })).toHaveCount(
        0
    );
    await screenshotIfAsked(page, "cockpit-bulk");
    const retried = await callKw<number>(request, "construction.sync.audit", "search_count", [
        [
            ["event_id.system_id", "=", system.id],
            ["action", "=", "retry"],
        ],
    ]);
    expect(retried).toBe(800);
    // The runners apply them again; without the customer they fail again. The notice follows
    // them to that end, and names the reason.
    await waitForState(request, system, "failed", 800);
    await expect(page.locator(".o_csync_notice")).toContainText(
        "800 retried: 0 applied, 800 still failing (Data: Unknown customer",
        { timeout: 30_000 }
    );

    // A manager closes them the same way (Ignore needs a reason, kept in each history), and
    // cancels while the first chunk is on its way: the server finishes that chunk, the run
    // stops before the next. The first chunk's request is held until Cancel is clicked, so the
    // click always lands during it; the server still does all the work.
    await page.locator(".o_csync_refresh").click();
    await page.locator(".o_csync_bulk_dismiss").click();
    let cancelled = () => {};
    const cancelClicked = new Promise<void>((resolve) => (cancelled = resolve));
    await page.route("**/web/dataset/call_kw/construction.sync.cockpit/act", async (route) => {
        await cancelClicked;
        await route.continue();
    });
    await ignoreAllMatching(page, "duplicates of the import");
    await run.locator(".o_csync_bulk_cancel").click();
    cancelled();
    await expect(run.locator(".o_csync_bulk_outcome")).toHaveText(
        "500 closed; cancelled after 500 of 800",
        { timeout: 60_000 }
    );
    await page.unroute("**/web/dataset/call_kw/construction.sync.cockpit/act");
    await waitForState(request, system, "failed", 300);
    await expect(page.locator(".o_csync_total")).toHaveText("300");

    await page.locator(".o_csync_bulk_dismiss").click();
    await ignoreAllMatching(page, "duplicates of the import");
    await expect(run.locator(".o_csync_bulk_outcome")).toHaveText("300 closed", {
        timeout: 60_000,
    });
    await waitForState(request, system, "ignored", 800);
    await expect(page.locator(".o_csync_total")).toHaveText("0");
    expect(problems).toEqual([]);
});
