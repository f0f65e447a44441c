import { describe, expect, test } from "@jest/globals";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";

// Odoo finds the cockpit's translatable strings with babel's JavaScript extractor, keyword `_t`,
// run over the committed bundle (addons/construction_sync/static/src/construction_sync.js): a
// string reaches translators only when the bundle calls literally _t("...").

const root = path.resolve(__dirname, "../../..");
const bundle = readFileSync(
    path.join(root, "addons/construction_sync/static/src/construction_sync.js"),
    "utf8"
);
const sources = readdirSync(path.join(root, "web_src"), { recursive: true, encoding: "utf8" })
    .filter((file) => file.endsWith(".ts") && !file.endsWith(".d.ts"))
    .sort()
    .map((file) => ({ file, text: readFileSync(path.join(root, "web_src", file), "utf8") }));

/** The string literal terms of every `<callee>("...")` call, in order. */
function terms(code: string, callee: RegExp): string[] {
    const call = new RegExp(
        `${callee.source}\\(\\s*("(?:[^"\\\\\\n]|\\\\.)*"|'(?:[^'\\\\\\n]|\\\\.)*')`,
        "g"
    );
    return [...code.matchAll(call)].map((match) => {
        const literal = match[1] as string;
        return literal.startsWith('"') ? (JSON.parse(literal) as string) : literal.slice(1, -1);
    });
}

describe("the cockpit bundle's translatable strings", () => {
    test("_t keeps its name: no _t2.._tN binding that the extractor would miss", () => {
        expect(bundle.match(/\b_t\d+\b/g)).toBeNull();
    });

    test("the bundle imports _t once, from Odoo", () => {
        const imports = bundle.match(/^import \{[^}]*\b_t\b[^}]*\} from "[^"]+";$/gm);
        expect(imports).toEqual(['import { _t } from "@web/core/l10n/translation";']);
    });

    test("only web_src/cockpit/translation.ts imports Odoo's _t; components import it from there", () => {
        const importers = sources
            .filter(({ text }) => text.includes('"@web/core/l10n/translation"'))
            .map(({ file }) => file.split(path.sep).join("/"));
        expect(importers).toEqual(["cockpit/translation.ts"]);
    });

    test("every _t call passes a string literal first", () => {
        expect(bundle.match(/\b_t\((?!\s*["'])[^\n]*/g)).toBeNull();
        expect(terms(bundle, /\b_t/).length).toBe(bundle.match(/\b_t\(/g)?.length);
    });

    test("every _t call of web_src reaches the bundle as a literal _t call", () => {
        const fromSources = sources.flatMap(({ text }) => terms(text, /\b_t/)).sort();
        const extractable = terms(bundle, /\b_t/).sort();
        // A renamed binding (_t2) would still match \w*: the two lists differ only when the
        // bundle hides a call from the extractor.
        const anyName = terms(bundle, /\b_t\w*/).sort();
        expect(fromSources.length).toBeGreaterThan(20);
        expect(extractable).toEqual(fromSources);
        expect(anyName).toEqual(extractable);
    });
});
