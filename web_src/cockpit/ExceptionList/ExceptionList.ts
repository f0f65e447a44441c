import { Component, onPatched, useRef, useState } from "@odoo/owl";
import { _t } from "../translation";
import { words } from "../words";
import { businessSeconds, defaultBusinessHours, formatBusinessAge } from "../../core/aging";
import type { ListView } from "../../core/api";
import { formatAge, formatMoney } from "../../core/format";
import { now, parseServerDatetime } from "../../core/luxon";
import type { ExceptionRow } from "../../core/schemas";
import { staleReason } from "../stale";

interface Props {
    rows: ExceptionRow[];
    /** Exceptions, the approval items among them, or the stale events of the last `staleDays`. */
    view: ListView;
    staleDays: number;
    /** What the person's last action did to each row acted on, shown on that row. */
    outcomes: Record<number, string>;
    /** Events still being applied (retried, queued): while there are, the list is not "empty". */
    running: number;
    /** The detail panel is open beside the list: the columns it repeats are left out. */
    narrow: boolean;
    /** The user's language as a BCP 47 tag, for amounts. */
    locale: string | undefined;
    total: number;
    offset: number;
    limit: number;
    busy: boolean;
    selectedIds: number[];
    onToggle: (eventId: number) => void;
    onToggleAll: () => void;
    onRetry: (eventIds: number[]) => void;
    onAccept: (eventIds: number[]) => void;
    onOpen: (eventId: number) => void;
    onPage: (offset: number) => void;
    onEscape: () => void;
}

// The keys of the list: arrows or j/k move, Enter opens, Space selects, Escape closes the detail.
const MOVES: Record<string, number> = { ArrowDown: 1, j: 1, ArrowUp: -1, k: -1 };

/** The events waiting for a person, newest first, each with its reason and its actions. */
export class ExceptionList extends Component<Props> {
    static override template = "construction_sync.ExceptionList";
    static override props = {
        rows: { type: Array },
        view: { type: String },
        staleDays: { type: Number },
        outcomes: { type: Object },
        running: { type: Number },
        narrow: { type: Boolean },
        locale: { type: String, optional: true },
        total: { type: Number },
        offset: { type: Number },
        limit: { type: Number },
        busy: { type: Boolean },
        selectedIds: { type: Array },
        onToggle: { type: Function },
        onToggleAll: { type: Function },
        onRetry: { type: Function },
        onAccept: { type: Function },
        onOpen: { type: Function },
        onPage: { type: Function },
        onEscape: { type: Function },
    };

    declare props: Props;
    state!: { focused: number };
    private grid = useRef<HTMLElement>("grid");

    override setup(): void {
        this.state = useState({ focused: 0 });
        onPatched(() => {
            // Keeps the focused row on screen as the keyboard walks a long page.
            const row = this.grid.el?.querySelector<HTMLElement>(".o_csync_focused");
            row?.scrollIntoView?.({ block: "nearest" });
        });
    }

    get focusedRow(): ExceptionRow | undefined {
        return this.props.rows[Math.min(this.state.focused, this.props.rows.length - 1)];
    }

    rowDomId(row: ExceptionRow): string {
        return `o_csync_row_${row.id}`;
    }

    onKeydown(ev: KeyboardEvent): void {
        if ((ev.target as HTMLElement).closest("input, button, a, select")) {
            // Checkboxes, links and buttons keep their own keys.
            return;
        }
        const row = this.focusedRow;
        const move = MOVES[ev.key];
        if (move !== undefined) {
            const last = this.props.rows.length - 1;
            this.state.focused = Math.max(0, Math.min(last, this.state.focused + move));
        } else if (ev.key === "Enter" && row) {
            this.props.onOpen(row.id);
        } else if (ev.key === " " && row) {
            this.props.onToggle(row.id);
        } else if (ev.key === "Escape") {
            this.props.onEscape();
        } else {
            return;
        }
        ev.preventDefault();
    }

    focusRow(index: number): void {
        this.state.focused = index;
    }

    businessAge(row: ExceptionRow): string {
        const reference = now();
        const since = parseServerDatetime(row.received_at);
        const hours = defaultBusinessHours(reference.zoneName ?? "UTC");
        return formatBusinessAge(businessSeconds(since, reference, hours), words);
    }

    age(row: ExceptionRow): string {
        return formatAge(parseServerDatetime(row.received_at), now(), words);
    }

    get stale(): boolean {
        return this.props.view === "stale";
    }

    get title(): string {
        const titles: Record<ListView, () => string> = {
            exceptions: () => _t("Exceptions"),
            approvals: () => _t("Awaiting approval"),
            stale: () => _t("Stale events of the last %s days", this.props.staleDays),
        };
        return titles[this.props.view]();
    }

    /** Amounts show once a row on the page has one (the approvals of change orders, say). */
    get showAmount(): boolean {
        return this.props.rows.some((row) => row.amount);
    }

    amount(row: ExceptionRow): string {
        return row.amount ? formatMoney(row.amount, this.props.locale) : "";
    }

    /** The platform's id under the record's name, unless the name already says it. */
    externalId(row: ExceptionRow): string {
        return row.external_id && !row.object_label.includes(row.external_id)
            ? row.external_id
            : "";
    }

    get emptyText(): string {
        if (this.props.running) {
            return _t(
                "%s events are still being applied: those that fail again come back here.",
                this.props.running
            );
        }
        const texts: Record<ListView, () => string> = {
            exceptions: () => _t("Nothing waits for you here: every delivered event was applied."),
            approvals: () => _t("No item awaits approval."),
            stale: () =>
                _t(
                    "No stale event: no delivery was older than what was already applied about its object."
                ),
        };
        return texts[this.props.view]();
    }

    /** The Why column: the error or approval summary, or for a stale event the watermark it was
     * older than. */
    reason(row: ExceptionRow): string {
        return row.state === "stale" ? staleReason(row) : row.error_message;
    }

    badgeClass(row: ExceptionRow): string {
        return row.approval || row.state === "stale" ? "text-bg-warning" : "text-bg-danger";
    }

    retryable(row: ExceptionRow): boolean {
        return row.state === "failed" || row.state === "dead";
    }

    selected(row: ExceptionRow): boolean {
        return this.props.selectedIds.includes(row.id);
    }

    get pageLabel(): string {
        const last = Math.min(this.props.total, this.props.offset + this.props.rows.length);
        return _t("%s–%s of %s", this.props.offset + 1, last, this.props.total);
    }

    get hasPrevious(): boolean {
        return this.props.offset > 0;
    }

    get hasNext(): boolean {
        return this.props.offset + this.props.limit < this.props.total;
    }
}
