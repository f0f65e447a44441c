import { expect, test } from "@playwright/test";
import {
    callKw,
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
    await openMenu(page, "Construction", "Sync", "Cockpit");

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
    await openMenu(page, "Construction", "Sync", "Cockpit");
    const card = page.locator(".o_csync_system", { hasText: code });
    // The realtime runner applies it within seconds; the cockpit shows it after a refresh.
    const row = page.locator(".o_csync_exception", { hasText: `C-${code}` });
    await expect(async () => {
        await page.locator(".o_csync_refresh").click();
        await card.click();
        await expect(row).toBeVisible({ timeout: 1000 });
    }).toPass({ timeout: 30_000 });
    await expect(row.locator(".o_csync_reason")).toContainText(`Unknown customer 'C-${code}'`);

    await row.locator(".o_csync_retry").click();
    await expect(page.locator(".o_csync_notice")).toHaveText("1 still failing");
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
    const projects = await callKw<number>(request, "project.project", "search_count", [
        [
            ["name", "=", `Job ${code}`],
            ["partner_id", "=", partnerId],
        ],
    ]);
    expect(projects).toBe(1);
    expect(problems).toEqual([]);
});
