import { Component, onWillStart, onWillUpdateProps, useState } from "@odoo/owl";
import { _t } from "../translation";
import { withLoading } from "../loading";
import { useService, type ActionService } from "@web/core/utils/hooks";
import { formatServerDatetime } from "../../core/luxon";
import { DifferenceSides } from "../DifferenceSides/DifferenceSides";
import {
    DifferenceApi,
    ReconciliationApi,
    needsAttention,
    openDifferences,
    openDifferencesAction,
    orderReconciliation,
    trendHeights,
    type DifferenceAge,
    type DifferenceKind,
    type OpenDifferences,
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
    /** The newest open differences of the selected system (or all), to pick one from. */
    differences: OpenDifferences;
    /** The difference shown side by side; it stays shown once settled, with its outcome. */
    selectedDifferenceId: number | null;
}

/** What the external systems' snapshots said about Odoo's copy: per system the last snapshot
 * compared, the open differences by kind and by age, the differences found each day over 30
 * days, and the snapshots, control totals and sequence numbers that did not add up. */
export class ReconciliationPanel extends Component<Props> {
    static override template = "construction_sync.ReconciliationPanel";
    static override props = { systemId: { type: [Number, { value: null }] } };
    static components = { DifferenceSides };

    declare props: Props;
    state!: State;
    private api!: ReconciliationApi;
    private differenceApi!: DifferenceApi;
    private actionService!: ActionService;

    override setup(): void {
        const orm = useService("orm");
        this.actionService = useService("action");
        const call = (
            model: string,
            method: string,
            args?: unknown[],
            kwargs?: Record<string, unknown>
        ) => orm.call(model, method, args, kwargs);
        this.api = new ReconciliationApi(call);
        this.differenceApi = new DifferenceApi(call);
        this.state = useState<State>({
            loading: true,
            error: null,
            rows: [],
            differences: { total: 0, rows: [] },
            selectedDifferenceId: null,
        });
        onWillStart(() => this.reload());
        onWillUpdateProps(async (next: Props) => {
            if (next.systemId !== this.props.systemId) {
                this.state.selectedDifferenceId = null;
                await this.reload(next.systemId);
            }
        });
    }

    async reload(systemId: number | null = this.props.systemId): Promise<void> {
        await withLoading(this.state, async () => {
            const [rows, differences] = await Promise.all([
                this.api.overview(systemId),
                this.differenceApi.open(systemId),
            ]);
            this.state.rows = orderReconciliation(rows);
            this.state.differences = differences;
        });
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

    selectDifference(differenceId: number): void {
        this.state.selectedDifferenceId = differenceId;
    }

    differencesTitle(): string {
        const shown = this.state.differences.rows.length;
        const total = this.state.differences.total;
        return shown < total
            ? _t("Open differences: the newest %s of %s", shown, total)
            : _t("Open differences: %s", total);
    }

    async openDifferences(row: SystemReconciliation): Promise<void> {
        await this.actionService.doAction(
            openDifferencesAction(row.system_id, _t("Open differences: %s", row.system))
        );
    }
}
