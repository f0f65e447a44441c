// Reads the bench database straight from PostgreSQL (psql on the bench cluster, whose address
// scripts/bench exports): for the checks that must not go through Odoo, e.g. while Odoo is down.
import { execFile } from "node:child_process";

const PSQL_ARGS = [
    "-X",
    "-h",
    process.env.CSYNC_PGHOST ?? "127.0.0.1",
    "-p",
    process.env.CSYNC_PGPORT ?? "",
    "-U",
    process.env.CSYNC_DB_USER ?? "odoo",
];

/** Runs one statement; resolves to its rows, each an array of text values. */
export function sql(db, statement) {
    return new Promise((resolve, reject) => {
        execFile(
            "psql",
            [...PSQL_ARGS, "-d", db, "-qtA", "-F", "\t", "-v", "ON_ERROR_STOP=1", "-c", statement],
            { maxBuffer: 256 * 1024 * 1024 },
            (error, stdout, stderr) => {
                if (error) {
                    reject(new Error(`psql: ${stderr.trim() || error.message}`));
                    return;
                }
                resolve(
                    stdout
                        .split("\n")
                        .filter((line) => line !== "")
                        .map((line) => line.split("\t"))
                );
            }
        );
    });
}

/** The first value of the first row, as a number. */
export async function sqlNumber(db, statement) {
    const rows = await sql(db, statement);
    return Number(rows[0]?.[0] ?? Number.NaN);
}
