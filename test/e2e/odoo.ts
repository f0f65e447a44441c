import { randomUUID } from "node:crypto";
import { expect, type APIRequestContext, type ConsoleMessage, type Page } from "@playwright/test";
import { Webhook } from "standardwebhooks";

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
    // Exact names: "Construction" would also match "Construction Sync".
    const exactly = (name: string) => new RegExp(`^\\s*${name}\\s*$`);
    await page.locator(".o_app", { hasText: exactly(app) }).click();
    const sectionButton = page.locator(".o_menu_sections button", { hasText: exactly(section) });
    const entry = page.locator(".dropdown-item", { hasText: exactly(item) });
    // A re-render right after the click (the app's first bus message) can close the dropdown
    // again: open it until the item shows.
    await expect(async () => {
        if (!(await entry.isVisible())) {
            await sectionButton.click();
        }
        await expect(entry).toBeVisible({ timeout: 2000 });
    }).toPass({ timeout: 30_000 });
    await entry.click();
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

/** The people the screens are for, as the groups their user holds (module, xml id). */
const PERSONAS = {
    // A project accountant: construction screens, the integration cockpit, customer invoices.
    accountant: [
        ["construction_base", "group_user"],
        ["construction_sync", "group_user"],
        ["account", "group_account_invoice"],
    ],
    // An integration manager: the cockpit with the manager's actions (ignore, replay, apply a
    // stale event anyway, retry or replay an outbound message), the construction screens read.
    integrationManager: [
        ["construction_sync", "group_manager"],
        ["construction_base", "group_user"],
    ],
    // A buyer: purchase orders, their receipts and returns (Inventory User), the construction
    // screens they read.
    buyer: [
        ["construction_base", "group_user"],
        ["purchase", "group_purchase_user"],
        ["stock", "group_stock_user"],
    ],
} as const;

/** Creates a fresh user for `persona` through JSON-RPC (the API context logs in as admin) and
 * returns its credentials for `login`. */
export async function createPersona(
    request: APIRequestContext,
    persona: keyof typeof PERSONAS
): Promise<{ login: string; password: string }> {
    await rpc(request, "/web/session/authenticate", {
        db: DB,
        login: ADMIN.login,
        password: ADMIN.password,
    });
    const groups: number[] = [];
    for (const [module, name] of PERSONAS[persona]) {
        const [, id] = await callKw<[string, number]>(
            request,
            "ir.model.data",
            "check_object_reference",
            [module, name]
        );
        groups.push(id);
    }
    const user = { login: `${persona}-${randomUUID().slice(0, 8)}`, password: `${persona}-pw-1` };
    await callKw(request, "res.users", "create", [
        {
            name: `${persona[0]?.toUpperCase()}${persona.slice(1)} ${user.login.slice(-8)}`,
            login: user.login,
            password: user.password,
            groups_id: groups.map((id) => [4, id]),
        },
    ]);
    return user;
}

/** With CSYNC_SCREENSHOTS=1, refreshes a README screenshot from the page as it is now. */
export async function screenshotIfAsked(page: Page, name: string): Promise<void> {
    if (process.env.CSYNC_SCREENSHOTS) {
        // Transitions finished: a tab clicked a moment ago is shown, not half faded in.
        await page.screenshot({ path: `docs/screenshots/${name}.png`, animations: "disabled" });
    }
}

export interface TestSystem {
    id: number;
    code: string;
    secret: string;
}

/** Logs the API context in as admin and creates an external system with a fresh code. */
export async function createSystem(
    request: APIRequestContext,
    prefix: string
): Promise<TestSystem> {
    await rpc(request, "/web/session/authenticate", {
        db: DB,
        login: ADMIN.login,
        password: ADMIN.password,
    });
    const code = `${prefix}-${randomUUID().slice(0, 8)}`;
    const id = await callKw<number>(request, "construction.sync.system", "create", [
        { name: `${prefix} ${code}`, code },
    ]);
    const [system] = await callKw<{ secret: string }[]>(
        request,
        "construction.sync.system",
        "read",
        [[id], ["secret"]]
    );
    expect(system?.secret).toMatch(/^whsec_/);
    return { id, code, secret: system?.secret ?? "" };
}

/** Standard Webhooks headers for `payload`, signed by the reference `standardwebhooks` library. */
export function signedHeaders(system: TestSystem, payload: string): Record<string, string> {
    const msgId = `msg_${randomUUID()}`;
    const now = new Date();
    return {
        "content-type": "application/json",
        "webhook-id": msgId,
        "webhook-timestamp": String(Math.floor(now.getTime() / 1000)),
        "webhook-signature": new Webhook(system.secret).sign(msgId, now, payload),
    };
}

/** Project events whose customer nobody mapped: each fails as a data error once applied. */
export function failingProjects(system: TestSystem, count: number, prefix = "P") {
    return Array.from({ length: count }, (_, index) => ({
        id: `evt-${system.code}-${prefix}-${index}`,
        type: "project.upserted",
        timestamp: new Date().toISOString(),
        data: {
            id: `${prefix}-${system.code}-${index}`,
            name: `Job ${index}`,
            customer_id: `C-${system.code}`,
        },
    }));
}

/** Delivers events in signed batches of at most 500 (the intake's limit). */
export async function deliverBatches(
    request: APIRequestContext,
    system: TestSystem,
    events: object[]
): Promise<void> {
    for (let start = 0; start < events.length; start += 500) {
        const body = JSON.stringify({ events: events.slice(start, start + 500) });
        const response = await request.post(`/construction_sync/webhook/${system.code}/batch`, {
            data: body,
            headers: signedHeaders(system, body),
        });
        expect(response.status()).toBeLessThan(300);
    }
}

/** Waits until the runners have moved `count` events of the system to `state`. */
export async function waitForState(
    request: APIRequestContext,
    system: TestSystem,
    state: string,
    count: number
): Promise<void> {
    await expect(async () => {
        const found = await callKw<number>(request, "construction.sync.event", "search_count", [
            [
                ["system_id", "=", system.id],
                ["state", "=", state],
            ],
        ]);
        expect(found).toBe(count);
    }).toPass({ timeout: 90_000, intervals: [500, 1_000, 2_000] });
}

/** Takes a test system's waiting events out of the exception lists (the demo's own failures
 * must stay on the first page for the other specs). */
export async function ignoreWaiting(request: APIRequestContext, system: TestSystem): Promise<void> {
    const ids = await callKw<number[]>(request, "construction.sync.event", "search", [
        [
            ["system_id", "=", system.id],
            ["state", "in", ["pending", "failed", "dead", "awaiting_approval"]],
        ],
    ]);
    if (ids.length) {
        await callKw(request, "construction.sync.event", "action_ignore", [ids, "end of e2e test"]);
    }
}
