import { expect, test } from "@playwright/test";
import {
    createPersona,
    login,
    openMenu,
    screenshotIfAsked as screenshot,
    watchConsole,
} from "./odoo";

// The field screens on the demo's fleet and submittal register: what a project accountant opens.

test("an accountant opens a rental with its usage, downtime and the overdue list", async ({
    page,
    request,
}) => {
    const problems = watchConsole(page);
    await login(page, await createPersona(request, "accountant"));
    await openMenu(page, "Construction", "Field", "Rentals");
    const excavator = page.locator(".o_data_row", { hasText: "CAT 320 Excavator" });
    await expect(excavator).toHaveCount(1);
    await excavator.click();
    await expect(page.locator(".o_form_view .o_statusbar_status")).toContainText("Dispatched");
    await page.getByRole("tab", { name: "Downtime" }).click();
    await expect(page.locator("div[name='downtime_ids'] .o_data_row")).toContainText(
        "Hydraulic hose burst"
    );
    await screenshot(page, "rental-line");
    await openMenu(page, "Construction", "Field", "Overdue Returns");
    await expect(page.locator(".o_data_row", { hasText: "CAT 320 Excavator" })).toHaveCount(1);
    await openMenu(page, "Construction", "Field", "Utilization");
    await expect(page.locator("div.o_pivot")).toContainText("CAT 950 Wheel Loader");
    expect(problems).toEqual([]);
});

test("a buyer sees which submittal holds the door hardware", async ({ page, request }) => {
    const problems = watchConsole(page);
    await login(page, await createPersona(request, "buyer"));
    await openMenu(page, "Construction", "Field", "Submittals");
    const hardware = page.locator(".o_data_row", { hasText: "08 71 00-003" });
    await expect(hardware).toContainText("Pending Review");
    await hardware.click();
    await expect(page.locator("div[name='purchase_line_ids'] .o_data_row")).toContainText(
        "Classroom door hardware set"
    );
    await page.getByRole("tab", { name: "Revision History" }).click();
    await expect(page.locator("div[name='revision_ids'] .o_data_row")).toHaveCount(1);
    await screenshot(page, "submittal");
    expect(problems).toEqual([]);
});
