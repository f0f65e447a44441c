import { expect, type APIRequestContext, type ConsoleMessage, type Page } from "@playwright/test";

export const ADMIN = { login: "admin", password: "admin" };

/** Collects browser console errors and uncaught exceptions; a test asserts the list stays empty. */
export function watchConsole(page: Page): string[] {
    const problems: string[] = [];
    page.on("console", (message: ConsoleMessage) => {
        if (message.type() === "error") {
            problems.push(`console.error: ${message.text()}`);
        }
    });
    page.on("pageerror", (error: Error) => problems.push(`uncaught: ${error.message}`));
    return problems;
}

export async function login(page: Page, user = ADMIN): Promise<void> {
    await page.goto("/web/login");
    await page.getByLabel("Email").fill(user.login);
    await page.getByLabel("Password").fill(user.password);
    await page.getByRole("button", { name: "Log in" }).click();
    await expect(page.locator(".o_main_navbar")).toBeVisible();
}

/** Opens a menu path the way a user does: app switcher, then the top menu, then the item. */
export async function openMenu(page: Page, app: string, section: string, item: string) {
    await page.locator(".o_navbar_apps_menu button").click();
    await page.locator(".o_app", { hasText: app }).click();
    await page.locator(".o_menu_sections button", { hasText: section }).click();
    await page.locator(".dropdown-item", { hasText: new RegExp(`^\\s*${item}\\s*$`) }).click();
}

export const DB = process.env.CSYNC_DB ?? "";

export async function rpc<T>(request: APIRequestContext, path: string, params: object): Promise<T> {
    const response = await request.post(path, {
        data: { jsonrpc: "2.0", method: "call", id: 1, params },
    });
    expect(response.ok()).toBeTruthy();
    const body = (await response.json()) as { result?: T; error?: { data?: { message?: string } } };
    if (body.error) {
        throw new Error(body.error.data?.message ?? JSON.stringify(body.error));
    }
    return body.result as T;
}

export function callKw<T>(
    request: APIRequestContext,
    model: string,
    method: string,
    args: unknown[]
) {
    return rpc<T>(request, "/web/dataset/call_kw", { model, method, args, kwargs: {} });
}

/** With CSYNC_SCREENSHOTS=1, refreshes a README screenshot from the page as it is now. */
export async function screenshotIfAsked(page: Page, name: string): Promise<void> {
    if (process.env.CSYNC_SCREENSHOTS) {
        await page.screenshot({ path: `docs/screenshots/${name}.png` });
    }
}
