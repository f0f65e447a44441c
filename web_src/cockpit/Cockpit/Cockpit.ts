import {
    Component,
    onMounted,
    onWillDestroy,
    onWillStart,
    onWillUnmount,
    useState,
} from "@odoo/owl";
import { _t } from "../translation";
import { words } from "../words";
import { browser } from "@web/core/browser/browser";
import { ConfirmationDialog } from "@web/core/confirmation_dialog/confirmation_dialog";
import { user } from "@web/core/user";
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
    type ListView,
    type ReplayRange,
} from "../../core/api";
import { AlertsApi } from "../../core/alerts";
import { emptyProgress, errorMessage, runInChunks, type BulkProgress } from "../../core/bulk";
import { describeOutcome, summariseOutcome } from "../../core/format";
import {
    ChangedNotificationSchema,
    type ActionResult,
    type ErrorClass,
    type EventDetail as Detail,
    type ExceptionRow,
    type SystemHealth,
    type Trends,
} from "../../core/schemas";
import { AlertsPanel } from "../AlertsPanel/AlertsPanel";
import { BulkProgressBar } from "../BulkProgressBar/BulkProgressBar";
import { CompliancePanel } from "../CompliancePanel/CompliancePanel";
import { EventDetail, type StaleAction } from "../EventDetail/EventDetail";
import { ExceptionList } from "../ExceptionList/ExceptionList";
import { HealthStrip } from "../HealthStrip/HealthStrip";
import { OutboundPanel } from "../OutboundPanel/OutboundPanel";
import { ReconciliationPanel } from "../ReconciliationPanel/ReconciliationPanel";
import { ReplayPanel } from "../ReplayPanel/ReplayPanel";
import { TrendsPanel } from "../TrendsPanel/TrendsPanel";

interface Props {
    action: { id?: number; name?: string };
}

/** What the list area shows: the inbound events (exceptions, approvals, stale: the first
 * screen), the outbound subscriptions and their failed deliveries, the open alerts, or the
 * reconciliation figures. */
type CockpitPanel = "inbound" | "outbound" | "alerts" | "reconciliation";

interface State {
    loading: boolean;
    busy: boolean;
    error: string | null;
    /** The outcome of the person's last action; it stays in view (sticky) until dismissed. */
    notice: string | null;
    /** The same outcome on each row acted on, for the rows still in the list. */
    outcomes: Record<number, string>;
    /** Events of the last action still being applied (a bulk retry goes to the runners): the
     * cockpit asks what became of them until none is left, then says it. */
    following: { ids: number[]; verb: string } | null;
    running: number;
    systems: SystemHealth[];
    isManager: boolean;
    /** Exceptions, the approval items among them, or the stale events of the last `staleDays`. */
    view: ListView;
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
    /** Trends open or collapsed, remembered per user in this browser. */
    trendsOpen: boolean;
    showReplay: boolean;
    /** Odoo's bus is connected: changes arrive as they happen, polling is off. */
    live: boolean;
    panel: CockpitPanel;
    /** Open alerts of every system, for the Alerts tab's badge; null until known. */
    openAlerts: number | null;
}

type FilterKey =
    | "view"
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
// While events of the person's last action are still being applied, asked again this often.
const FOLLOW_MS = 2_000;

/** Where the trends' open or collapsed state is kept: per user, in this browser. */
function trendsKey(): string {
    return `construction_sync.cockpit.trends_open.${user.userId}`;
}

/** The past participle of an action, for "601 retried: …" (literal _t calls, so they are extracted). */
function actionDone(action: CockpitAction): string {
    const labels: Record<CockpitAction, () => string> = {
        retry: () => _t("retried"),
        assign_me: () => _t("assigned to you"),
        ignore: () => _t("ignored"),
        note: () => _t("noted"),
        accept: () => _t("accepted"),
        reject: () => _t("rejected"),
        apply_anyway: () => _t("applied anyway"),
        reset_watermark: () => _t("reset"),
    };
    return labels[action]();
}

