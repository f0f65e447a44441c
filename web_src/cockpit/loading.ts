import { errorMessage } from "../core/bulk";

/** What every cockpit panel shows around a server read: a spinner, or why the read failed. */
export interface Loadable {
    loading: boolean;
    error: string | null;
}

/** Runs `read` with the panel's spinner on and its last error cleared; a failure is shown in the
 * panel instead of thrown. Resolves to whether the read succeeded. */
export async function withLoading(state: Loadable, read: () => Promise<void>): Promise<boolean> {
    state.loading = true;
    state.error = null;
    try {
        await read();
        return true;
    } catch (error) {
        state.error = errorMessage(error);
        return false;
    } finally {
        state.loading = false;
    }
}
