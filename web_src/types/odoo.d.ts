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
    export function useService(name: "orm"): OrmService;
    export function useService(name: "action"): ActionService;
    export function useService(name: "notification"): NotificationService;
}

declare module "@web/webclient/actions/action_service" {
    /** The props every client action receives from the action service (an Owl props schema). */
    export const standardActionServiceProps: {
        [prop: string]: { type?: new (...args: never[]) => unknown; optional?: boolean };
    };
}
