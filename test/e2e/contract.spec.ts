import { readFileSync } from "node:fs";
import { expect, test } from "@playwright/test";

// The README documents the webhook contract with one example per event type; this keeps it in
// step with what the server publishes (and enforces) in /construction_sync/openapi.json.
test("README shows a valid example for every event type the server accepts", async ({
    request,
}) => {
    const response = await request.get("/construction_sync/openapi.json");
    expect(response.status()).toBe(200);
    const contract = (await response.json()) as {
        "x-event-types": string[];
        components: { schemas: Record<string, { properties: { data: { required?: string[] } } }> };
    };
    const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");
    expect(contract["x-event-types"].length).toBeGreaterThan(0);
    for (const eventType of contract["x-event-types"]) {
        const section = readme.split(`#### \`${eventType}\``)[1]?.split("####")[0];
        expect(section, `README section for ${eventType}`).toBeDefined();
        const example = /```json\n([\s\S]*?)```/.exec(section ?? "")?.[1];
        expect(example, `JSON example for ${eventType}`).toBeDefined();
        const parsed = JSON.parse(example ?? "{}") as {
            type: string;
            data: Record<string, unknown>;
        };
        expect(parsed.type).toBe(eventType);
        for (const field of contract.components.schemas[eventType]?.properties.data.required ??
            []) {
            expect(parsed.data, `${eventType} example has ${field}`).toHaveProperty(field);
        }
    }
});
