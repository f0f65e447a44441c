// The few Odoo 18 web client modules the cockpit imports. Odoo supplies them at run time (they
// stay external in the bundle); these declarations describe only what we use, so a change in
// Odoo's API shows up here and nowhere else.

declare module "@web/core/registry" {
    export interface RegistryCategory<T> {
        add(key: string, value: T, options?: { force?: boolean; sequence?: number }): this;
        get(key: string): T;
        contains(key: string): boolean;
    }
    export const registry: {
        category<T = unknown>(name: string): RegistryCategory<T>;
    };
}

declare module "@web/core/l10n/translation" {
    /** Marks a string for translation and returns it in the user's language. */
    export function _t(term: string, ...values: unknown[]): string;
}

declare module "@web/core/utils/hooks" {
    export interface OrmService {
        call(
            model: string,
            method: string,
            args?: unknown[],
            kwargs?: Record<string, unknown>
        ): Promise<unknown>;
    }
    export interface ActionService {
        doAction(action: unknown, options?: Record<string, unknown>): Promise<void>;
    }
    export interface NotificationService {
        add(message: string, options?: { type?: "info" | "success" | "warning" | "danger" }): void;
    }
    export interface DialogService {
        /** Opens `component` as a dialog with `props`; returns the function that closes it. */
        add(component: unknown, props: Record<string, unknown>): () => void;
    }
    /** Odoo's bus (bus addon): one websocket per browser, shared by the tabs. */
    export interface BusService {
        subscribe(notificationType: string, callback: (payload: unknown) => void): void;
        unsubscribe(notificationType: string, callback: (payload: unknown) => void): void;
        start(): Promise<void>;
        /** "connect", "reconnect", "disconnect": the websocket's life, as DOM-style events. */
        addEventListener(type: string, listener: () => void): void;
        removeEventListener(type: string, listener: () => void): void;
        /** "CONNECTED" once the websocket is up; other states mean notifications may be missed. */
        readonly workerState: string | undefined;
    }
    export function useService(name: "orm"): OrmService;
    export function useService(name: "dialog"): DialogService;
    export function useService(name: "bus_service"): BusService;
    export function useService(name: "action"): ActionService;
    export function useService(name: "notification"): NotificationService;
}

declare module "@web/webclient/actions/action_service" {
    /** The props every client action receives from the action service (an Owl props schema). */
    export const standardActionServiceProps: {
        [prop: string]: { type?: new (...args: never[]) => unknown; optional?: boolean };
    };
}

declare module "@web/core/assets" {
    /** Loads a lazy asset bundle (scripts and styles) once; resolves when it is ready. */
    export function loadBundle(bundleName: string): Promise<void>;
}

declare module "@web/core/confirmation_dialog/confirmation_dialog" {
    /** Odoo's yes/no dialog; pass it to the dialog service with title, body, confirm, cancel. */
    export const ConfirmationDialog: unknown;
}

declare module "@web/core/user" {
    /** The logged-in user (Odoo 18's user service object). */
    export const user: { readonly userId: number };
}

declare module "@web/core/browser/browser" {
    /** Odoo's wrapper of the browser globals (tests patch it); the cockpit uses its storage. */
    export const browser: { readonly localStorage: Storage };
}
