import { Component } from "@odoo/owl";
import { formatAge } from "../../core/format";
import { now, parseServerDatetime } from "../../core/luxon";
import type { SystemHealth } from "../../core/schemas";

interface Props {
    systems: SystemHealth[];
    selectedId: number | null;
    onSelect: (systemId: number | null) => void;
}

/** One card per external system: last delivery, 24 h volume and failures, queue, approvals. */
export class HealthStrip extends Component<Props> {
    static override template = "construction_sync.HealthStrip";
    static override props = {
        systems: { type: Array },
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

    select(system: SystemHealth): void {
        this.props.onSelect(this.props.selectedId === system.id ? null : system.id);
    }
}
