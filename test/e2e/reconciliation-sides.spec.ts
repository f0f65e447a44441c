import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import {
    createPersona,
    createSystem,
    login,
    openMenu,
    signedHeaders,
    waitForState,
    watchConsole,
    type TestSystem,
} from "./odoo";

// Reconciliation's side-by-side view: a project platform's snapshot says one project is worth
// 125 000.00 (Odoo applied 100 000.00) and names a project Odoo never received. The integration
// manager compares both sides in the cockpit, takes the source's value and ignores the other
// with a reason; an accountant sees the same sides without the actions.

async function deliver(
    request: APIRequestContext,
    system: TestSystem,
    type: string,
    timestamp: string,
    data: object
): Promise<void> {
    const payload = JSON.stringify({ type, timestamp, data });
    const response = await request.post(`/construction_sync/webhook/${system.code}`, {
        data: payload,
        headers: signedHeaders(system, payload),
    });
    expect(response.status()).toBe(202);
}

async function snapshotWithTwoDifferences(request: APIRequestContext): Promise<TestSystem> {
    const system = await createSystem(request, "sides");
    const version = new Date(Date.now() - 3_600_000).toISOString();
    await deliver(request, system, "project.upserted", version, {
        id: `P-${system.code}`,
        name: `Sides ${system.code}`,
        contract_value: 100000,
    });
    await waitForState(request, system, "done", 1);
    const asOf = new Date().toISOString();
    await deliver(request, system, "project.snapshot", asOf, {
        snapshot_id: `S-${system.code}`,
        as_of: asOf,
        page: 1,
        pages: 1,
        objects: [
            {
                id: `P-${system.code}`,
                version,
                values: { name: `Sides ${system.code}`, contract_value: 125000 },
            },
            {
                id: `N-${system.code}`,
                version,
                values: { name: `Never arrived ${system.code}`, contract_value: 5000 },
            },
        ],
    });
    await waitForState(request, system, "done", 2);
    return system;
}

async function openReconciliation(page: Page, system: TestSystem): Promise<void> {
    await openMenu(page, "Construction Sync", "Sync", "Cockpit");
    await expect(page.locator(".o_csync_cockpit_title")).toBeVisible();
    await page.locator(".o_csync_system", { hasText: system.code }).click();
    await expect(page.locator(".o_csync_system[aria-pressed=true]")).toContainText(system.code);
    await page.locator(".o_csync_view_reconciliation").click();
    await expect(page.locator(".o_csync_reconciliation_difference")).toHaveCount(2);
}

test("an integration manager compares both sides of a difference, takes the source's value and ignores another with a reason", async ({
    page,
    request,
}) => {
    const problems = watchConsole(page);
    const system = await snapshotWithTwoDifferences(request);
    await login(page, await createPersona(request, "integrationManager"));
    await openReconciliation(page, system);

    await page
        .locator(".o_csync_reconciliation_difference", { hasText: `P-${system.code}` })
        .click();
    const sides = page.locator(".o_csync_difference_sides");
    await expect(sides.locator(".o_csync_difference_name")).toContainText("Value Mismatch");
    await expect(sides.locator(".o_csync_difference_record")).toHaveText(`Sides ${system.code}`);
    const value = sides.locator("tr[data-field=contract_value]");
    await expect(value).toHaveClass(/o_csync_difference_mismatch/);
    await expect(value.locator(".o_csync_difference_source")).toHaveText("125 000.00");
    await expect(value.locator(".o_csync_difference_odoo")).toHaveText("100 000.00");
    await expect(sides.locator("tr[data-field=name]")).not.toHaveClass(
        /o_csync_difference_mismatch/
    );

    await sides.locator(".o_csync_difference_take").click();
    await expect(sides.locator(".o_csync_difference_outcome")).toContainText("took");
    await expect(sides.locator(".o_csync_difference_state")).toHaveText("Source's Values Taken");
    await expect(value.locator(".o_csync_difference_odoo")).toHaveText("125 000.00");
    await expect(value).not.toHaveClass(/o_csync_difference_mismatch/);
    await expect(sides.locator(".o_csync_difference_take")).toHaveCount(0);
    // Settled, it left the list of open differences; the panel's figures followed.
    await expect(page.locator(".o_csync_reconciliation_difference")).toHaveCount(1);

    await page
        .locator(".o_csync_reconciliation_difference", { hasText: `N-${system.code}` })
        .click();
    await expect(sides.locator(".o_csync_difference_record_none")).toBeVisible();
    await expect(sides.locator(".o_csync_difference_keep")).toHaveCount(0);
    await expect(sides.locator(".o_csync_difference_ignore")).toBeDisabled();
    await sides.locator(".o_csync_difference_reason").fill("Test job, deleted at the source");
    await sides.locator(".o_csync_difference_ignore").click();
    await expect(sides.locator(".o_csync_difference_outcome")).toContainText(
        "Test job, deleted at the source"
    );
    await expect(page.locator(".o_csync_reconciliation_difference")).toHaveCount(0);
    expect(problems).toEqual([]);
});

test("an accountant sees both sides of a difference but no action", async ({ page, request }) => {
    const problems = watchConsole(page);
    const system = await snapshotWithTwoDifferences(request);
    await login(page, await createPersona(request, "accountant"));
    await openReconciliation(page, system);
    await page
        .locator(".o_csync_reconciliation_difference", { hasText: `P-${system.code}` })
        .click();
    const sides = page.locator(".o_csync_difference_sides");
    await expect(
        sides.locator("tr[data-field=contract_value] .o_csync_difference_odoo")
    ).toHaveText("100 000.00");
    await expect(sides.locator("button")).toHaveCount(0);
    expect(problems).toEqual([]);
});
