import { Component, onWillUpdateProps, useState } from "@odoo/owl";
import { _t } from "../translation";
import { withLoading } from "../loading";
import { useService } from "@web/core/utils/hooks";
import { formatServerDatetime } from "../../core/luxon";
import { OutboundApi, type TraceEntry, type TraceKind } from "../../core/outbound";

interface Props {
    resModel: string;
    resId: number;
}

interface State {
    open: boolean;
    loading: boolean;
    error: string | null;
    entries: TraceEntry[] | null;
}

/** One trace per business record, from an event's detail panel: every event that came in about
 * the record with its steps, every message that went out about it with its delivery attempts,
 * in time order. Read on demand: most details are opened to fix the event, not to trace it. */
export class RecordTrace extends Component<Props> {
    static override template = "construction_sync.RecordTrace";
    static override props = {
        resModel: { type: String },
        resId: { type: Number },
    };

    declare props: Props;
    state!: State;
    private api!: OutboundApi;

    override setup(): void {
        const orm = useService("orm");
        this.api = new OutboundApi((model, method, args, kwargs) =>
            orm.call(model, method, args, kwargs)
        );
        this.state = useState<State>({ open: false, loading: false, error: null, entries: null });
        onWillUpdateProps((next: Props) => {
            if (next.resModel !== this.props.resModel || next.resId !== this.props.resId) {
                Object.assign(this.state, { open: false, error: null, entries: null });
            }
        });
    }

    async toggle(): Promise<void> {
        this.state.open = !this.state.open;
        if (!this.state.open || this.state.entries) {
            return;
        }
        await withLoading(this.state, async () => {
            this.state.entries = await this.api.trace(this.props.resModel, this.props.resId);
        });
    }

    kindLabel(kind: TraceKind): string {
        const labels: Record<TraceKind, () => string> = {
            inbound: () => _t("In"),
            audit: () => _t("Step"),
            outbound: () => _t("Out"),
            attempt: () => _t("Attempt"),
        };
        return labels[kind]();
    }

    when(entry: TraceEntry): string {
        return formatServerDatetime(entry.at);
    }
}
