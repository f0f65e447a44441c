import { expect, test } from "@playwright/test";
import {
    callKw,
    createPersona,
    createSystem,
    login,
    openMenu,
    screenshotIfAsked,
    signedHeaders,
    watchConsole,
} from "./odoo";

test("Construction > Sync > Cockpit renders the TypeScript cockpit without console errors", async ({
    page,
}) => {
    const problems = watchConsole(page);
    await login(page);
    await openMenu(page, "Construction Sync", "Sync", "Cockpit");

    await expect(page.locator(".o_csync_cockpit_title")).toHaveText("Integration Cockpit");
    await expect(page).toHaveURL(/\/odoo\/construction-cockpit$/);
    expect(problems).toEqual([]);
});

test("a data failure from a real signed webhook shows in the cockpit, Retry reports it, a mapping fixes it", async ({
    page,
    request,
}) => {
    const problems = watchConsole(page);
    const system = await createSystem(request, "cockpit");
    const { code, id: systemId } = system;
    const payload = JSON.stringify({
        type: "project.upserted",
        timestamp: new Date().toISOString(),
        data: { id: `P-${code}`, name: `Job ${code}`, customer_id: `C-${code}` },
    });
    const delivery = await request.post(`/construction_sync/webhook/${code}`, {
        data: payload,
        headers: signedHeaders(system, payload),
    });
    expect(delivery.status()).toBe(202);

    await login(page);
    await openMenu(page, "Construction Sync", "Sync", "Cockpit");
    const card = page.locator(".o_csync_system", { hasText: code });
    // The realtime runner applies it within seconds; the cockpit shows it after a refresh.
    const row = page.locator(".o_csync_exception", { hasText: `C-${code}` });
    await expect(async () => {
        await page.locator(".o_csync_refresh").click();
        await card.click();
        await expect(row).toBeVisible({ timeout: 1000 });
    }).toPass({ timeout: 30_000 });
    await expect(row.locator(".o_csync_reason")).toContainText(`Unknown customer 'C-${code}'`);

    // Filters narrow the list on the server: another event type hides it, its own shows it.
    await page.locator(".o_csync_event_type").selectOption("partner.upserted");
    await expect(row).toHaveCount(0);
    await page.locator(".o_csync_event_type").selectOption("project.upserted");
    await expect(row).toBeVisible();
    await page.locator(".o_csync_age").selectOption("168");
    await expect(row).toHaveCount(0);
    await page.locator(".o_csync_age").selectOption("0");
    await expect(row).toBeVisible();

    await row.locator(".o_csync_open").click();
    const detail = page.locator(".o_csync_detail");
    await expect(detail.locator(".o_csync_payload")).toContainText(`"customer_id": "C-${code}"`);
    await expect(detail.locator(".o_csync_detail_waiting")).toContainText(`C-${code}`);
    await expect(detail.locator(".o_csync_fix_mapping")).toBeVisible();

    await row.locator(".o_csync_retry").click();
    await expect(page.locator(".o_csync_notice")).toHaveText("1 still failing");
    await expect(row.locator(".o_csync_row_outcome")).toHaveText("Still failing.");
    await expect(row).toBeVisible();
    await screenshotIfAsked(page, "cockpit");

    // A manager maps the customer; the waiting event is released and applied by itself.
    const partnerId = await callKw<number>(request, "res.partner", "create", [
        { name: `Customer ${code}` },
    ]);
    await callKw(request, "construction.sync.mapping", "create", [
        {
            system_id: systemId,
            res_model: "res.partner",
            external_id: `C-${code}`,
            res_id: partnerId,
        },
    ]);
    await expect(async () => {
        await page.locator(".o_csync_refresh").click();
        await expect(row).toHaveCount(0, { timeout: 1000 });
    }).toPass({ timeout: 30_000 });
    // The row leaves the list once the event is released (pending); the runner applies it
    // a moment later.
    await expect
        .poll(
            () =>
                callKw<number>(request, "project.project", "search_count", [
                    [
                        ["name", "=", `Job ${code}`],
                        ["partner_id", "=", partnerId],
                    ],
                ]),
            { timeout: 30_000 }
        )
        .toBe(1);
    expect(problems).toEqual([]);
});

test("an integration user without manager rights gets no manager controls", async ({
    page,
    request,
}) => {
    const problems = watchConsole(page);
    await createSystem(request, "rights");
    // A project accountant: an integration user, not a manager.
    await login(page, await createPersona(request, "accountant"));
    await openMenu(page, "Construction Sync", "Sync", "Cockpit");
    // The demo company has an event awaiting approval: a manager could accept it, this user not.
    const approval = page.locator(".o_csync_exception", { hasText: "Eastside Fire Station 7" });
    await expect(approval).toHaveCount(1);
    await expect(approval.locator(".o_csync_accept")).toHaveCount(0);
    await approval.locator(".o_csync_select").check();
    await expect(page.locator(".o_csync_bulk_retry")).toBeVisible();
    await expect(
        page.locator(".o_csync_bulk_ignore, .o_csync_bulk_accept, .o_csync_bulk_reject")
    ).toHaveCount(0);
    await expect(page.locator(".o_csync_replay_open")).toHaveCount(0);
    await approval.locator(".o_csync_open").click();
    await expect(page.locator(".o_csync_detail")).toBeVisible();
    await expect(page.locator(".o_csync_traceback")).toHaveCount(0);
    expect(problems).toEqual([]);
});

test("a manager accepts an approval item from the cockpit", async ({ page, request }) => {
    const problems = watchConsole(page);
    const system = await createSystem(request, "approval");
    const settings = await callKw<number[]>(request, "construction.sync.event.setting", "search", [
        [
            ["system_id", "=", system.id],
            ["event_type", "=", "partner.upserted"],
        ],
    ]);
    await callKw(request, "construction.sync.event.setting", "write", [
        settings,
        { requires_approval: true },
    ]);
    const payload = JSON.stringify({
        type: "partner.upserted",
        timestamp: new Date().toISOString(),
        data: { id: `A-${system.code}`, name: `Approved ${system.code}`, kind: "subcontractor" },
    });
    const delivery = await request.post(`/construction_sync/webhook/${system.code}`, {
        data: payload,
        headers: signedHeaders(system, payload),
    });
    expect(delivery.status()).toBe(202);

    await login(page);
    await openMenu(page, "Construction Sync", "Sync", "Cockpit");
    const approval = page.locator(".o_csync_exception", { hasText: `A-${system.code}` });
    await expect(async () => {
        await page.locator(".o_csync_refresh").click();
        await expect(approval).toBeVisible({ timeout: 1000 });
    }).toPass({ timeout: 30_000 });
    await expect(approval.locator(".o_csync_reason")).toContainText(
        `Create Approved ${system.code}`
    );
    await approval.locator(".o_csync_accept").click();
    await expect(page.locator(".o_csync_notice")).toHaveText("1 applied");
    await expect(approval).toHaveCount(0);
    const partners = await callKw<number>(request, "res.partner", "search_count", [
        [["name", "=", `Approved ${system.code}`]],
    ]);
    expect(partners).toBe(1);
    expect(problems).toEqual([]);
});
