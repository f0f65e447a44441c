// The words for stale events, shared by the list and the detail panel.
import { _t } from "./translation";
import { formatServerDatetime } from "../core/luxon";
import type { ExceptionRow } from "../core/schemas";

/** Why a stale event changed nothing, in the reader's time zone. */
export function staleReason(row: Pick<ExceptionRow, "stale">): string {
    const reason = row.stale;
    if (!reason) {
        return _t("Older than the last applied update about its object.");
    }
    const at = formatServerDatetime(reason.watermark);
    return reason.webhook_id
        ? _t("Older than the last applied update at %s (event %s).", at, reason.webhook_id)
        : _t("Older than the last applied update at %s (that event was purged since).", at);
}
