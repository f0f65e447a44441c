import { Component } from "@odoo/owl";
import { _t } from "../translation";
import { words } from "../words";
import { percentDone, type BulkProgress } from "../../core/bulk";
import { summariseCounts } from "../../core/format";

interface Props {
    progress: BulkProgress;
    label: string;
    onCancel: () => void;
    onDismiss: () => void;
}

/** The progress of a "select all matching" run, its Cancel, then what became of the events. */
export class BulkProgressBar extends Component<Props> {
    static override template = "construction_sync.BulkProgressBar";
    static override props = {
        progress: { type: Object },
        label: { type: String },
        onCancel: { type: Function },
        onDismiss: { type: Function },
    };

    declare props: Props;

    get percent(): number {
        return percentDone(this.props.progress);
    }

    get outcome(): string {
        const { states, skipped, failed, cancelled, processed, total } = this.props.progress;
        const parts = [summariseCounts(states, words)];
        if (skipped) parts.push(_t("%s skipped (no longer in a state for this action)", skipped));
        if (failed) parts.push(_t("%s refused", failed));
        if (cancelled) parts.push(_t("cancelled after %s of %s", processed, total));
        return parts.join("; ");
    }
}
