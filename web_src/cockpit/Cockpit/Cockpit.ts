import { Component, onMounted, onWillStart, onWillUnmount, useState } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { useService, type ActionService } from "@web/core/utils/hooks";
import { standardActionServiceProps } from "@web/webclient/actions/action_service";
import { CockpitApi, type CockpitAction, type ExceptionOrder } from "../../core/api";
import { summariseOutcome } from "../../core/format";
import type {
    ErrorClass,
    EventDetail as Detail,
    ExceptionRow,
    SystemHealth,
} from "../../core/schemas";
import { EventDetail } from "../EventDetail/EventDetail";
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
    errorClass: ErrorClass | null;
    assignee: "me" | "nobody" | null;
    eventTypes: string[];
    eventType: string | null;
    olderThanHours: number | null;
    order: ExceptionOrder;
    search: string;
    offset: number;
    rows: ExceptionRow[];
    total: number;
    selectedIds: number[];
    text: string;
    detail: Detail | null;
}

type FilterKey =
    | "selectedSystemId"
    | "errorClass"
    | "assignee"
    | "eventType"
    | "olderThanHours"
    | "order"
    | "search";

const PAGE_SIZE = 50;
// Without Odoo's bus wired in yet, the cockpit refreshes itself this often while it is open.
const POLL_MS = 30_000;

/**
 * The integration cockpit behind Construction > Sync > Cockpit: the health of every connected
 * system, the events waiting for a person with their actions, and one event in detail. Numbers
 * and rights come from the server; this component loads, parses (core/api) and renders.
 */
export class Cockpit extends Component<Props> {
    static override template = "construction_sync.Cockpit";
    static components = { HealthStrip, ExceptionList, EventDetail };
    static override props = { ...standardActionServiceProps };

    declare props: Props;
    state!: State;
    private api!: CockpitApi;
    private actionService!: ActionService;
    private timer: ReturnType<typeof setInterval> | undefined;

    override setup(): void {
        const orm = useService("orm");
        this.actionService = useService("action");
        this.api = new CockpitApi((model, method, args, kwargs) =>
            orm.call(model, method, args, kwargs)
        );
        this.state = useState<State>({
            loading: true,
            busy: false,
            error: null,
            notice: null,
            systems: [],
            isManager: false,
            selectedSystemId: null,
            errorClass: null,
            assignee: null,
            eventTypes: [],
            eventType: null,
            olderThanHours: null,
            order: "received_desc",
            search: "",
            offset: 0,
            rows: [],
            total: 0,
            selectedIds: [],
            text: "",
            detail: null,
        });
        onWillStart(() => this.reload());
        onMounted(() => {
            this.timer = setInterval(() => {
                if (!this.state.busy) {
                    void this.reload();
                }
            }, POLL_MS);
        });
        onWillUnmount(() => clearInterval(this.timer));
    }

    get pageSize(): number {
        return PAGE_SIZE;
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
                    errorClass: this.state.errorClass,
                    assignee: this.state.assignee,
                    eventType: this.state.eventType,
                    olderThanHours: this.state.olderThanHours,
                    order: this.state.order,
                    search: this.state.search,
                    offset: this.state.offset,
                    limit: PAGE_SIZE,
                }),
            ]);
            const visible = new Set(page.rows.map((row) => row.id));
            Object.assign(this.state, {
                systems: overview.systems,
                isManager: overview.is_manager,
                eventTypes: overview.event_types,
                rows: page.rows,
                total: page.total,
                selectedIds: this.state.selectedIds.filter((id) => visible.has(id)),
                error: null,
            });
        } catch (error) {
            this.state.error = error instanceof Error ? error.message : String(error);
        } finally {
            this.state.loading = false;
        }
    }

    async filter(changes: Partial<Pick<State, FilterKey>>) {
        Object.assign(this.state, changes, { offset: 0 });
        await this.reload();
    }

    onErrorClass(ev: Event): Promise<void> {
        const value = (ev.target as HTMLSelectElement).value;
        return this.filter({ errorClass: value ? (value as ErrorClass) : null });
    }

    onAssignee(ev: Event): Promise<void> {
        const value = (ev.target as HTMLSelectElement).value;
        return this.filter({ assignee: value === "me" || value === "nobody" ? value : null });
    }

    onEventType(ev: Event): Promise<void> {
        const value = (ev.target as HTMLSelectElement).value;
        return this.filter({ eventType: value || null });
    }

    onAge(ev: Event): Promise<void> {
        const hours = Number((ev.target as HTMLSelectElement).value);
        return this.filter({ olderThanHours: hours > 0 ? hours : null });
    }

    onOrder(ev: Event): Promise<void> {
        const value = (ev.target as HTMLSelectElement).value;
        const order: ExceptionOrder =
            value === "received_asc" || value === "type" ? value : "received_desc";
        return this.filter({ order });
    }

    onSearch(ev: KeyboardEvent): Promise<void> | undefined {
        if (ev.key === "Enter") {
            return this.filter({ search: (ev.target as HTMLInputElement).value.trim() });
        }
        return undefined;
    }

    async page(offset: number): Promise<void> {
        this.state.offset = Math.max(0, offset);
        await this.reload();
    }

    toggle(eventId: number): void {
        const ids = this.state.selectedIds;
        this.state.selectedIds = ids.includes(eventId)
            ? ids.filter((id) => id !== eventId)
            : [...ids, eventId];
    }

    toggleAll(): void {
        this.state.selectedIds =
            this.state.selectedIds.length === this.state.rows.length
                ? []
                : this.state.rows.map((row) => row.id);
    }

    async act(action: CockpitAction, eventIds: number[], text?: string): Promise<void> {
        if (!eventIds.length) {
            return;
        }
        this.state.busy = true;
        this.state.notice = null;
        try {
            const results = await this.api.act(action, eventIds, text);
            this.state.notice = summariseOutcome(results.map((result) => result.state));
            this.state.text = "";
            await this.reload();
            if (this.state.detail && eventIds.includes(this.state.detail.id)) {
                this.state.detail = await this.api.event(this.state.detail.id);
            }
        } catch (error) {
            // An Odoo RPC error carries the server's sentence in data.message.
            const data = (error as { data?: { message?: string } }).data;
            this.state.notice = null;
            this.state.error =
                data?.message ?? (error instanceof Error ? error.message : String(error));
        } finally {
            this.state.busy = false;
        }
    }

    actOnSelection(action: CockpitAction): Promise<void> {
        return this.act(action, [...this.state.selectedIds], this.state.text || undefined);
    }

    async openEvent(eventId: number): Promise<void> {
        try {
            this.state.detail = await this.api.event(eventId);
        } catch (error) {
            this.state.error = error instanceof Error ? error.message : String(error);
        }
    }

    async openRecord(model: string, id: number): Promise<void> {
        await this.actionService.doAction({
            type: "ir.actions.act_window",
            res_model: model,
            res_id: id,
            views: [[false, "form"]],
        });
    }

    async fixMapping(detail: Detail): Promise<void> {
        const system = this.state.systems.find((candidate) => candidate.name === detail.system);
        await this.actionService.doAction({
            type: "ir.actions.act_window",
            res_model: "construction.sync.mapping",
            views: [[false, "form"]],
            target: "new",
            context: {
                default_system_id: system?.id,
                default_res_model: detail.waiting_for?.model,
                default_external_id: detail.waiting_for?.external_id,
            },
        });
    }
}
