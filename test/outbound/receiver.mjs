// A webhook receiver for the outbound tests: verifies every message with the reference Standard
// Webhooks library, dedupes on webhook-id as a real receiver should, records what it got, and
// answers as scripted (500s, timeouts, 410, 429/503 with Retry-After).
//
//   node test/outbound/receiver.mjs --port 8191 --secret whsec_... [--secret whsec_...]
//
// Prints "listening PORT" once ready. Every --secret must verify a message for it to count as
// verified (a rotation test passes the old and the new secret: both signatures must be there).
// Control API (JSON):
//   POST /_control {rules?, default?, secrets?, reset?}
//       rules: [{match: {type?, webhook_id?, object?, path?}, status, delay_ms?, retry_after?, times?}]
//              the first matching rule with times left (none: forever) answers; `object` matches
//              data.id; delay_ms longer than the sender's timeout makes it time out
//       default: the answer when no rule matches ({status: 200} at start)
//   GET /_count -> the same counts as /_state, without the lists
//   GET /_state -> {requests: [{path, webhook_id, type, object, status, verified, error, at}],
//                   delivered: [webhook_id in order of first 2xx], duplicates, unverified,
//                   plain (answered requests under /plain), max_concurrency (most requests
//                   open at once since the last reset)}
// Any other POST path is a webhook endpoint; under /plain nothing is verified (Odoo's own unsigned
// "Send Webhook Notification" server action, which the benchmark compares with).
import http from "node:http";
import { Webhook } from "standardwebhooks";

const args = process.argv.slice(2);
const option = (name) => args.flatMap((arg, i) => (arg === `--${name}` ? [args[i + 1]] : []));
const port = Number(option("port")[0] || process.env.CSYNC_OUTBOUND_RECEIVER_PORT || 8191);

const state = {
    secrets: option("secret"),
    rules: [],
    fallback: { status: 200 },
    requests: [],
    delivered: [],
    seen: new Set(),
    duplicates: 0,
    unverified: 0,
    plain: 0,
    current: 0,
    maxConcurrency: 0,
};

const reset = () => {
    state.rules = [];
    state.fallback = { status: 200 };
    state.requests = [];
    state.delivered = [];
    state.seen = new Set();
    state.duplicates = 0;
    state.unverified = 0;
    state.plain = 0;
    state.maxConcurrency = 0;
};

const readBody = (req) =>
    new Promise((resolve, reject) => {
        const chunks = [];
        req.on("data", (chunk) => chunks.push(chunk));
        req.on("end", () => resolve(Buffer.concat(chunks)));
        req.on("error", reject);
    });

const reply = (res, status, body, headers = {}) => {
    if (res.writableEnded || res.destroyed) return;
    res.writeHead(status, { "Content-Type": "application/json", ...headers });
    res.end(JSON.stringify(body));
};

const matches = (match, message) =>
    !match ||
    Object.entries(match).every(([key, value]) => {
        if (key === "object") return String(message.object) === String(value);
        return message[key] === value;
    });

const pickAnswer = (message) => {
    for (const rule of state.rules) {
        if ((rule.times === undefined || rule.times > 0) && matches(rule.match, message)) {
            if (rule.times !== undefined) rule.times -= 1;
            return rule;
        }
    }
    return state.fallback;
};

const verify = (body, headers) => {
    const wanted = {
        "webhook-id": headers["webhook-id"] || "",
        "webhook-timestamp": headers["webhook-timestamp"] || "",
        "webhook-signature": headers["webhook-signature"] || "",
    };
    const verified = [];
    for (const secret of state.secrets) {
        try {
            new Webhook(secret).verify(body, wanted);
            verified.push(secret);
        } catch (error) {
            return { ok: false, verified, error: String(error.message || error) };
        }
    }
    return {
        ok: state.secrets.length > 0,
        verified,
        error: state.secrets.length ? null : "no secret configured",
    };
};

const onWebhook = async (req, res) => {
    // Requests being answered at once, counted from arrival to answer.
    state.current += 1;
    state.maxConcurrency = Math.max(state.maxConcurrency, state.current);
    res.once("close", () => {
        state.current -= 1;
    });
    const body = await readBody(req);
    const plain = req.url.startsWith("/plain");
    const check = plain ? { ok: true, error: null } : verify(body, req.headers);
    let payload = {};
    try {
        payload = JSON.parse(body.toString("utf8"));
    } catch {
        // recorded as it is
    }
    const message = {
        path: req.url,
        webhook_id: req.headers["webhook-id"] || null,
        type: payload.type || null,
        object: payload.data && payload.data.id !== undefined ? payload.data.id : null,
        signatures: (req.headers["webhook-signature"] || "").split(" ").filter(Boolean).length,
        verified: check.ok,
        error: check.error,
        at: Date.now(),
        body: plain ? null : payload,
    };
    if (!check.ok) {
        state.unverified += 1;
        message.status = 401;
        state.requests.push(message);
        reply(res, 401, { error: check.error });
        return;
    }
    const answer = pickAnswer(message);
    message.status = answer.status;
    state.requests.push(message);
    const send = () => {
        if (plain) {
            state.plain += 1;
        } else if (answer.status >= 200 && answer.status < 300) {
            if (state.seen.has(message.webhook_id)) {
                state.duplicates += 1;
            } else {
                state.seen.add(message.webhook_id);
                state.delivered.push(message.webhook_id);
            }
        }
        const headers =
            answer.retry_after !== undefined ? { "Retry-After": String(answer.retry_after) } : {};
        reply(res, answer.status, { received: message.webhook_id }, headers);
    };
    if (answer.delay_ms) setTimeout(send, answer.delay_ms);
    else send();
};

const server = http.createServer(async (req, res) => {
    try {
        if (req.url === "/_state" && req.method === "GET") {
            reply(res, 200, {
                requests: state.requests,
                delivered: state.delivered,
                duplicates: state.duplicates,
                unverified: state.unverified,
                plain: state.plain,
                max_concurrency: state.maxConcurrency,
            });
        } else if (req.url === "/_count" && req.method === "GET") {
            // What a benchmark polls while it waits: the lists of /_state cost the receiver
            // more to serialize, every poll, the more it has received.
            reply(res, 200, {
                requests: state.requests.length,
                delivered: state.delivered.length,
                duplicates: state.duplicates,
                unverified: state.unverified,
                plain: state.plain,
            });
        } else if (req.url === "/_control" && req.method === "POST") {
            const control = JSON.parse((await readBody(req)).toString("utf8") || "{}");
            if (control.reset) reset();
            if (control.rules) state.rules = control.rules;
            if (control.default) state.fallback = control.default;
            if (control.secrets) state.secrets = control.secrets;
            reply(res, 200, { ok: true });
        } else if (req.method === "POST") {
            await onWebhook(req, res);
        } else {
            reply(res, 405, { error: "POST only" });
        }
    } catch (error) {
        reply(res, 500, { error: String(error) });
    }
});

// A scripted timeout keeps its socket open past the sender's timeout; nothing else should wait.
server.keepAliveTimeout = 1000;
server.listen(port, "127.0.0.1", () => {
    console.log(`listening ${port}`);
});
const stop = () => server.close(() => process.exit(0));
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
