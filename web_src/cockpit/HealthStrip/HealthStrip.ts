import { Component } from "@odoo/owl";
import { _t } from "../translation";
import { formatAge } from "../../core/format";
import { now, parseServerDatetime } from "../../core/luxon";
import type { SystemHealth } from "../../core/schemas";

interface Props {
    systems: SystemHealth[];
    staleDays: number;
    selectedId: number | null;
    onSelect: (systemId: number | null) => void;
}

/** One card per external system: last delivery, 24 h volume and failures, queue, approvals,
 * and its stale events of the last days (older than their object's watermark, so not applied). */
export class HealthStrip extends Component<Props> {
    static override template = "construction_sync.HealthStrip";
    static override props = {
        systems: { type: Array },
        staleDays: { type: Number },
        selectedId: { type: [Number, { value: null }] },
        onSelect: { type: Function },
    };

    declare props: Props;

    lastDelivery(system: SystemHealth): string {
        return system.last_delivery_at
            ? `${formatAge(parseServerDatetime(system.last_delivery_at), now())} ago`
            : "never";
    }

    oldestPending(system: SystemHealth): string {
        return system.oldest_pending_seconds === null
            ? "—"
            : formatAge(now().minus({ seconds: system.oldest_pending_seconds }), now());
    }

    staleTitle(system: SystemHealth): string {
        return _t(
            "%s events received in the last %s days were older than the last applied update about their object, and changed nothing. See the Stale view.",
            system.stale,
            this.props.staleDays
        );
    }

    select(system: SystemHealth): void {
        this.props.onSelect(this.props.selectedId === system.id ? null : system.id);
    }
}
