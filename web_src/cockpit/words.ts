// The words core/format.ts puts around numbers, translated: core/ stays free of Odoo, and these
// literal _t calls with a string are what Odoo's term extractor finds in the bundle.
import { _t } from "./translation";
import type { Words } from "../core/format";

export const words: Words = {
    days: (count) => _t("%s d", count),
    hours: (count) => _t("%s h", count),
    minutes: (count) => _t("%s min", count),
    seconds: (count) => _t("%s s", count),
    applied: (count) => _t("%s applied", count),
    queued: (count) => _t("%s queued", count),
    closed: (count) => _t("%s closed", count),
    awaitingApproval: (count) => _t("%s awaiting approval", count),
    stale: (count) => _t("%s stale", count),
    stillFailing: (count) => _t("%s still failing", count),
    nothingChanged: () => _t("nothing changed"),
    reason: (errorClass, message) => _t("%s: %s", errorClass, message),
    outcome: (total, verb, parts) => _t("%s %s: %s", total, verb, parts),
};
