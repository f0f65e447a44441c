# Shared settings of the harness; sourced by the other scripts, never run directly.
# Everything the harness creates lives under $CSYNC_RUN_DIR (default <repo>/.run, git-ignored).
set -euo pipefail

CSYNC_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export CSYNC_ROOT
export ODOO_SRC=${ODOO_SRC:-/opt/odoo}
export CSYNC_RUN_DIR=${CSYNC_RUN_DIR:-$CSYNC_ROOT/.run}
# The cluster listens on loopback only, on a port unlikely to clash with a system PostgreSQL.
export CSYNC_PGPORT=${CSYNC_PGPORT:-55432}
export CSYNC_PGHOST=127.0.0.1
# Odoo refuses to connect as "postgres"; this role is created as superuser of the private cluster.
export CSYNC_DB_USER=${CSYNC_DB_USER:-odoo}
# initdb/pg_ctl refuse root: when run as root the cluster belongs to this unprivileged OS user.
export CSYNC_PG_OS_USER=${CSYNC_PG_OS_USER:-csync-pg}
export CSYNC_HTTP_PORT=${CSYNC_HTTP_PORT:-8069}
export CSYNC_PYTHON=${CSYNC_PYTHON:-/usr/bin/python3}
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1

# The Odoo modules the project's addons depend on (outside addons/), read from their manifests:
# the template database holds exactly these, so it must be rebuilt when they change.
csync_depends() {
  "$CSYNC_PYTHON" - "$CSYNC_ROOT/addons" <<'PY'
import ast, pathlib, sys
root = pathlib.Path(sys.argv[1])
ours = {p.parent.name for p in root.glob("*/__manifest__.py")}
deps = set()
for manifest in root.glob("*/__manifest__.py"):
    deps |= set(ast.literal_eval(manifest.read_text())["depends"])
print(",".join(sorted(deps - ours)))
PY
}

# The project's addons, in no particular order (Odoo resolves their dependencies).
csync_addons() {
  (cd "$CSYNC_ROOT/addons" && ls -d */__manifest__.py | cut -d/ -f1 | paste -sd, -)
}

die() { echo "construction_sync: $*" >&2; exit 1; }
log() { echo "[csync] $*" >&2; }

require_odoo_src() {
  [ -f "$ODOO_SRC/odoo-bin" ] && [ -d "$ODOO_SRC/addons/web" ] && return 0
  die "no Odoo 18 source at ODOO_SRC=$ODOO_SRC; put it there (git clone --depth 1 -b 18.0 https://github.com/odoo/odoo.git $ODOO_SRC) or set ODOO_SRC to where it is"
}

# Questions about the addons' manifests, answered from every manifest on the addons path (Odoo's
# own first, as Odoo resolves a name to the first directory that has it):
#   csync_manifests depends-of ADDON   the Odoo modules outside addons/ that ADDON needs, directly
#                                      or through the project's addons it depends on
#   csync_manifests parent ADDON       the project addon among ADDON's depends whose depends-of is
#                                      largest (a template for ADDON is that one's plus the rest)
#   csync_manifests depends-all        "ADDON<TAB>depends-of" for every project addon
#   csync_manifests closure ADDON [CC,...]  two lines: the modules installing ADDON alone must
#                                      install (its whole dependency closure), then every module it
#                                      may install: that closure plus what auto-installs on top of
#                                      it (a country-specific module only for the given companies'
#                                      country codes)
csync_manifests() {
  "$CSYNC_PYTHON" - "$ODOO_SRC" "$CSYNC_ROOT/addons" "$@" <<'PY'
import ast, pathlib, sys
odoo_src, ours_dir, command, *args = sys.argv[1:]
ours_path = pathlib.Path(ours_dir)
ours = {p.parent.name: ast.literal_eval(p.read_text()) for p in ours_path.glob("*/__manifest__.py")}

def fail(message):
    sys.exit("csync_manifests: " + message)

def depends_of(addon, seen=None):
    if addon not in ours:
        fail("%s is not an addon under %s" % (addon, ours_dir))
    seen = set() if seen is None else seen
    external = set()
    for dep in ours[addon]["depends"]:
        if dep in ours:
            if dep not in seen:
                seen.add(dep)
                external |= depends_of(dep, seen)
        else:
            external.add(dep)
    return external

def all_manifests():
    manifests = {}
    for root in (pathlib.Path(odoo_src, "odoo/addons"), pathlib.Path(odoo_src, "addons"), ours_path):
        for path in sorted(root.glob("*/__manifest__.py")):
            manifests.setdefault(path.parent.name, ast.literal_eval(path.read_text()))
    return manifests

if command == "depends-of":
    print(",".join(sorted(depends_of(args[0]))))
elif command == "depends-all":
    for addon in sorted(ours):
        print("%s\t%s" % (addon, ",".join(sorted(depends_of(addon)))))
elif command == "parent":
    parents = [dep for dep in ours[args[0]]["depends"] if dep in ours]
    parents.sort(key=lambda dep: (-len(depends_of(dep)), dep))
    print(parents[0] if parents else "")
elif command == "closure":
    manifests = all_manifests()
    countries = {code.strip().lower() for code in (args[1] if len(args) > 1 else "").split(",") if code.strip()}

    def close(names):
        todo, done = list(names), set()
        while todo:
            name = todo.pop()
            if name in done:
                continue
            if name not in manifests:
                fail("no manifest for module %s" % name)
            done.add(name)
            todo.extend(manifests[name].get("depends", []))
        return done

    required = close([args[0], "base"])
    allowed = set(required)
    grown = True
    while grown:  # Odoo installs an auto_install module once the dependencies it names are in
        grown = False
        for name, manifest in manifests.items():
            auto = manifest.get("auto_install")
            if name in allowed or not auto or not manifest.get("installable", True):
                continue
            if manifest.get("countries") and not set(manifest["countries"]) & countries:
                continue
            needed = auto if isinstance(auto, (list, tuple)) else manifest.get("depends", [])
            if set(needed) <= allowed:
                allowed |= close([name])
                grown = True
    print(",".join(sorted(required)))
    print(",".join(sorted(allowed)))
else:
    fail("unknown command " + command)
PY
}
