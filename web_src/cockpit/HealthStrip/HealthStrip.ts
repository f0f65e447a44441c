import { Component, useState } from "@odoo/owl";
import { _t } from "../translation";
import { words } from "../words";
import { formatAge } from "../../core/format";
import { now, parseServerDatetime } from "../../core/luxon";
import type { SystemHealth } from "../../core/schemas";
import { filterSystems, orderSystems, unhealthyCount } from "../../core/systems";

interface Props {
    systems: SystemHealth[];
    staleDays: number;
    selectedId: number | null;
    onSelect: (systemId: number | null) => void;
    /** The approvals count of a card: that system's items awaiting approval. */
    onApprovals: (systemId: number) => void;
}

// From this many systems on, the cards are a compact row (name and the figures that need a
// person) so that the list stays in the first screen; fewer keep their full cards.
export const COMPACT_FROM = 8;

/** One card per external system: last delivery, 24 h volume and failures, queue, approvals,
 * and its stale events of the last days (older than their object's watermark, so not applied).
 * Unhealthy systems come first; with many systems the cards are compact and filterable. */
export class HealthStrip extends Component<Props> {
    static override template = "construction_sync.HealthStrip";
    static override props = {
        systems: { type: Array },
        staleDays: { type: Number },
        selectedId: { type: [Number, { value: null }] },
        onSelect: { type: Function },
        onApprovals: { type: Function },
    };

    declare props: Props;
    state!: { text: string; unhealthyOnly: boolean };

    override setup(): void {
        this.state = useState({ text: "", unhealthyOnly: false });
    }

    get compact(): boolean {
        return this.props.systems.length >= COMPACT_FROM;
    }

    get unhealthy(): number {
        return unhealthyCount(this.props.systems);
    }

    /** The cards shown: unhealthy first; in the compact row, those the filter keeps (the
     * selected system always stays, so its card can be clicked off again). */
    get shown(): SystemHealth[] {
        const ordered = orderSystems(this.props.systems);
        if (!this.compact) {
            return ordered;
        }
        const kept = new Set(filterSystems(ordered, this.state).map((system) => system.id));
        return ordered.filter(
            (system) => kept.has(system.id) || system.id === this.props.selectedId
        );
    }

    get summary(): string {
        return _t("%s systems, %s unhealthy", this.props.systems.length, this.unhealthy);
    }

    lastDelivery(system: SystemHealth): string {
        return system.last_delivery_at
            ? _t("%s ago", formatAge(parseServerDatetime(system.last_delivery_at), now(), words))
            : _t("never");
    }

    oldestPending(system: SystemHealth): string {
        return system.oldest_pending_seconds === null
            ? "—"
            : formatAge(now().minus({ seconds: system.oldest_pending_seconds }), now(), words);
    }

    staleTitle(system: SystemHealth): string {
        return _t(
            "%s events received in the last %s days were older than the last applied update about their object, and changed nothing. See the Stale view.",
            system.stale,
            this.props.staleDays
        );
    }

    compactTitle(system: SystemHealth): string {
        return _t(
            "%s: %s received in 24 h, %s failed (%s %), queue %s, %s awaiting approval, %s stale",
            system.name,
            system.received_24h,
            system.failed_24h,
            system.error_rate,
            system.queue_depth,
            system.awaiting_approval,
            system.stale
        );
    }

    select(system: SystemHealth): void {
        this.props.onSelect(this.props.selectedId === system.id ? null : system.id);
    }

    /** Enter on a card's approvals count opens that system's approvals, not the card. */
    onApprovalsKey(ev: KeyboardEvent, system: SystemHealth): void {
        if (ev.key === "Enter") {
            ev.stopPropagation();
            ev.preventDefault();
            this.props.onApprovals(system.id);
        }
    }

    onText(ev: Event): void {
        this.state.text = (ev.target as HTMLInputElement).value;
    }
}
