// The one module of the bundle that imports Odoo's _t: components import it from here.
//
// esbuild gives every module's import binding its own name in the single output file, so when
// several modules imported _t from "@web/core/l10n/translation" the bundle called _t2(...),
// _t3(...) and _t4(...), which Odoo's term extractor (babel, keyword `_t`) does not see: those
// strings could never be translated. With one importing module the bundle has one binding, `_t`.
// scripts/build.mjs refuses a bundle with a renamed _t, and test/unit checks the committed one.
export { _t } from "@web/core/l10n/translation";
