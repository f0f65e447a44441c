import js from "@eslint/js";
import tseslint from "typescript-eslint";

const nodeGlobals = {
    process: "readonly",
    console: "readonly",
    require: "readonly",
    module: "writable",
    __dirname: "readonly",
    Buffer: "readonly",
    URL: "readonly",
    setTimeout: "readonly",
};

export default tseslint.config(
    { ignores: ["node_modules/", ".run/", "addons/", "test-results/", "playwright-report/"] },
    js.configs.recommended,
    ...tseslint.configs.strict,
    {
        files: ["web_src/**/*.ts"],
        rules: {
            "no-restricted-syntax": [
                "error",
                {
                    selector: "ExportDefaultDeclaration",
                    message: "Named exports only: Odoo's transpiler cannot rewrite export default.",
                },
                {
                    selector: "PropertyDefinition > PrivateIdentifier",
                    message: "Use TypeScript `private`, not #fields (Odoo's lint bans them).",
                },
            ],
        },
    },
    {
        files: ["test/**/*.ts"],
        rules: {
            "no-restricted-properties": [
                "error",
                {
                    object: "test",
                    property: "only",
                    message: "test.only skips the rest of the suite.",
                },
                { object: "it", property: "only", message: "it.only skips the rest of the suite." },
                { object: "describe", property: "only", message: "describe.only skips the rest." },
            ],
        },
    },
    { files: ["**/*.mjs", "**/*.cjs", "*.config.*"], languageOptions: { globals: nodeGlobals } },
    { files: ["**/*.cjs"], rules: { "@typescript-eslint/no-require-imports": "off" } }
);
