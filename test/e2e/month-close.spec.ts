import { expect, test, type Page } from "@playwright/test";
import {
    createPersona,
    login,
    openMenu,
    screenshotIfAsked as screenshot,
    watchConsole,
} from "./odoo";

/** On the list titled `title`, searches `text` in its first search field (project, order). */
async function searchFor(page: Page, title: string, text: string) {
    await expect(page.locator(".o_breadcrumb .active")).toHaveText(title);
    await page.locator(".o_searchview_input").fill(text);
    await expect(page.locator(".o_searchview_autocomplete")).toBeVisible();
    await page.keyboard.press("Enter");
    await expect(page.locator(".o_searchview_facet", { hasText: text })).toBeVisible();
}

// The demo company closes last month (README, "Try it"): a taxable pay application, a
// budget revision and its job cost, a rental invoice with a pause and a transfer, a hold and the
// return of the held material. Each screen is read by the person it is for.

test("an accountant reads the tax on a pay application and on its invoice", async ({
    page,
    request,
}) => {
    const problems = watchConsole(page);
    await login(page, await createPersona(request, "accountant"));
    await openMenu(page, "Construction", "Contracts", "Pay Applications");
    const application = page.locator(".o_data_row", {
        hasText: "Lakeview Public Library Renovation",
    });
    await expect(application).toHaveCount(1);
    // 100 000.00 of work less 10 % retained: 90 000.00 due before tax.
    await expect(application).toContainText("100,000.00");
    await expect(application).toContainText("90,000.00");
    await application.click();
    await expect(page.locator(".o_statusbar_status .o_arrow_button_current")).toContainText(
        "Invoiced"
    );
    await expect(page.locator("div[name='line_ids'] .o_data_row")).toHaveCount(5);
    await page.getByRole("tab", { name: "Summary (G702)" }).click();
    // The project's Billing Tax (the chart's 15 % sales tax) on the work billed, not on the
    // retention (Tax on Retention: taxed when billed).
    await expect(page.locator(".o_field_widget[name='current_payment_due']")).toContainText(
        "90,000.00"
    );
    await expect(page.locator(".o_field_widget[name='amount_tax']")).toContainText("15,000.00");
    await expect(page.locator(".o_field_widget[name='amount_due_incl_tax']")).toContainText(
        "105,000.00"
    );
    // The tax lines are at the foot of the G702 summary.
    await page.locator(".o_field_widget[name='amount_due_incl_tax']").scrollIntoViewIfNeeded();
    await screenshot(page, "pay-application-tax");

    await page.locator(".oe_stat_button[name='action_view_invoice']").click();
    // A line's label is in a text box: rows are read by their accessible name.
    const lines = page.locator("div[name='invoice_line_ids']");
    await expect(lines.locator(".o_data_row")).toHaveCount(4);
    await expect(lines.getByRole("row", { name: /Interior demolition/ })).toHaveAccessibleName(
        /1\.00 60,000\.00 15% \$\s60,000\.00/
    );
    await expect(
        lines.getByRole("row", { name: /Retainage on completed work/ })
    ).toHaveAccessibleName(/1\.00 -10,000\.00 \$\s-10,000\.00/);
    const totals = page.locator(".o_field_widget[name='tax_totals']");
    await expect(totals).toContainText("90,000.00");
    await expect(totals).toContainText("15,000.00");
    await expect(totals).toContainText("105,000.00");
    await screenshot(page, "pay-application-invoice");
    expect(problems).toEqual([]);
});

test("an accountant reads a budget revision and what it does to the job cost", async ({
    page,
    request,
}) => {
    const problems = watchConsole(page);
    await login(page, await createPersona(request, "accountant"));
    await openMenu(page, "Construction", "Contracts", "Budgets");
    const versions = page.locator(".o_data_row", { hasText: "Riverside Medical Office Building" });
    await expect(versions).toHaveCount(2);
    await expect(versions.filter({ hasText: "Superseded" })).toContainText("1,271,000.00");
    const revision = versions.filter({ hasText: "Approved" });
    await expect(revision).toContainText("Geotechnical report");
    await revision.click();

    // Version 2 moves 25 000.00 from structural steel to concrete; painting is carried forward.
    const items = page.locator("div[name='item_ids'] .o_data_row");
    await expect(items).toHaveCount(3);
    const concrete = items.filter({ hasText: "03 30 00" });
    await expect(concrete).toContainText("455,000.00");
    await expect(concrete).toContainText("480,000.00");
    await expect(concrete).toContainText("25,000.00");
    await expect(items.filter({ hasText: "05 12 00" })).toContainText("-25,000.00");
    await expect(page.locator(".o_field_widget[name='previous_budget_id']")).toContainText(
        "budget v1"
    );
    await screenshot(page, "budget-revision");

    // The job cost, grouped by project: original budget + revisions + change orders = revised.
    await openMenu(page, "Construction", "Reporting", "Job Cost");
    await searchFor(page, "Job Cost", "Riverside");
    await expect(page.locator(".o_group_header")).toHaveCount(1);
    const rows = page.locator(".o_data_row");
    const concreteCost = rows.filter({ hasText: "03 30 00" });
    // Committed 412 000 + 12 x 1 450; actual cost 108 800 billed by the subcontractor plus the
    // crew week's concrete labor at loaded cost (3 914.00, construction_timesheet's demo).
    for (const figure of ["455,000.00", "25,000.00", "480,000.00", "429,400.00", "112,714.00"]) {
        await expect(concreteCost).toContainText(figure);
    }
    // Steel lost 25 000 to concrete and is now projected 5 964 over: 687 500 + 12 400 committed
    // and 1 064 of the crew week's labor.
    const steel = rows.filter({ hasText: "05 12 00" });
    for (const figure of ["720,000.00", "-25,000.00", "695,000.00", "699,900.00", "-5,964.00"]) {
        await expect(steel).toContainText(figure);
    }
    // Painting and sprinklers move by the budget side of the approved change order PCO-014.
    await expect(rows.filter({ hasText: "09 91 00" })).toContainText("3,120.50");
    await expect(rows.filter({ hasText: "21 13 00" })).toContainText("41,000.00");
    await expect(page.locator(".o_group_header")).toContainText("1,315,120.50");
    await screenshot(page, "job-cost");
    expect(problems).toEqual([]);
});