/** What an action did to one event, shown on its row. */
function rowOutcome(result: ActionResult[number]): string {
    const labels: Partial<Record<string, () => string>> = {
        done: () => _t("Applied."),
        pending: () => _t("Queued: being applied."),
        processing: () => _t("Queued: being applied."),
        awaiting_approval: () => _t("Awaiting approval."),
        ignored: () => _t("Closed."),
        stale: () => _t("Stale: older than what was applied."),
    };
    const label = labels[result.state];
    // The row's Why column shows the new reason beside it.
    return label ? label() : _t("Still failing.");
}

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
        OutboundPanel,
        AlertsPanel,
        CompliancePanel,
        ReconciliationPanel,
    };
    static override props = { ...standardActionServiceProps };

    declare props: Props;
    state!: State;
    private api!: CockpitApi;
    private alerts!: AlertsApi;
    private actionService!: ActionService;
    private dialog!: DialogService;
    private bus!: BusService;
    private timer: ReturnType<typeof setInterval> | undefined;
    private refreshTimer: ReturnType<typeof setTimeout> | undefined;
    private refreshPending = false;
    private followTimer: ReturnType<typeof setTimeout> | undefined;
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
        this.alerts = new AlertsApi((model, method, args, kwargs) =>
            orm.call(model, method, args, kwargs)
        );
        this.state = useState<State>({
            loading: true,
            busy: false,
            error: null,
            notice: null,
            outcomes: {},
            following: null,
            running: 0,
            systems: [],
            isManager: false,
            view: "exceptions",
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
            trendsOpen: browser.localStorage.getItem(trendsKey()) === "1",
            showReplay: false,
            live: false,
            panel: "inbound",
            openAlerts: null,
        });
        const onChanged = (payload: unknown) => this.onChanged(payload);
        const onConnection = () => this.updateLive();
        // Listening before the first load, not once mounted: a change committed while the
        // cockpit loads (opened again from the menu while a runner applies an event) was read
        // neither by the load, which came first, nor by a listener, which came after.
        this.bus.subscribe(CHANGED, onChanged);
        onWillDestroy(() => {
            this.bus.unsubscribe(CHANGED, onChanged);
            clearTimeout(this.refreshTimer);
        });
        onWillStart(() => this.reload());
        onMounted(() => {
            // Trends come after the list is on screen: the list is what people open it for.
            void this.loadTrends();
            void this.loadAlertCount();
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
            clearTimeout(this.followTimer);
            this.state.following = null;
            for (const type of ["connect", "reconnect", "disconnect"]) {
                this.bus.removeEventListener(type, onConnection);
            }
        });
    }

    private updateLive(): void {
        this.state.live = this.bus.workerState === "CONNECTED";
    }

    get liveLabel(): string {
        return this.state.live ? _t("● Live") : _t("Polling every 30 s: not live");
    }

    get liveTitle(): string {
        return this.state.live
            ? _t("Changes appear as the runners apply events.")
            : _t(
                  "Odoo's live updates (the bus websocket) are not connected, so the cockpit asks the server every 30 seconds. With several workers, the websocket needs a proxy that sends /websocket to Odoo's gevent port (see the README)."
              );
    }

    get locale(): string | undefined {
        return document.documentElement.lang || undefined;
    }

    toggleTrends(): void {
        this.state.trendsOpen = !this.state.trendsOpen;
        browser.localStorage.setItem(trendsKey(), this.state.trendsOpen ? "1" : "0");
        if (this.state.trendsOpen) {
            void this.loadTrends();
        }
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
        void this.loadAlertCount();
    }

    private afterWork(): void {
        if (this.refreshPending) {
            this.refresh();
        }
    }

    get filters(): ExceptionFilters {
        return {
            view: this.state.view,
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
        if (!this.state.trendsOpen) {
            // Collapsed: nothing is drawn, so nothing is asked; opening them loads them.
            return;
        }
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

    /** One of the inbound views (exceptions, approvals, stale), back from another panel. */
    async showView(view: ListView): Promise<void> {
        this.state.panel = "inbound";
        await this.filter({ view });
    }

    showPanel(panel: Exclude<CockpitPanel, "inbound">): void {
        this.state.panel = panel;
        this.state.detail = null;
    }

    /** The Alerts tab's badge. Without it the tab still opens and shows the alerts or why they
     * could not be read, so a failure here leaves the badge out rather than a second message. */
    async loadAlertCount(): Promise<void> {
        try {
            this.state.openAlerts = (await this.alerts.open()).length;
        } catch {
            this.state.openAlerts = null;
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
                    : summariseOutcome(
                          results.map((result) => result.state),
                          words
                      );
            this.state.outcomes = Object.fromEntries(
                results.map((result) => [result.id, rowOutcome(result)])
            );
            this.follow(results, actionDone(action));
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

    /**
     * Follows the events of an action that are still on their way (a bulk retry is applied by
     * the runners, not in the request) until none is left, then says what became of all of
     * them: "601 retried: 0 applied, 601 still failing (Business: …)".
     */
    follow(results: ReadonlyArray<{ id: number; state: string }>, verb: string): void {
        clearTimeout(this.followTimer);
        const running = results.filter(
            (result) => result.state === "pending" || result.state === "processing"
        );
        if (!running.length) {
            this.state.following = null;
            this.state.running = 0;
            return;
        }
        this.state.following = { ids: results.map((result) => result.id), verb };
        this.state.running = running.length;
        this.state.notice = this.followingNotice(results.length, verb, running.length);
        this.followTimer = setTimeout(() => void this.checkFollowed(), FOLLOW_MS);
    }

    private followingNotice(total: number, verb: string, running: number): string {
        return _t("%s %s: %s still being applied…", total, verb, running);
    }

    private async checkFollowed(): Promise<void> {
        const following = this.state.following;
        if (!following) {
            return;
        }
        try {
            const outcome = await this.api.outcome(following.ids);
            if (this.state.following !== following) {
                return;
            }
            this.state.running = outcome.running;
            if (outcome.running) {
                this.state.notice = this.followingNotice(
                    outcome.total,
                    following.verb,
                    outcome.running
                );
                this.followTimer = setTimeout(() => void this.checkFollowed(), FOLLOW_MS);
                return;
            }
            this.state.notice = describeOutcome(outcome, following.verb, words);
            this.state.following = null;
            this.refresh();
        } catch (error) {
            this.state.following = null;
            this.state.running = 0;
            this.state.error = errorMessage(error);
        }
    }

    dismissNotice(): void {
        this.state.notice = null;
        this.state.outcomes = {};
    }

    /** The approval items the Approvals tab lists: the selected system's, or every system's. */
    get approvalCount(): number {
        return this.visibleSystems.reduce((sum, system) => sum + system.awaiting_approval, 0);
    }

    /** Events of the visible systems still queued: the list never says "nothing waits" while
     * retried events may still come back. */
    get queued(): number {
        const queued = this.visibleSystems.reduce((sum, system) => sum + system.queue_depth, 0);
        return Math.max(this.state.running, this.state.view === "stale" ? 0 : queued);
    }

    private get visibleSystems(): SystemHealth[] {
        return this.state.systems.filter(
            (system) =>
                this.state.selectedSystemId === null || system.id === this.state.selectedSystemId
        );
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
        return this.visibleSystems.reduce((sum, system) => sum + system.stale, 0);
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
        const results: ActionResult = [];
        try {
            const ids = await this.api.exceptionIds(this.filters);
            await runInChunks(
                ids,
                async (chunk) => {
                    const answer = await this.api.act(action, chunk, text, true);
                    results.push(...answer);
                    return answer;
                },
                this.state.bulk
            );
        } catch (error) {
            this.state.bulk.running = false;
            this.state.bulk.errors.push(errorMessage(error));
        }
        this.follow(results, actionDone(action));
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
