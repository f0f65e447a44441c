import { expect, test } from "@playwright/test";
import {
    createPersona,
    login,
    openMenu,
    screenshotIfAsked as screenshot,
    watchConsole,
} from "./odoo";

// The native screens of the sync engine, on the demo company's real deliveries. With
// CSYNC_SCREENSHOTS=1 the README's screenshots are refreshed from these pages.

test("an accountant finds a waiting event, reads why, and sees its audit trail", async ({
    page,
    request,
}) => {
    const problems = watchConsole(page);
    await login(page, await createPersona(request, "accountant"));
    await openMenu(page, "Construction Sync", "Sync", "Events");
    // The default filter shows what needs a person: the demo's data and business failures.
    const rows = page.locator(".o_data_row");
    await expect(rows.filter({ hasText: "project.upserted" }).first()).toBeVisible();
    await screenshot(page, "events-list");

    const waiting = rows.filter({ hasText: "Unknown customer 'C-20'" });
    await expect(waiting).toHaveCount(1);
    await waiting.click();
    await expect(page.locator(".alert-danger")).toContainText("Unknown customer 'C-20'");
    await page.getByRole("tab", { name: "Audit Trail" }).click();
    await expect(page.locator(".o_field_one2many .o_data_row")).toHaveCount(2);
    await screenshot(page, "event-form");
    expect(problems).toEqual([]);
});

test("a manager sees the system's endpoint, secret and event type settings", async ({
    page,
    request,
}) => {
    const problems = watchConsole(page);
    const contract = (await (await request.get("/construction_sync/openapi.json")).json()) as {
        "x-event-types": string[];
    };
    await login(page);
    await openMenu(page, "Construction Sync", "Configuration", "External Systems");
    await page.locator(".o_data_row", { hasText: "FieldLink Project Platform" }).click();
    await expect(page.locator(".o_form_view div[name='endpoint_url']").first()).toContainText(
        "/construction_sync/webhook/fieldlink"
    );
    await expect(page.locator(".o_form_view div[name='secret']").first()).toContainText("whsec_");
    await expect(page.getByRole("button", { name: "Rotate Secret" })).toBeVisible();
    // One settings row per event type the server handles.
    await expect(page.locator("div[name='setting_ids'] .o_data_row")).toHaveCount(
        contract["x-event-types"].length
    );
    await screenshot(page, "system-form");
    expect(problems).toEqual([]);
});
