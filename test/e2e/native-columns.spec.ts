import { expect, test, type Page } from "@playwright/test";
import { createPersona, login, openMenu, watchConsole } from "./odoo";

// Issue 14's native screens at 1440 x 900, read by the people they are for: whole column titles,
// distinct ones, money with its currency, the totals an accountant adds up by hand otherwise.

/** The titles of the list's visible columns, and those the browser cuts with an ellipsis. */
async function headers(page: Page): Promise<{ titles: string[]; cut: string[] }> {
    await expect(page.locator(".o_list_table thead th").first()).toBeVisible();
    return page.evaluate(() => {
        const titles: string[] = [];
        const cut: string[] = [];
        for (const th of document.querySelectorAll<HTMLElement>(
            ".o_list_table thead th[data-name]"
        )) {
            const label = th.querySelector<HTMLElement>(".text-truncate") ?? th;
            const title = label.textContent?.trim() ?? "";
            titles.push(title);
            if (label.scrollWidth > label.clientWidth + 1) cut.push(title);
        }
        return { titles, cut };
    });
}

/** The cells of a column whose text the browser cuts. */
async function cutCells(page: Page, name: string): Promise<string[]> {
    return page.evaluate(
        (field) =>
            [...document.querySelectorAll<HTMLElement>(`.o_data_cell[name='${field}']`)]
                .filter((cell) => cell.scrollWidth > cell.clientWidth + 1)
                .map((cell) => cell.textContent?.trim() ?? ""),
        name
    );
}

test("a project's contract values carry the currency symbol, as its budget does", async ({
    page,
    request,
}) => {
    const problems = watchConsole(page);
    await login(page, await createPersona(request, "accountant"));
    await openMenu(page, "Construction", "Contracts", "Projects");
    await page.locator(".o_searchview_input").fill("Riverside Medical");
    await page.keyboard.press("Enter");
    await page
        .locator(".o_kanban_record, .o_data_row", { hasText: "Riverside Medical" })
        .first()
        .click();
    await page.getByRole("tab", { name: "Contract" }).click();
    for (const field of [
        "original_contract_value",
        "approved_change_order_total",
        "revised_contract_value",
    ]) {
        await expect(page.locator(`.o_field_widget[name='${field}']`)).toContainText("$");
    }
    // The budget below them: whole column titles.
    await expect(
        page.locator(".o_field_widget[name='budget_line_ids'] thead th").first()
    ).toBeVisible();
    const cut = await page.evaluate(() =>
        [
            ...document.querySelectorAll<HTMLElement>(
                "[name='budget_line_ids'] thead th .text-truncate"
            ),
        ]
            .filter((label) => label.scrollWidth > label.clientWidth + 1)
            .map((label) => label.textContent?.trim())
    );
    expect(cut).toEqual([]);
    expect(problems).toEqual([]);
});

test("an accountant reads whole, distinct column titles in the job cost", async ({
    page,
    request,
}) => {
    const problems = watchConsole(page);
    await login(page, await createPersona(request, "accountant"));
    await openMenu(page, "Construction", "Reporting", "Job Cost");
    await expect(page.locator(".o_list_table thead th[data-name='cost_code_id']")).toBeVisible();
    const { titles, cut } = await headers(page);
    expect(new Set(titles).size).toBe(titles.length);
    expect(cut).toEqual([]);
    expect(problems).toEqual([]);
});

test("the rental list shows its State whole and totals the unbilled amount; the submittal list its titles", async ({
    page,
    request,
}) => {
    const problems = watchConsole(page);
    await login(page, await createPersona(request, "accountant"));
    await openMenu(page, "Construction", "Field", "Rentals");
    await expect(page.locator(".o_list_table thead th[data-name='equipment_id']")).toBeVisible();
    const rentals = await headers(page);
    expect(rentals.cut).toEqual([]);
    const state = await page.locator(".o_list_table thead th[data-name='state']").boundingBox();
    expect((state?.x ?? 9999) + (state?.width ?? 0)).toBeLessThanOrEqual(1440);
    expect(await cutCells(page, "state")).toEqual([]);
    // The unbilled amount is summed in the footer, with its currency.
    const columns = await page
        .locator(".o_list_table thead th")
        .evaluateAll((ths) => ths.map((th) => th.getAttribute("data-name")));
    const unbilled = columns.indexOf("unbilled_amount");
    expect(unbilled).toBeGreaterThan(0);
    await expect(page.locator(".o_list_table tfoot td").nth(unbilled)).toContainText("$");

    await openMenu(page, "Construction", "Field", "Submittals");
    await expect(page.locator(".o_list_table thead th[data-name='spec_section']")).toBeVisible();
    const submittals = await headers(page);
    expect(submittals.cut).toEqual([]);
    expect(problems).toEqual([]);
});

test("Sync > Events gives event type, system and webhook id their width; the message takes the rest", async ({
    page,
    request,
}) => {
    const problems = watchConsole(page);
    await login(page, await createPersona(request, "accountant"));
    await openMenu(page, "Construction Sync", "Sync", "Events");
    const { cut } = await headers(page);
    expect(cut).toEqual([]);
    await expect(page.locator(".o_data_row").first()).toBeVisible();
    const message = await page
        .locator(".o_list_table thead th[data-name='error_message']")
        .boundingBox();
    expect(message?.width ?? 0).toBeGreaterThanOrEqual(200);
    // The webhook id is an optional column: shown, it is whole too.
    await page.locator(".o_optional_columns_dropdown_toggle").click();
    await page.locator(".o-dropdown--menu .form-check", { hasText: "Webhook" }).click();
    await expect(page.locator(".o_list_table thead th[data-name='webhook_id']")).toBeVisible();
    for (const name of ["event_type", "system_id", "webhook_id", "state"]) {
        expect(await cutCells(page, name)).toEqual([]);
    }
    expect(problems).toEqual([]);
});
