import { expect, test } from "@playwright/test";
import { callKw, createSystem, signedHeaders } from "./odoo";

// Interoperability: deliveries signed by the reference `standardwebhooks` library are accepted by
// the addon, over real HTTP, and applied by Odoo's own cron runner within seconds.

test("a delivery signed with the standardwebhooks library is accepted once and applied", async ({
    request,
}) => {
    const system = await createSystem(request, "interop");
    const { code, id: systemId } = system;

    const partnerName = `Interop Partner ${code}`;
    const payload = JSON.stringify({
        type: "partner.upserted",
        timestamp: new Date().toISOString(),
        data: { id: `V-${code}`, name: partnerName, kind: "vendor" },
    });
    const headers = signedHeaders(system, payload);
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
