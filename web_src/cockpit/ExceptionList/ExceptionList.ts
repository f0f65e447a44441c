import { Component } from "@odoo/owl";
import { formatAge } from "../../core/format";
import { now, parseServerDatetime } from "../../core/luxon";
import type { ExceptionRow } from "../../core/schemas";

interface Props {
    rows: ExceptionRow[];
    total: number;
    offset: number;
    limit: number;
    busy: boolean;
    isManager: boolean;
    selectedIds: number[];
    onToggle: (eventId: number) => void;
    onToggleAll: () => void;
    onRetry: (eventIds: number[]) => void;
    onAccept: (eventIds: number[]) => void;
    onOpen: (eventId: number) => void;
    onPage: (offset: number) => void;
}

/** The events waiting for a person, newest first, each with its reason and its actions. */
export class ExceptionList extends Component<Props> {
    static override template = "construction_sync.ExceptionList";
    static override props = {
        rows: { type: Array },
        total: { type: Number },
        offset: { type: Number },
        limit: { type: Number },
        busy: { type: Boolean },
        isManager: { type: Boolean },
        selectedIds: { type: Array },
        onToggle: { type: Function },
        onToggleAll: { type: Function },
        onRetry: { type: Function },
        onAccept: { type: Function },
        onOpen: { type: Function },
        onPage: { type: Function },
    };

    declare props: Props;

    age(row: ExceptionRow): string {
        return formatAge(parseServerDatetime(row.received_at), now());
    }

    retryable(row: ExceptionRow): boolean {
        return row.state === "failed" || row.state === "dead";
    }

    selected(row: ExceptionRow): boolean {
        return this.props.selectedIds.includes(row.id);
    }

    get pageLabel(): string {
        const last = Math.min(this.props.total, this.props.offset + this.props.rows.length);
        return `${this.props.offset + 1}–${last} of ${this.props.total}`;
    }

    get hasPrevious(): boolean {
        return this.props.offset > 0;
    }

    get hasNext(): boolean {
        return this.props.offset + this.props.limit < this.props.total;
    }
}
