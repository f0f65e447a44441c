import { withLoading } from "../loading";
import { Component, onWillStart, onWillUpdateProps, useState } from "@odoo/owl";
import { words } from "../words";
import { useService, type ActionService } from "@web/core/utils/hooks";
import { AlertsApi, alertTimelineAction, type OpenAlert } from "../../core/alerts";
import { formatAge } from "../../core/format";
import { formatServerDatetime, now, parseServerDatetime } from "../../core/luxon";

interface Props {
    /** The inbound card selected in the cockpit: its alerts only; null for all. */
    systemId: number | null;
    /** Told how many alerts are open after each load, for the tab's badge. */
    onCount: (count: number) => void;
}

interface State {
    loading: boolean;
    error: string | null;
    alerts: OpenAlert[];
}

/** The open alerts (conditions the alert rules found that have not cleared), newest first, each
 * with a link to its timeline: the alert's chatter, where it was opened, seen again and noted. */
export class AlertsPanel extends Component<Props> {
    static override template = "construction_sync.AlertsPanel";
    static override props = {
        systemId: { type: [Number, { value: null }] },
        onCount: { type: Function },
    };

    declare props: Props;
    state!: State;
    private api!: AlertsApi;
    private actionService!: ActionService;

    override setup(): void {
        const orm = useService("orm");
        this.actionService = useService("action");
        this.api = new AlertsApi((model, method, args, kwargs) =>
            orm.call(model, method, args, kwargs)
        );
        this.state = useState<State>({ loading: true, error: null, alerts: [] });
        onWillStart(() => this.reload());
        onWillUpdateProps(async (next: Props) => {
            if (next.systemId !== this.props.systemId) {
                await this.reload(next.systemId);
            }
        });
    }

    async reload(systemId: number | null = this.props.systemId): Promise<void> {
        await withLoading(this.state, async () => {
            this.state.alerts = await this.api.open(systemId);
            if (systemId === null) {
                this.props.onCount(this.state.alerts.length);
            }
        });
    }

    async openTimeline(alert: OpenAlert): Promise<void> {
        await this.actionService.doAction(alertTimelineAction(alert.id));
    }

    openedAgo(alert: OpenAlert): string {
        const reference = now();
        return formatAge(parseServerDatetime(alert.opened_at), reference, words);
    }

    when(value: string | null): string {
        return value ? formatServerDatetime(value) : "";
    }
}
