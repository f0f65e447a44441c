const { transformSync } = require("esbuild");

module.exports = {
    process(source, filename) {
        const { code, map } = transformSync(source, {
            loader: "ts",
            format: "cjs",
            target: "es2022",
            sourcefile: filename,
            sourcemap: "inline",
        });
        return { code, map };
    },
};
