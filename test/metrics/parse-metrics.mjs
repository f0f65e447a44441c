// Parses Prometheus text exposition read on stdin with a real parser from npm
// (parse-prometheus-text-format) and prints JSON {typed, series}; fails (exit 1) on text the
// parser refuses. Driven by the construction_sync addon's tests/test_metrics.py, so the endpoint
// is checked against what a scraper library understands.
//
// typed: the families as the parser reads them (names, HELP, TYPE, gauge samples).
// series: the same text parsed without its TYPE lines, so every sample stands as its own untyped
// family with all its labels. The parser folds a histogram's series into one bucket map and drops
// labelled _sum and _count (it only handles unlabelled histograms); this view keeps them.
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const parsePrometheusTextFormat = require("parse-prometheus-text-format");

const chunks = [];
for await (const chunk of process.stdin) {
    chunks.push(chunk);
}
const text = Buffer.concat(chunks).toString("utf8");
try {
    const typed = parsePrometheusTextFormat(text);
    const untyped = text
        .split("\n")
        .filter((line) => !line.startsWith("# TYPE ") && !line.startsWith("# HELP "))
        .join("\n");
    const series = parsePrometheusTextFormat(untyped);
    process.stdout.write(JSON.stringify({ typed, series }));
} catch (error) {
    process.stderr.write(`unparsable metrics: ${error.message}\n`);
    process.exit(1);
}
