// An outside Standard Webhooks sender: signs with the reference library (standardwebhooks), as a
// system integrating with Odoo would, and retries a 503 or 429 after Retry-After with the same
// webhook-id (signed again with a fresh timestamp), as Standard Webhooks senders do.
import { randomUUID } from "node:crypto";
import { Webhook } from "standardwebhooks";
import { request } from "./odoo-client.mjs";

/** A single partner.upserted delivery body. */
export function partnerEvent(prefix) {
    const tag = randomUUID();
    return JSON.stringify({
        type: "partner.upserted",
        timestamp: new Date().toISOString(),
        data: { id: tag, name: `${prefix} ${tag}`, kind: "vendor" },
    });
}

/** What an answer was: status, the JSON code (error code or status), Retry-After, and whether
 * the body was JSON at all (an HTML error page is not). */
export function classify(response) {
    let json = null;
    try {
        json = JSON.parse(response.text);
    } catch {
        // not JSON
    }
    const type = String(response.headers["content-type"] ?? "");
    const code = json
        ? (json.error?.code ?? json.status ?? "json")
        : /html/i.test(type) || /^\s*</.test(response.text)
          ? "HTML"
          : "not JSON";
    const retryAfter = Number(response.headers["retry-after"]);
    return {
        status: response.status,
        code,
        json: json !== null,
        retryAfter: Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : null,
    };
}

export class Sender {
    constructor(baseUrl, code, secret) {
        this.url = `${baseUrl}/construction_sync/webhook/${code}`;
        this.webhook = new Webhook(secret);
    }

    /** One attempt; resolves to classify()'s answer, rejects on a network error or timeout.
     * `path` "/batch" sends a batch body. */
    async attempt(msgId, payload, { timeout = 60_000, path = "" } = {}) {
        const now = new Date();
        const response = await request(`${this.url}${path}`, {
            method: "POST",
            headers: {
                "Content-Type": "application/json",
                "webhook-id": msgId,
                "webhook-timestamp": String(Math.floor(now.getTime() / 1000)),
                "webhook-signature": this.webhook.sign(msgId, now, payload),
            },
            body: payload,
            timeout,
        });
        return classify(response);
    }

    /** Delivers until the event is stored (202 accepted, or 200 duplicate when an earlier
     * attempt was stored after all), retrying a 429, any 5xx and a network error after
     * Retry-After (a second when there is none); gives up on any other answer. `onAnswer` sees
     * every attempt's outcome. */
    async deliver(msgId, payload, { onAnswer = () => {}, maxAttempts = 30 } = {}) {
        let attempts = 0;
        for (;;) {
            attempts += 1;
            let answer;
            try {
                answer = await this.attempt(msgId, payload);
            } catch (error) {
                answer = { status: 0, code: `network error (${error.code ?? error.message})` };
            }
            answer.at = Date.now();
            onAnswer(answer);
            const stored =
                answer.status === 202 || (answer.status === 200 && answer.code === "duplicate");
            const retry = answer.status === 0 || answer.status === 429 || answer.status >= 500;
            if (stored || !retry || attempts >= maxAttempts) {
                return { stored, attempts, last: answer };
            }
            await new Promise((resolve) => setTimeout(resolve, (answer.retryAfter ?? 1) * 1000));
        }
    }
}
