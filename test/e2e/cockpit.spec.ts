import { expect, test } from "@playwright/test";
import { login, openMenu, watchConsole } from "./odoo";

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
