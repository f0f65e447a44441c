import { Component, onWillStart, useState } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { useService, type ActionService } from "@web/core/utils/hooks";
import { standardActionServiceProps } from "@web/webclient/actions/action_service";
import { CockpitApi } from "../../core/api";
import { summariseRetry } from "../../core/format";
import type { ExceptionRow, SystemHealth } from "../../core/schemas";
import { ExceptionList } from "../ExceptionList/ExceptionList";
import { HealthStrip } from "../HealthStrip/HealthStrip";

interface Props {
    action: { id?: number; name?: string };
}

interface State {
    loading: boolean;
    busy: boolean;
    error: string | null;
    notice: string | null;
    systems: SystemHealth[];
    isManager: boolean;
    selectedSystemId: number | null;
    rows: ExceptionRow[];
    total: number;
}

const PAGE_SIZE = 50;

/**
 * The integration cockpit behind Construction > Sync > Cockpit: the health of every connected
 * system and the events waiting for a person, with Retry. Numbers come from the server; this
 * component only loads, parses (core/api) and renders.
 */
export class Cockpit extends Component<Props> {
    static override template = "construction_sync.Cockpit";
    static components = { HealthStrip, ExceptionList };
    static override props = { ...standardActionServiceProps };

    declare props: Props;
    state!: State;
    private api!: CockpitApi;
    private actionService!: ActionService;

    override setup(): void {
        const orm = useService("orm");
        this.actionService = useService("action");
        this.api = new CockpitApi((model, method, args, kwargs) =>
            orm.call(model, method, args, kwargs)
        );
        this.state = useState({
            loading: true,
            busy: false,
            error: null,
            notice: null,
            systems: [],
            isManager: false,
            selectedSystemId: null,
            rows: [],
            total: 0,
        });
        onWillStart(() => this.reload());
    }

    get title(): string {
        return _t("Integration Cockpit");
    }

    async reload(): Promise<void> {
        try {
            const [overview, page] = await Promise.all([
                this.api.overview(),
                this.api.exceptions({
                    systemId: this.state.selectedSystemId,
                    offset: 0,
                    limit: PAGE_SIZE,
                }),
            ]);
            Object.assign(this.state, {
                systems: overview.systems,
                isManager: overview.is_manager,
                rows: page.rows,
                total: page.total,
                error: null,
            });
        } catch (error) {
            this.state.error = error instanceof Error ? error.message : String(error);
        } finally {
            this.state.loading = false;
        }
    }

    async selectSystem(systemId: number | null): Promise<void> {
        this.state.selectedSystemId = systemId;
        await this.reload();
    }

    async retry(eventIds: number[]): Promise<void> {
        this.state.busy = true;
        try {
            const results = await this.api.retry(eventIds);
            this.state.notice = summariseRetry(results.map((result) => result.state));
            await this.reload();
        } catch (error) {
            this.state.error = error instanceof Error ? error.message : String(error);
        } finally {
            this.state.busy = false;
        }
    }

    async openEvent(eventId: number): Promise<void> {
        await this.actionService.doAction({
            type: "ir.actions.act_window",
            res_model: "construction.sync.event",
            res_id: eventId,
            views: [[false, "form"]],
        });
    }
}
