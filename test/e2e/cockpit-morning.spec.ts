import { expect, test, type Page } from "@playwright/test";
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

// The project accountant's morning in the cockpit (issue 14), at the 1440 x 900 of
// playwright.config.ts, logged in as an accountant (integration user, not a manager).

async function openCockpitAs(
    page: Page,
    request: Parameters<typeof createPersona>[0]
): Promise<void> {
    await login(page, await createPersona(request, "accountant"));
    await openMenu(page, "Construction Sync", "Sync", "Cockpit");
    await expect(page.locator(".o_csync_cockpit_title")).toBeVisible();
}

async function showOnly(page: Page, system: TestSystem): Promise<void> {
    await page.locator(".o_csync_system", { hasText: system.code }).click();
    await expect(page.locator(".o_csync_system[aria-pressed=true]")).toContainText(system.code);
}

/** The page and the cockpit's scrolling area scroll vertically only. */
async function horizontalOverflow(page: Page): Promise<number[]> {
    return page.evaluate(() =>
        [document.documentElement, document.querySelector(".o_csync_cockpit_body")].map(
            (element) => (element ? element.scrollWidth - element.clientWidth : -1)
        )
    );
}

/** The element's box lies within the viewport's width, and its top within its height. */
async function expectAcross(page: Page, selector: string): Promise<void> {
    const box = await page.locator(selector).first().boundingBox();
    const viewport = page.viewportSize();
    expect(box && viewport).toBeTruthy();
    if (box && viewport) {
        expect(box.x).toBeGreaterThanOrEqual(0);
        expect(box.x + box.width).toBeLessThanOrEqual(viewport.width);
        expect(box.y).toBeGreaterThanOrEqual(0);
        expect(box.y).toBeLessThan(viewport.height);
    }
}

test("at 1440 x 900 the first exception, the detail panel and the outcome of a retry far down the list are all in view, without horizontal scrolling", async ({
    page,
    request,
}) => {
    const problems = watchConsole(page);
    expect(page.viewportSize()).toEqual({ width: 1440, height: 900 });
    const system = await createSystem(request, "morning");
    await deliverBatches(request, system, failingProjects(system, 30));
    await waitForState(request, system, "failed", 30);

    await openCockpitAs(page, request);
    await showOnly(page, system);
    const rows = page.locator(".o_csync_exception");
    await expect(rows).toHaveCount(30);
    // The list comes first: its first row is in the first screen.
    await expect(rows.first()).toBeInViewport({ ratio: 1 });
    // Odoo's words for states and classes, the object by its model's name.
    const first = rows.first();
    await expect(first.locator(".o_csync_state")).toHaveText("Failed");
    await expect(first.locator(".o_csync_error_class_label")).toHaveText("Data");
    await expect(first.locator(".o_csync_object")).toContainText(/^\s*Project P-/);

    // Retry far down the list: the outcome shows on that row and in a notice that stays in view.
    const lower = rows.nth(26);
    await lower.scrollIntoViewIfNeeded();
    await lower.locator(".o_csync_retry").click();
    const notice = page.locator(".o_csync_notice");
    await expect(notice).toHaveText("1 still failing");
    await expect(notice).toBeInViewport({ ratio: 1 });
    await expect(lower.locator(".o_csync_row_outcome")).toHaveText("Still failing.");
    await expect(lower.locator(".o_csync_row_outcome")).toBeInViewport();

    // The first row's detail: beside the list, inside the screen; the notice is still there.
    await first.locator(".o_csync_open").click();
    const detail = page.locator(".o_csync_detail");
    await expect(detail).toBeVisible();
    await first.scrollIntoViewIfNeeded();
    await expect(first).toBeInViewport({ ratio: 1 });
    await expect(detail).toBeInViewport();
    await expect(notice).toBeInViewport({ ratio: 1 });
    for (const selector of [".o_csync_exception", ".o_csync_detail", ".o_csync_notice"]) {
        await expectAcross(page, selector);
    }
    // The Why column stays readable beside the panel.
    const why = await first.locator(".o_csync_reason").boundingBox();
    expect(why?.width ?? 0).toBeGreaterThanOrEqual(250);
    expect(await horizontalOverflow(page)).toEqual([0, 0]);
    await ignoreWaiting(request, system);
    expect(problems).toEqual([]);
});

