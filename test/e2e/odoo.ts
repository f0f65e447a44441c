import { expect, type ConsoleMessage, type Page } from "@playwright/test";

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
