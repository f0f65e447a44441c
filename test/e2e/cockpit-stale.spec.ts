import { expect, test, type APIRequestContext } from "@playwright/test";
import {
    callKw,
    createSystem,
    login,
    openMenu,
    signedHeaders,
    waitForState,
    watchConsole,
    type TestSystem,
} from "./odoo";

/** Delivers one partner.upserted event dated `hoursAgo` hours back. */
async function deliverPartner(
    request: APIRequestContext,
    system: TestSystem,
    name: string,
    hoursAgo: number
): Promise<void> {
    const payload = JSON.stringify({
        type: "partner.upserted",
        timestamp: new Date(Date.now() - hoursAgo * 3_600_000).toISOString(),
        data: { id: `S-${system.code}`, name, kind: "customer" },
    });
    const delivery = await request.post(`/construction_sync/webhook/${system.code}`, {
        data: payload,
        headers: signedHeaders(system, payload),
    });
    expect(delivery.status()).toBe(202);
}

test("a stale event shows on its card and in the Stale view; a manager resets the watermark and applies it", async ({
    page,
    request,
}) => {
    const problems = watchConsole(page);
    const system = await createSystem(request, "stale");
    await deliverPartner(request, system, `First ${system.code}`, 2);
    await waitForState(request, system, "done", 1);
    // A watermark dated in year 9999 (the intake refuses such events now; one applied before
    // that is set here directly): every genuine update of the partner goes stale.
    const mappings = await callKw<number[]>(request, "construction.sync.mapping", "search", [
        [
            ["system_id", "=", system.id],
            ["external_id", "=", `S-${system.code}`],
        ],
    ]);
    expect(mappings).toHaveLength(1);
    await callKw(request, "construction.sync.mapping", "write", [
        mappings,
        { last_source_timestamp: "9999-12-31 23:00:00" },
    ]);
    await deliverPartner(request, system, `Genuine ${system.code}`, 1);
    await waitForState(request, system, "stale", 1);

    // An integration manager, created through JSON-RPC.
    const [, groupManager] = await callKw<[string, number]>(
        request,
        "ir.model.data",
        "check_object_reference",
        ["construction_sync", "group_manager"]
    );
    const manager = { login: `stale-manager-${Date.now()}`, password: "stale-manager-pw-1" };
    await callKw(request, "res.users", "create", [
        { name: "Integration Manager", ...manager, groups_id: [[4, groupManager]] },
    ]);
    await login(page, manager);
    await openMenu(page, "Construction Sync", "Sync", "Cockpit");
    const card = page.locator(".o_csync_system", { hasText: system.code });
    await expect(card.locator(".o_csync_stale")).toHaveText("1");
    await card.click();
    await expect(page.locator(".o_csync_system[aria-pressed=true]")).toContainText(system.code);
    await expect(page.locator(".o_csync_stale_count")).toHaveText("1");

    // The Stale view lists it with the watermark that made it stale.
    await page.locator(".o_csync_view_stale").click();
    const row = page.locator(".o_csync_exception", { hasText: `S-${system.code}` });
    await expect(row).toHaveCount(1);
    await expect(row.locator(".o_csync_reason")).toContainText(
        "Older than the last applied update at"
    );
    await expect(row.locator(".o_csync_reason")).toContainText("9999-12-3");
    await expect(row.locator(".o_csync_retry")).toHaveCount(0);

    await row.locator(".o_csync_open").click();
    const detail = page.locator(".o_csync_detail_stale");
    await expect(detail).toContainText("Older than the last applied update at");
    await expect(detail.locator(".o_csync_detail_watermark")).toContainText(
        "Reset watermark sets it back to"
    );
    // Both actions need a reason for the audit trail.
    await expect(detail.locator(".o_csync_reset_watermark")).toBeDisabled();
    await detail.locator(".o_csync_stale_reason").fill("sender's clock was wrong");
    await detail.locator(".o_csync_reset_watermark").click();
    await expect(page.locator(".o_csync_notice")).toContainText("Watermark reset");
    // The watermark is back to the first update's: the genuine update is newer than it now.
    await expect(detail.locator(".o_csync_detail_watermark")).not.toContainText("9999-12-3");

    await detail
        .locator(".o_csync_stale_reason")
        .fill("the genuine update, silenced by the bad date");
    await detail.locator(".o_csync_apply_anyway").click();
    await expect(page.locator(".o_csync_notice")).toHaveText("1 applied");
    await expect(row).toHaveCount(0);
    // A full card says 0; a compact one (many systems) leaves its stale badge out.
    await expect
        .poll(async () => Number((await card.locator(".o_csync_stale").allTextContents())[0] ?? 0))
        .toBe(0);
    await expect(page.locator(".o_csync_detail_stale")).toHaveCount(0);
    await expect(page.locator(".o_csync_audit")).toContainText("sender's clock was wrong");
    await expect(page.locator(".o_csync_audit")).toContainText(
        "the genuine update, silenced by the bad date"
    );
    const partners = await callKw<number>(request, "res.partner", "search_count", [
        [["name", "=", `Genuine ${system.code}`]],
    ]);
    expect(partners).toBe(1);
    expect(problems).toEqual([]);
});

test("a manager resets a wrong watermark from the mapping form, with a reason", async ({
    page,
    request,
}) => {
    const problems = watchConsole(page);
    const system = await createSystem(request, "reset");
    await deliverPartner(request, system, `First ${system.code}`, 2);
    await waitForState(request, system, "done", 1);
    const mappings = await callKw<number[]>(request, "construction.sync.mapping", "search", [
        [
            ["system_id", "=", system.id],
            ["external_id", "=", `S-${system.code}`],
        ],
    ]);
    await callKw(request, "construction.sync.mapping", "write", [
        mappings,
        { last_source_timestamp: "9999-12-31 23:00:00" },
    ]);

    await login(page);
    await openMenu(page, "Construction Sync", "Sync", "Mappings");
    await page.locator(".o_data_row", { hasText: `S-${system.code}` }).click();
    await expect(page.locator(".o_form_view")).toBeVisible();
    await page.locator("button[name=action_open_reset_watermark]").click();
    const dialog = page.locator(".modal-dialog");
    await expect(dialog.locator("div[name=current_timestamp]")).toContainText("9999");
    await dialog.locator("div[name=reason] input").fill("sender's clock was wrong");
    await dialog.locator("button[name=action_confirm]").click();
    await expect(dialog).toHaveCount(0);
    await expect(page.locator("div[name=last_source_timestamp]")).not.toContainText("9999");

    // The next genuine update applies.
    await deliverPartner(request, system, `Genuine ${system.code}`, 1);
    await waitForState(request, system, "done", 2);
    expect(problems).toEqual([]);
});