test("an accountant finds a change order awaiting approval under Approvals, with its amount in dollars", async ({
    page,
    request,
}) => {
    const problems = watchConsole(page);
    const system = await createSystem(request, "approvals");
    // The project platform's ids of a demo project and cost code, mapped by an admin.
    const [projectId] = await callKw<number[]>(request, "project.project", "search", [
        [["name", "=", "Riverside Medical Office Building"]],
    ]);
    const [costCodeId] = await callKw<number[]>(request, "construction.cost.code", "search", [
        [["project_id", "=", false]],
    ]);
    for (const [model, externalId, resId] of [
        ["project.project", `P-${system.code}`, projectId],
        ["construction.cost.code", `CC-${system.code}`, costCodeId],
    ] as const) {
        await callKw(request, "construction.sync.mapping", "create", [
            { system_id: system.id, res_model: model, external_id: externalId, res_id: resId },
        ]);
    }
    const payload = JSON.stringify({
        type: "change_order.approved",
        timestamp: new Date().toISOString(),
        data: {
            id: `CO-${system.code}`,
            project_id: `P-${system.code}`,
            number: `PCO-${system.code}`,
            title: "Add fire sprinkler zone, level 3",
            kind: "prime",
            lines: [
                {
                    cost_code_id: `CC-${system.code}`,
                    description: "Sprinkler mains and heads",
                    amount: 48250.0,
                },
                {
                    cost_code_id: `CC-${system.code}`,
                    description: "Patch and paint ceilings",
                    amount: 3120.5,
                },
            ],
        },
    });
    const delivery = await request.post(`/construction_sync/webhook/${system.code}`, {
        data: payload,
        headers: signedHeaders(system, payload),
    });
    expect(delivery.status()).toBe(202);
    await waitForState(request, system, "awaiting_approval", 1);

    await openCockpitAs(page, request);
    await showOnly(page, system);
    await page.locator(".o_csync_view_approvals").click();
    await expect(page.locator(".o_csync_view_approvals")).toHaveAttribute("aria-selected", "true");
    await expect(page.locator(".o_csync_view_approvals .o_csync_approval_count")).toHaveText("1");
    const row = page.locator(".o_csync_exception");
    await expect(row).toHaveCount(1);
    await expect(row.locator(".o_csync_state")).toHaveText("Awaiting Approval");
    await expect(row.locator(".o_csync_object")).toContainText(`Change Order CO-${system.code}`);
    await expect(row.locator(".o_csync_amount")).toHaveText("$51,370.50");
    // The approval's sentence names the money with its currency too.
    await expect(row.locator(".o_csync_reason")).toContainText(/prime, \$\s?51,370\.50/);
    // Approving a change order is a construction manager's decision, not the accountant's.
    await expect(row.locator(".o_csync_accept")).toHaveCount(0);
    await page.locator(".o_csync_view_exceptions").click();
    await expect(page.locator(".o_csync_exception")).toHaveCount(1);
    await ignoreWaiting(request, system);
    expect(problems).toEqual([]);
});

test("with 14 systems the cards are one compact row, the unhealthy first with their count, and filterable", async ({
    page,
    request,
}) => {
    const problems = watchConsole(page);
    const unhealthy = await createSystem(request, "sick");
    await deliverBatches(request, unhealthy, failingProjects(unhealthy, 2));
    await waitForState(request, unhealthy, "failed", 2);
    const active = await callKw<number>(request, "construction.sync.system", "search_count", [[]]);
    const created = [unhealthy];
    for (let index = active; index < 14; index++) {
        created.push(await createSystem(request, "many"));
    }
    const total = Math.max(active, 14);

    await openCockpitAs(page, request);
    const summary = page.locator(".o_csync_systems_summary");
    await expect(summary).toContainText(new RegExp(`^${total} systems, [1-9]\\d* unhealthy$`));
    const cards = page.locator(".o_csync_system");
    await expect(cards).toHaveCount(total);
    await expect(cards.first()).toHaveClass(/o_csync_alert/);
    // The list is not pushed below the fold by the cards.
    await expect(page.locator(".o_csync_exception").first()).toBeInViewport({ ratio: 1 });

    await page.locator(".o_csync_system_filter").fill(unhealthy.code);
    await expect(cards).toHaveCount(1);
    await expect(cards.first()).toContainText("2 failed");
    await page.locator(".o_csync_system_filter").fill("");
    await page.locator(".o_csync_unhealthy_only").check();
    // The filter applies on the next render: read the count once it has.
    await expect.poll(() => cards.count()).toBeLessThan(total);
    const shown = await cards.count();
    for (let index = 0; index < shown; index++) {
        await expect(cards.nth(index)).toHaveClass(/o_csync_alert/);
    }
    await ignoreWaiting(request, unhealthy);
    // Archived again: the other specs read the full cards of a handful of systems.
    await callKw(request, "construction.sync.system", "write", [
        created.map((system) => system.id),
        { active: false },
    ]);
    expect(problems).toEqual([]);
});

test("without the bus (no proxy to the gevent port under workers) the cockpit says plainly that it polls", async ({
    page,
    request,
}) => {
    const problems = watchConsole(page);
    // What a browser gets when /websocket is not routed to Odoo's gevent port: a bus that never
    // connects. The bus's worker is replaced by one that does nothing.
    await page.route("**/bus/websocket_worker_bundle**", (route) =>
        route.fulfill({ contentType: "application/javascript", body: "// no bus\n" })
    );
    await openCockpitAs(page, request);
    const live = page.locator(".o_csync_live");
    await expect(live).toHaveAttribute("data-live", "false");
    await expect(live).toHaveText("Polling every 30 s: not live");
    await expect(live).toHaveAttribute(
        "title",
        /proxy that sends \/websocket to Odoo's gevent port/
    );
    await expect(live).toBeInViewport();
    // With the bus reachable again, the same screen goes live: the label follows the connection.
    await page.unroute("**/bus/websocket_worker_bundle**");
    await page.reload();
    await expect(live).toHaveAttribute("data-live", "true", { timeout: 30_000 });
    await expect(live).toHaveText("● Live");
    expect(problems).toEqual([]);
});
