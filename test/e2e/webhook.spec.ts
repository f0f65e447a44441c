import { randomUUID } from "node:crypto";
import { expect, test } from "@playwright/test";
import { Webhook } from "standardwebhooks";
import { ADMIN, DB, callKw, rpc } from "./odoo";

// Interoperability: deliveries signed by the reference `standardwebhooks` library are accepted by
// the addon, over real HTTP, and applied by Odoo's own cron runner within seconds.

test("a delivery signed with the standardwebhooks library is accepted once and applied", async ({
    request,
}) => {
    await rpc(request, "/web/session/authenticate", {
        db: DB,
        login: ADMIN.login,
        password: ADMIN.password,
    });
    const code = `e2e-${randomUUID().slice(0, 8)}`;
    const systemId = await callKw<number>(request, "construction.sync.system", "create", [
        { name: "Interop check", code },
    ]);
    const [system] = await callKw<{ secret: string }[]>(
        request,
        "construction.sync.system",
        "read",
        [[systemId], ["secret"]]
    );
    expect(system?.secret).toMatch(/^whsec_/);

    const partnerName = `Interop Partner ${code}`;
    const payload = JSON.stringify({
        type: "partner.upserted",
        timestamp: new Date().toISOString(),
        data: { id: `V-${code}`, name: partnerName, kind: "vendor" },
    });
    const msgId = `msg_${randomUUID()}`;
    const now = new Date();
    const headers = {
        "content-type": "application/json",
        "webhook-id": msgId,
        "webhook-timestamp": String(Math.floor(now.getTime() / 1000)),
        "webhook-signature": new Webhook(system?.secret ?? "").sign(msgId, now, payload),
    };
    const url = `/construction_sync/webhook/${code}`;

    const first = await request.post(url, { data: payload, headers });
    expect(first.status()).toBe(202);
    const again = await request.post(url, { data: payload, headers });
    expect(again.status()).toBe(200);
    expect((await again.json()) as { status: string }).toMatchObject({ status: "duplicate" });

    const tampered = await request.post(url, {
        data: payload.replace("vendor", "customer"),
        headers,
    });
    expect(tampered.status()).toBe(401);

    // Applied by the realtime cron, woken by the intake's trigger: no one calls the processor.
    await expect
        .poll(
            async () =>
                callKw<number>(request, "res.partner", "search_count", [
                    [["name", "=", partnerName]],
                ]),
            { timeout: 30_000, intervals: [250, 500, 1000] }
        )
        .toBe(1);
    const events = await callKw<{ state: string }[]>(
        request,
        "construction.sync.event",
        "search_read",
        [[["system_id", "=", systemId]], ["state"]]
    );
    expect(events).toEqual([expect.objectContaining({ state: "done" })]);
});
