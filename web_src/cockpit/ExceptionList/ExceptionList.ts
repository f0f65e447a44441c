import { Component } from "@odoo/owl";
import { formatAge } from "../../core/format";
import { now, parseServerDatetime } from "../../core/luxon";
import type { ExceptionRow } from "../../core/schemas";

interface Props {
    rows: ExceptionRow[];
    total: number;
    busy: boolean;
    onRetry: (eventIds: number[]) => void;
    onOpen: (eventId: number) => void;
}

/** The events waiting for a person, newest first, each with its reason and a Retry button. */
export class ExceptionList extends Component<Props> {
    static override template = "construction_sync.ExceptionList";
    static override props = {
        rows: { type: Array },
        total: { type: Number },
        busy: { type: Boolean },
        onRetry: { type: Function },
        onOpen: { type: Function },
    };

    declare props: Props;

    age(row: ExceptionRow): string {
        return formatAge(parseServerDatetime(row.received_at), now());
    }

    retryable(row: ExceptionRow): boolean {
        return row.state === "failed" || row.state === "dead";
    }

    get retryableIds(): number[] {
        return this.props.rows.filter((row) => this.retryable(row)).map((row) => row.id);
    }
}
