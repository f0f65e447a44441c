import { expect, test } from "@playwright/test";
import {
    createPersona,
    login,
    openMenu,
    screenshotIfAsked as screenshot,
    watchConsole,
} from "./odoo";

// The contract side of the demo's Riverside job, built from the project platform's events:
// change orders accepted by a manager, two subcontracts, a posted subcontractor bill.

test("an accountant reads the approved change orders and the job cost of a project", async ({
    page,
    request,
}) => {
    const problems = watchConsole(page);
    await login(page, await createPersona(request, "accountant"));
    await openMenu(page, "Construction", "Contracts", "Change Orders");
    const sprinklers = page.locator(".o_data_row", { hasText: "PCO-014" });
    await expect(sprinklers).toContainText("51,370.50");
    await expect(sprinklers).toContainText("Approved");
    await expect(page.locator(".o_data_row", { hasText: "PCO-015" })).toContainText("Rejected");
    await sprinklers.click();
    await expect(page.locator("div[name='line_ids'] .o_data_row")).toHaveCount(2);
    await screenshot(page, "change-order");

    // Grouped by project: the rows of a project follow its group row.
    await openMenu(page, "Construction", "Reporting", "Job Cost");
    const riverside = page.locator(".o_group_header", {
        hasText: "Riverside Medical Office Building",
    });
    await expect(riverside).toHaveCount(1);
    const concrete = page
        .locator(".o_data_row", { hasText: "03 30 00" })
        .filter({ hasText: "429,400.00" });
    // Budget 455 000 (+ 25 000 revised), committed 412 000 + 12 x 1 450, actual 108 800 billed on
    // the subcontract + 3 914 of crew labor (the screenshot is month-close.spec.ts's).
    await expect(concrete).toContainText("455,000.00");
    await expect(concrete).toContainText("480,000.00");
    await expect(concrete).toContainText("112,714.00");
    // The sprinkler zone's budget comes from PCO-014 alone.
    await expect(page.locator(".o_data_row", { hasText: "21 13 00" })).toContainText("41,000.00");
    expect(problems).toEqual([]);
});
