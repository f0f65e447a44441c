import { expect, test } from "@playwright/test";
import {
    createPersona,
    login,
    openMenu,
    screenshotIfAsked as screenshot,
    watchConsole,
} from "./odoo";

// Progress billing and retention on the demo's Harborview Medical Office job: two invoiced pay
// applications and a partial retention release.

test("an accountant reads a pay application's G703 lines and G702 summary", async ({
    page,
    request,
}) => {
    const problems = watchConsole(page);
    await login(page, await createPersona(request, "accountant"));
    await openMenu(page, "Construction", "Contracts", "Pay Applications");
    const second = page.locator(".o_data_row", { hasText: "Harborview Medical Office" }).filter({
        hasText: "505,000.00",
    });
    await expect(second).toHaveCount(1);
    await second.click();
    await expect(page.locator(".o_statusbar_status .o_arrow_button_current")).toContainText(
        "Invoiced"
    );
    await expect(page.locator("div[name='line_ids'] .o_data_row")).toHaveCount(7);
    await expect(page.locator("div[name='line_ids']")).toContainText("Structural steel");
    await page.getByRole("tab", { name: "Summary (G702)" }).click();
    await expect(page.locator(".o_form_view")).toContainText("1,163,575.00");
    await expect(page.locator(".o_form_view")).toContainText("658,575.00");
    await screenshot(page, "pay-application");
    expect(problems).toEqual([]);
});

test("an accountant sees the retention held per project and partner", async ({ page, request }) => {
    const problems = watchConsole(page);
    await login(page, await createPersona(request, "accountant"));
    await openMenu(page, "Construction", "Contracts", "Retention");
    const owner = page.locator(".o_data_row", { hasText: "Northshore Health System" });
    await expect(owner).toContainText("97,375.00");
    await expect(owner).toContainText("24,300.00");
    await expect(
        page.locator(".o_data_row", { hasText: "Lakefront Steel Erectors" })
    ).toContainText("21,240.00");
    expect(problems).toEqual([]);
});