test("an accountant checks the rental invoice of a machine paused and transferred last month", async ({
    page,
    request,
}) => {
    const problems = watchConsole(page);
    await login(page, await createPersona(request, "accountant"));
    await openMenu(page, "Construction", "Field", "Rental Billings");
    const billings = page.locator(".o_data_row", { hasText: "Bobcat T76 Compact Track Loader" });
    await expect(billings).toHaveCount(2);
    await expect(
        billings.filter({ hasText: "Cedar Ridge Middle School Gym Addition" })
    ).toHaveCount(1);
    const elementary = billings.filter({ hasText: "Cedar Ridge Elementary School" });
    await expect(elementary).toContainText("4,766.30");
    await elementary.click();

    // Dispatch on the 2nd 07:00 to the transfer on the 16th 12:00: 14 days 5 h = 14.21 days;
    // the breakdown from the 9th 13:00 to the 11th 09:00, 44 h = 1.83 days, pauses the billing.
    const lines = page.locator("div[name='billing_line_ids'] .o_data_row");
    await expect(lines).toHaveCount(2);
    const rent = lines.filter({ hasText: "On rent" });
    await expect(rent).toContainText("transfer to Cedar Ridge Middle School Gym Addition");
    await expect(rent).toContainText("14.21");
    await expect(rent).toContainText("5,470.85");
    const pause = lines.filter({ hasText: "Paused" });
    await expect(pause).toContainText("Drive motor hose burst");
    await expect(pause).toContainText("-1.83");
    await expect(pause).toContainText("-704.55");

    await page.locator(".o_field_widget[name='move_id'] a").click();
    // The machine's section, then quantity x rate = amount on each line (labels are in text
    // boxes: rows are read by their accessible name).
    const invoiceLines = page.locator("div[name='invoice_line_ids']");
    await expect(invoiceLines.locator(".o_data_row")).toHaveCount(3);
    await expect(
        invoiceLines.getByRole("row", { name: /Bobcat T76 .* on Cedar Ridge Elementary School/ })
    ).toHaveCount(1);
    await expect(invoiceLines.getByRole("row", { name: /\(dispatch\)/ })).toHaveAccessibleName(
        /transfer to Cedar Ridge Middle School Gym Addition\) 14\.21 385\.00 15% \$\s5,470\.85/
    );
    await expect(invoiceLines.getByRole("row", { name: /Paused/ })).toHaveAccessibleName(
        /\(breakdown\) -1\.83 385\.00 15% \$\s-704\.55/
    );
    const totals = page.locator(".o_field_widget[name='tax_totals']");
    await expect(totals).toContainText("4,766.30");
    await expect(totals).toContainText("714.95");
    await expect(totals).toContainText("5,481.25");
    await screenshot(page, "rental-invoice");
    expect(problems).toEqual([]);
});

test("a buyer sees the rejected submittal hold the ceiling panels and their return to the vendor", async ({
    page,
    request,
}) => {
    const problems = watchConsole(page);
    await login(page, await createPersona(request, "buyer"));
    await openMenu(page, "Construction", "Field", "Submittals");
    const submittal = page.locator(".o_data_row", { hasText: "09 51 13-001" });
    await expect(submittal).toContainText("Rejected");
    await submittal.click();
    await expect(page.locator(".oe_stat_button", { hasText: "Lines on Hold" })).toContainText("1");
    await expect(page.locator("div[name='purchase_line_ids'] .o_data_row")).toContainText(
        "Acoustical ceiling panel"
    );
    await page.getByRole("tab", { name: "Revision History" }).click();
    const history = page.locator("div[name='revision_ids'] .o_data_row");
    await expect(history).toHaveCount(2);
    await expect(history.filter({ hasText: "Rejected" })).toContainText("NRC 0.55");
    await screenshot(page, "submittal-hold");

    await openMenu(page, "Purchase", "Orders", "Purchase Orders");
    // The vendor's reference of the ceiling panel order.
    await searchFor(page, "Purchase Orders", "KBS-Q-5521");
    await expect(page.locator(".o_data_row")).toHaveCount(1);
    await page.locator(".o_data_row", { hasText: "Keystone Building Supply" }).click();
    const line = page.locator("div[name='order_line'] .o_data_row", {
        hasText: "Acoustical ceiling panel",
    });
    // On hold, 96 cartons received then all returned: nothing left to bill.
    await expect(line.locator("td[name='construction_submittal_hold'] input")).toBeChecked();
    await expect(line.locator("td[name='product_qty']")).toContainText("96.00");
    await expect(line.locator("td[name='qty_received']")).toHaveText("0.00");
    await expect(page.locator(".o_mail_activity, .o-mail-Activity").first()).toContainText(
        "Submittal 09 51 13-001 is rejected"
    );
    await screenshot(page, "purchase-hold-return");

    await page.locator(".oe_stat_button[name='action_view_picking']").click();
    const pickings = page.locator(".o_data_row");
    await expect(pickings).toHaveCount(2);
    await expect(pickings.filter({ hasText: "Return of" })).toContainText("Done");
    await expect(pickings.filter({ hasNotText: "Return of" })).toContainText("Done");
    expect(problems).toEqual([]);
});
