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
