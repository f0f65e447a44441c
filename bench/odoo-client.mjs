// A small HTTP/JSON-RPC client and a signer for the benchmarks. node:http with a keep-alive
// agent, not fetch: fetch's own overhead in Node was a third of a trivial Odoo request.
import { createHmac } from "node:crypto";
import http from "node:http";

const defaultAgent = new http.Agent({ keepAlive: true, maxSockets: 256 });

/** Sends one request; resolves to { status, headers, text }. `agent` chooses the connection pool
 * (and so the source address, see bench/flood.mjs); `timeout` (ms) rejects a request that stays
 * unanswered that long. */
export function request(
    url,
    { method = "GET", headers = {}, body, agent = defaultAgent, timeout = 0 } = {}
) {
    return new Promise((resolve, reject) => {
        const req = http.request(url, { method, headers, agent }, (res) => {
            const chunks = [];
            res.on("data", (chunk) => chunks.push(chunk));
            res.on("end", () =>
                resolve({
                    status: res.statusCode,
                    headers: res.headers,
                    text: Buffer.concat(chunks).toString(),
                })
            );
        });
        req.on("error", reject);
        if (timeout) {
            req.setTimeout(timeout, () => req.destroy(new Error(`no answer in ${timeout} ms`)));
        }
        req.end(body);
    });
}

export class OdooClient {
    constructor(baseUrl, db) {
        this.baseUrl = baseUrl;
        this.db = db;
        this.cookie = "";
    }

    async rpc(path, params) {
        const response = await request(this.baseUrl + path, {
            method: "POST",
            headers: { "Content-Type": "application/json", Cookie: this.cookie },
            body: JSON.stringify({ jsonrpc: "2.0", method: "call", id: 1, params }),
        });
        const setCookie = response.headers["set-cookie"];
        if (setCookie) {
            this.cookie = setCookie[0].split(";")[0];
        }
        const body = JSON.parse(response.text);
        if (body.error) {
            throw new Error(`${path}: ${body.error.data?.message ?? JSON.stringify(body.error)}`);
        }
        return body.result;
    }

    login(login = "admin", password = "admin") {
        return this.rpc("/web/session/authenticate", { db: this.db, login, password });
    }

    call(model, method, args, kwargs = {}) {
        return this.rpc("/web/dataset/call_kw", { model, method, args, kwargs });
    }
}

export function signer(secret) {
    const key = Buffer.from(secret.replace(/^whsec_/, ""), "base64");
    return (id, timestamp, body) =>
        "v1," + createHmac("sha256", key).update(`${id}.${timestamp}.${body}`).digest("base64");
}

export async function waitFor(check, timeoutMs, intervalMs = 200) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
        const value = await check();
        if (value) {
            return value;
        }
        if (Date.now() > deadline) {
            throw new Error("timed out");
        }
        await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
}
