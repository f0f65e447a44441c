import { expect, test, type APIRequestContext } from "@playwright/test";
import { ADMIN, DB, callKw, login, openMenu, rpc, watchConsole } from "./odoo";

// The purchase order form of a commitment, as a buyer sees it: construction_contract and
// construction_submittal each extend it, and both sets of fields must be there (two views once
// shared one xml id and the later one silently replaced the other).

async function groupId(request: APIRequestContext, module: string, name: string) {
    const [, id] = await callKw<[string, number]>(
        request,
        "ir.model.data",
        "check_object_reference",
        [module, name]
    );
    return id;
}

test("a buyer opens a commitment and sees its project, retention and cost codes", async ({
    page,
    request,
}) => {
    const problems = watchConsole(page);
    await rpc(request, "/web/session/authenticate", {
        db: DB,
        login: ADMIN.login,
        password: ADMIN.password,
    });
    const groups = [
        await groupId(request, "purchase", "group_purchase_user"),
        await groupId(request, "construction_base", "group_user"),
    ];
    const buyer = { login: `buyer-${Date.now()}`, password: "buyer-pw-1" };
    await callKw(request, "res.users", "create", [
        {
            name: "Commitment Buyer",
            login: buyer.login,
            password: buyer.password,
            groups_id: groups.map((id) => [4, id]),
        },
    ]);

    await login(page, buyer);
    await openMenu(page, "Construction", "Contracts", "Commitments");
    // The demo's Riverside concrete subcontract SC-3105, from the platform's commitment.approved.
    const subcontract = page.locator(".o_data_row", { hasText: "Ridgeline Concrete LLC" });
    await expect(subcontract).toHaveCount(1);
    await subcontract.click();

    const form = page.locator(".o_form_view");
    await expect(form.locator(".o_field_widget[name='construction_project_id'] input")).toHaveValue(
        "Riverside Medical Office Building"
    );
    await expect(form.locator("label", { hasText: "Construction Project" })).toBeVisible();
    await expect(form.locator(".o_field_widget[name='retention_percent'] input")).toHaveValue(
        "10.00"
    );

    const lines = form.locator("div[name='order_line']");
    await expect(lines.locator("th[data-name='cost_code_id']")).toContainText("Cost Code");
    // A line's description is in a textarea: rows are found by their accessible name.
    for (const description of ["Foundations and slabs", "Pump truck days"]) {
        const line = lines.getByRole("row", { name: new RegExp(description) });
        await expect(line.locator("td[name='cost_code_id']")).toHaveText(
            "03 30 00 Cast-in-Place Concrete"
        );
    }
    // construction_submittal's column is on the same list: neither extension replaced the other.
    await expect(lines.locator("th[data-name='construction_submittal_ids']")).toBeVisible();
    expect(problems).toEqual([]);
});
