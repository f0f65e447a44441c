import { Component, onMounted, onWillStart, onWillUnmount, useState } from "@odoo/owl";
import { _t } from "../translation";
import { ConfirmationDialog } from "@web/core/confirmation_dialog/confirmation_dialog";
import {
    useService,
    type ActionService,
    type BusService,
    type DialogService,
} from "@web/core/utils/hooks";
import { standardActionServiceProps } from "@web/webclient/actions/action_service";
import {
    CockpitApi,
    type CockpitAction,
    type ExceptionFilters,
    type ExceptionOrder,
    type ReplayRange,
} from "../../core/api";
import { emptyProgress, errorMessage, runInChunks, type BulkProgress } from "../../core/bulk";
import { summariseOutcome } from "../../core/format";
import {
    ChangedNotificationSchema,
    type ErrorClass,
    type EventDetail as Detail,
    type ExceptionRow,
    type SystemHealth,
    type Trends,
} from "../../core/schemas";
import { BulkProgressBar } from "../BulkProgressBar/BulkProgressBar";
import { EventDetail, type StaleAction } from "../EventDetail/EventDetail";
import { ExceptionList } from "../ExceptionList/ExceptionList";
import { HealthStrip } from "../HealthStrip/HealthStrip";
import { ReplayPanel } from "../ReplayPanel/ReplayPanel";
import { TrendsPanel } from "../TrendsPanel/TrendsPanel";

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
    /** The list shows the stale events of the last `staleDays` days instead of the exceptions. */
    stale: boolean;
    staleDays: number;
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
    /** Every event matching the filters is selected, not only this page's rows. */
    allMatching: boolean;
    bulk: BulkProgress;
    bulkLabel: string | null;
    trends: Trends | null;
    trendDays: 7 | 30;
    trendsError: string | null;
    showReplay: boolean;
    /** Odoo's bus is connected: changes arrive as they happen, polling is off. */
    live: boolean;
}

type FilterKey =
    | "stale"
    | "selectedSystemId"
    | "errorClass"
    | "assignee"
    | "eventType"
    | "olderThanHours"
    | "order"
    | "search";

const PAGE_SIZE = 50;
// While Odoo's bus is not connected, the cockpit refreshes itself this often.
const POLL_MS = 30_000;
// Bus notifications arrive once per runner commit at most; a burst of them refreshes once.
const REFRESH_DEBOUNCE_MS = 1_000;
const CHANGED = "construction_sync/changed";

/** The verb on the button, translated when asked (literal _t calls, so they are extracted). */
function actionLabel(action: CockpitAction): string {
    const labels: Record<CockpitAction, () => string> = {
        retry: () => _t("Retry"),
        assign_me: () => _t("Assign to me"),
        ignore: () => _t("Ignore"),
        note: () => _t("Add note"),
        accept: () => _t("Accept"),
        reject: () => _t("Reject"),
        apply_anyway: () => _t("Apply anyway"),
        reset_watermark: () => _t("Reset watermark"),
    };
    return labels[action]();
}

/**
 * The integration cockpit behind Construction > Sync > Cockpit: the health of every connected
 * system, the events waiting for a person with their actions, and one event in detail. Numbers
 * and rights come from the server; this component loads, parses (core/api) and renders.
 */
export class Cockpit extends Component<Props> {
    static override template = "construction_sync.Cockpit";
    static components = {
        HealthStrip,
        ExceptionList,
        EventDetail,
        TrendsPanel,
        ReplayPanel,
        BulkProgressBar,
    };
    static override props = { ...standardActionServiceProps };

    declare props: Props;
    state!: State;
    private api!: CockpitApi;
    private actionService!: ActionService;
    private dialog!: DialogService;
    private bus!: BusService;
    private timer: ReturnType<typeof setInterval> | undefined;
    private refreshTimer: ReturnType<typeof setTimeout> | undefined;
    private refreshPending = false;
    // Filters, polling and bus messages each start a reload; answers can come back out of
    // order, and only the newest request's answer matches what the filters show.
    private reloadSeq = 0;

