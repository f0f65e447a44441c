// The cockpit's words in English, for unit tests of web_src/core (the cockpit passes
// web_src/cockpit/words.ts, which translates them; it needs Odoo, unit tests do not load it).
import type { Words } from "../../web_src/core/format";

export const english: Words = {
    days: (count) => `${count} d`,
    hours: (count) => `${count} h`,
    minutes: (count) => `${count} min`,
    seconds: (count) => `${count} s`,
    applied: (count) => `${count} applied`,
    queued: (count) => `${count} queued`,
    closed: (count) => `${count} closed`,
    awaitingApproval: (count) => `${count} awaiting approval`,
    stale: (count) => `${count} stale`,
    stillFailing: (count) => `${count} still failing`,
    nothingChanged: () => "nothing changed",
    reason: (errorClass, message) => `${errorClass}: ${message}`,
    outcome: (total, verb, parts) => `${total} ${verb}: ${parts}`,
};
