import { Component, onWillUpdateProps, useState } from "@odoo/owl";
import { _t } from "../translation";
import { formatMoney } from "../../core/format";
import { formatServerDatetime } from "../../core/luxon";
import type { EventDetail as Detail } from "../../core/schemas";
import { RecordTrace } from "../RecordTrace/RecordTrace";
import { staleReason } from "../stale";

/** What a manager can do about a stale event; the server checks the right and the company. */
export type StaleAction = "apply_anyway" | "reset_watermark";

interface Props {
    detail: Detail;
    isManager: boolean;
    busy: boolean;
    onAccept: (eventIds: number[]) => void;
    onStaleAction: (action: StaleAction, eventId: number, reason: string) => Promise<boolean>;
    onClose: () => void;
    onOpenRecord: (model: string, id: number) => void;
    onFixMapping: (detail: Detail) => void;
}

/** One event in full: the reason in plain words, the payload, the trail, the way to fix it. */
export class EventDetail extends Component<Props> {
    static override template = "construction_sync.EventDetail";
    static components = { RecordTrace };
    static override props = {
        detail: { type: Object },
        isManager: { type: Boolean },
        busy: { type: Boolean },
        onAccept: { type: Function },
        onStaleAction: { type: Function },
        onClose: { type: Function },
        onOpenRecord: { type: Function },
        onFixMapping: { type: Function },
    };

    declare props: Props;
    state!: { reason: string };

    override setup(): void {
        this.state = useState({ reason: "" });
        onWillUpdateProps((next: Props) => {
            if (next.detail.id !== this.props.detail.id) {
                this.state.reason = "";
            }
        });
    }

    get staleReason(): string {
        return staleReason(this.props.detail);
    }

    /** The approval item's amount with its currency, in the reader's locale. */
    get amount(): string {
        const amount = this.props.detail.amount;
        return amount ? formatMoney(amount, document.documentElement.lang || undefined) : "";
    }

    /** The object's watermark now, and what a reset sets it back to. */
    get watermarkLine(): string {
        const watermark = this.props.detail.watermark;
        if (!watermark?.at) {
            return "";
        }
        const now = watermark.webhook_id
            ? _t(
                  "Its object's watermark is now %s (event %s).",
                  formatServerDatetime(watermark.at),
                  watermark.webhook_id
              )
            : _t("Its object's watermark is now %s.", formatServerDatetime(watermark.at));
        const reset = watermark.reset_to
            ? _t(
                  "Reset watermark sets it back to %s (event %s), the newest update applied before it that is not dated in the future.",
                  formatServerDatetime(watermark.reset_to),
                  watermark.reset_to_webhook_id ?? "?"
              )
            : _t(
                  "Reset watermark clears it: no earlier applied update is known, so the object's next update applies whatever its date."
              );
        return `${now} ${reset}`;
    }

    get canReset(): boolean {
        return !!this.props.detail.watermark?.at;
    }

    async stale(action: StaleAction): Promise<void> {
        const reason = this.state.reason.trim();
        if (reason && (await this.props.onStaleAction(action, this.props.detail.id, reason))) {
            this.state.reason = "";
        }
    }

    /** Escape closes the panel from wherever the focus is inside it, as it does from the list. */
    onKeydown(ev: KeyboardEvent): void {
        if (ev.key === "Escape") {
            ev.preventDefault();
            this.props.onClose();
        }
    }
}