    override setup(): void {
        const orm = useService("orm");
        this.actionService = useService("action");
        this.dialog = useService("dialog");
        this.bus = useService("bus_service");
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
            stale: false,
            staleDays: 7,
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
            allMatching: false,
            bulk: emptyProgress(),
            bulkLabel: null,
            trends: null,
            trendDays: 7,
            trendsError: null,
            showReplay: false,
            live: false,
        });
        const onChanged = (payload: unknown) => this.onChanged(payload);
        const onConnection = () => this.updateLive();
        onWillStart(() => this.reload());
        onMounted(() => {
            // Trends come after the list is on screen: the list is what people open it for.
            void this.loadTrends();
            this.bus.subscribe(CHANGED, onChanged);
            for (const type of ["connect", "reconnect", "disconnect"]) {
                this.bus.addEventListener(type, onConnection);
            }
            this.updateLive();
            this.timer = setInterval(() => {
                this.updateLive();
                if (!this.state.live) {
                    this.refresh();
                }
            }, POLL_MS);
        });
        onWillUnmount(() => {
            clearInterval(this.timer);
            clearTimeout(this.refreshTimer);
            this.bus.unsubscribe(CHANGED, onChanged);
            for (const type of ["connect", "reconnect", "disconnect"]) {
                this.bus.removeEventListener(type, onConnection);
            }
        });
    }

    private updateLive(): void {
        this.state.live = this.bus.workerState === "CONNECTED";
    }

    /** A bus message: events of these systems changed state somewhere (a runner, a colleague). */
    private onChanged(payload: unknown): void {
        if (!ChangedNotificationSchema.safeParse(payload).success) {
            return;
        }
        this.state.live = true;
        if (this.refreshTimer === undefined) {
            this.refreshTimer = setTimeout(() => {
                this.refreshTimer = undefined;
                this.refresh();
            }, REFRESH_DEBOUNCE_MS);
        }
    }

    /** Reloads figures, list and trends, unless the person is in the middle of something: then
     * once that is over. */
    private refresh(): void {
        if (this.state.busy || this.state.bulk.running) {
            this.refreshPending = true;
            return;
        }
        this.refreshPending = false;
        void this.reload();
        void this.loadTrends();
    }

    private afterWork(): void {
        if (this.refreshPending) {
            this.refresh();
        }
    }

    get filters(): ExceptionFilters {
        return {
            stale: this.state.stale,
            systemId: this.state.selectedSystemId,
            errorClass: this.state.errorClass,
            assignee: this.state.assignee,
            eventType: this.state.eventType,
            olderThanHours: this.state.olderThanHours,
            search: this.state.search,
        };
    }

    async loadTrends(days: 7 | 30 = this.state.trendDays): Promise<void> {
        this.state.trendDays = days;
        try {
            this.state.trends = await this.api.trends(days, this.state.selectedSystemId);
            this.state.trendsError = null;
        } catch (error) {
            this.state.trendsError = errorMessage(error);
        }
    }

    get pageSize(): number {
        return PAGE_SIZE;
    }

    get title(): string {
        return _t("Integration Cockpit");
    }

    async reload(): Promise<void> {
        const seq = ++this.reloadSeq;
        try {
            const [overview, page] = await Promise.all([
                this.api.overview(),
                this.api.exceptions({
                    ...this.filters,
                    order: this.state.order,
                    offset: this.state.offset,
                    limit: PAGE_SIZE,
                }),
            ]);
            if (seq !== this.reloadSeq) {
                return;
            }
            const visible = new Set(page.rows.map((row) => row.id));
            Object.assign(this.state, {
                systems: overview.systems,
                isManager: overview.is_manager,
                staleDays: overview.stale_days,
                eventTypes: overview.event_types,
                rows: page.rows,
                total: page.total,
                selectedIds: this.state.selectedIds.filter((id) => visible.has(id)),
                error: null,
            });
        } catch (error) {
            if (seq === this.reloadSeq) {
                this.state.error = error instanceof Error ? error.message : String(error);
            }
        } finally {
            if (seq === this.reloadSeq) {
                this.state.loading = false;
            }
        }
    }

    async filter(changes: Partial<Pick<State, FilterKey>>) {
        Object.assign(this.state, changes, { offset: 0, allMatching: false });
        await this.reload();
        if ("selectedSystemId" in changes) {
            await this.loadTrends();
        }
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
        this.state.allMatching = false;
        const ids = this.state.selectedIds;
        this.state.selectedIds = ids.includes(eventId)
            ? ids.filter((id) => id !== eventId)
            : [...ids, eventId];
    }

    toggleAll(): void {
        this.state.allMatching = false;
        this.state.selectedIds =
            this.state.selectedIds.length === this.state.rows.length
                ? []
                : this.state.rows.map((row) => row.id);
    }

    /** Acts on events; answers whether the server did it. */
    async act(action: CockpitAction, eventIds: number[], text?: string): Promise<boolean> {
        if (!eventIds.length) {
            return false;
        }
        this.state.busy = true;
        this.state.notice = null;
        try {
            const results = await this.api.act(action, eventIds, text);
            this.state.notice =
                action === "reset_watermark"
                    ? _t("Watermark reset: the object's next update applies.")
                    : summariseOutcome(results.map((result) => result.state));
            this.state.text = "";
            await this.reload();
            if (this.state.detail && eventIds.includes(this.state.detail.id)) {
                this.state.detail = await this.api.event(this.state.detail.id);
            }
            return true;
        } catch (error) {
            this.state.notice = null;
            this.state.error = errorMessage(error);
            return false;
        } finally {
            this.state.busy = false;
            this.afterWork();
        }
    }

    /** Apply anyway or Reset watermark, from a stale event's detail (managers). */
    staleAction(action: StaleAction, eventId: number, reason: string): Promise<boolean> {
        return this.act(action, [eventId], reason);
    }

    get staleTabTitle(): string {
        return _t(
            "Events received in the last %s days that were older than the last applied update about their object",
            this.state.staleDays
        );
    }

    /** The stale events the Stale tab lists: the selected system's, or every system's. */
    get staleCount(): number {
        const systems = this.state.systems.filter(
            (system) =>
                this.state.selectedSystemId === null || system.id === this.state.selectedSystemId
        );
        return systems.reduce((sum, system) => sum + system.stale, 0);
    }

    async actOnSelection(action: CockpitAction): Promise<void> {
        if (this.state.allMatching) {
            this.confirmBulk(action);
            return;
        }
        await this.act(action, [...this.state.selectedIds], this.state.text || undefined);
    }

    get canSelectAllMatching(): boolean {
        const { selectedIds, rows, total, allMatching } = this.state;
        return (
            !allMatching &&
            rows.length > 0 &&
            selectedIds.length === rows.length &&
            total > rows.length
        );
    }

    selectAllMatching(): void {
        this.state.allMatching = true;
    }

    clearSelection(): void {
        this.state.allMatching = false;
        this.state.selectedIds = [];
    }

    /** Accept and Reject are offered for a selection of this page's approval items the user may
     * decide, each by the right its event type names (the server checks it again). Not for
     * "select all matching": approvals are decided one look at a time. */
    get canDecideSelection(): boolean {
        const { selectedIds, rows, allMatching } = this.state;
        if (allMatching || !selectedIds.length) {
            return false;
        }
        const decidable = new Set(rows.filter((row) => row.can_decide).map((row) => row.id));
        return selectedIds.every((id) => decidable.has(id));
    }

    get selectionCount(): number {
        return this.state.allMatching ? this.state.total : this.state.selectedIds.length;
    }

    private confirmBulk(action: CockpitAction): void {
        const label = actionLabel(action);
        this.dialog.add(ConfirmationDialog, {
            title: _t("%s %s events", label, this.state.total),
            body: _t(
                "%s every event matching the filters (%s)? They are sent in chunks of 500; you can cancel between chunks.",
                label,
                this.state.total
            ),
            confirmLabel: label,
            confirm: () => {
                void this.runBulk(action, label);
            },
            cancel: () => {},
        });
    }

    /** Acts on every event matching the filters, a chunk per call, with progress and cancel. */
    async runBulk(action: CockpitAction, label: string): Promise<void> {
        const text = this.state.text || undefined;
        this.state.bulkLabel = _t("%s: every matching event", label);
        Object.assign(this.state.bulk, emptyProgress(this.state.total), { running: true });
        try {
            const ids = await this.api.exceptionIds(this.filters);
            await runInChunks(
                ids,
                (chunk) => this.api.act(action, chunk, text, true),
                this.state.bulk
            );
        } catch (error) {
            this.state.bulk.running = false;
            this.state.bulk.errors.push(errorMessage(error));
        }
        this.state.allMatching = false;
        this.state.selectedIds = [];
        this.state.text = "";
        this.refresh();
    }

    cancelBulk(): void {
        this.state.bulk.cancelRequested = true;
    }

    dismissBulk(): void {
        this.state.bulkLabel = null;
    }

    async replay(range: ReplayRange): Promise<number> {
        const { replayed } = await this.api.replayRange(range);
        this.refresh();
        return replayed;
    }

    closeDetail(): void {
        this.state.detail = null;
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
