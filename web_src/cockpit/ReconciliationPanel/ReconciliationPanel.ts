import { Component, onWillStart, onWillUpdateProps, useState } from "@odoo/owl";
import { _t } from "../translation";
import { useService, type ActionService } from "@web/core/utils/hooks";
import { errorMessage } from "../../core/bulk";
import { formatServerDatetime } from "../../core/luxon";
import {
    ReconciliationApi,
    needsAttention,
    openDifferences,
    openDifferencesAction,
    orderReconciliation,
    trendHeights,
    type DifferenceAge,
    type DifferenceKind,
    type SystemReconciliation,
} from "../../core/reconciliation";

interface Props {
    /** The inbound card selected in the cockpit: its figures only; null for all systems. */
    systemId: number | null;
}

interface State {
    loading: boolean;
    error: string | null;
    rows: SystemReconciliation[];
}

/** What the external systems' snapshots said about Odoo's copy: per system the last snapshot
 * compared, the open differences by kind and by age, the differences found each day over 30
 * days, and the snapshots, control totals and sequence numbers that did not add up. */
export class ReconciliationPanel extends Component<Props> {
    static override template = "construction_sync.ReconciliationPanel";
    static override props = { systemId: { type: [Number, { value: null }] } };

    declare props: Props;
    state!: State;
    private api!: ReconciliationApi;
    private actionService!: ActionService;

    override setup(): void {
        const orm = useService("orm");
        this.actionService = useService("action");
        this.api = new ReconciliationApi((model, method, args, kwargs) =>
            orm.call(model, method, args, kwargs)
        );
        this.state = useState<State>({ loading: true, error: null, rows: [] });
        onWillStart(() => this.reload());
        onWillUpdateProps(async (next: Props) => {
            if (next.systemId !== this.props.systemId) {
                await this.reload(next.systemId);
            }
        });
    }

    async reload(systemId: number | null = this.props.systemId): Promise<void> {
        this.state.loading = true;
        this.state.error = null;
        try {
            this.state.rows = orderReconciliation(await this.api.overview(systemId));
        } catch (error) {
            this.state.error = errorMessage(error);
        } finally {
            this.state.loading = false;
        }
    }

    get kinds(): { key: DifferenceKind; label: string }[] {
        return [
            { key: "missing_in_odoo", label: _t("Missing in Odoo") },
            { key: "unknown_at_source", label: _t("Unknown at source") },
            { key: "older_in_odoo", label: _t("Older in Odoo") },
            { key: "value_mismatch", label: _t("Value mismatch") },
        ];
    }

    get ages(): { key: DifferenceAge; label: string }[] {
        return [
            { key: "under_1_day", label: _t("Under a day") },
            { key: "1_to_7_days", label: _t("1-7 days") },
            { key: "over_7_days", label: _t("Over 7 days") },
        ];
    }

    open(row: SystemReconciliation): number {
        return openDifferences(row);
    }

    attention(row: SystemReconciliation): boolean {
        return needsAttention(row);
    }

    bars(row: SystemReconciliation): { day: string; found: number; height: number }[] {
        const heights = trendHeights(row.trend);
        return row.trend.map((day, index) => ({ ...day, height: heights[index] ?? 0 }));
    }

    barTitle(bar: { day: string; found: number }): string {
        return _t("%s: %s differences found", bar.day, bar.found);
    }

    trendLabel(row: SystemReconciliation): string {
        const total = row.trend.reduce((sum, day) => sum + day.found, 0);
        return _t("Differences found over 30 days: %s", total);
    }

    when(value: string): string {
        return formatServerDatetime(value);
    }

    async openDifferences(row: SystemReconciliation): Promise<void> {
        await this.actionService.doAction(
            openDifferencesAction(row.system_id, _t("Open differences: %s", row.system))
        );
    }
}
