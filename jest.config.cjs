// TypeScript reaches jest through esbuild (already the project's compiler), not a second toolchain;
// type errors are tsc's job, run before jest by npm test.
module.exports = {
    testEnvironment: "node",
    roots: ["<rootDir>/test/unit"],
    testMatch: ["**/*.test.ts"],
    transform: { "\\.ts$": "<rootDir>/test/unit/esbuild-transform.cjs" },
    setupFilesAfterEnv: ["<rootDir>/test/unit/setup.ts"],
    moduleNameMapper: {
        // Odoo supplies these at run time; unit tests cover web_src/core, which never imports them.
        "^@web/(.*)$": "<rootDir>/test/unit/no-odoo-in-unit-tests.cjs",
        "^@odoo/owl$": "<rootDir>/test/unit/no-odoo-in-unit-tests.cjs",
    },
};
