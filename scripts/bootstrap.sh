# Sourced by scripts/serve and scripts/test: a virtual environment with the project installed.
# Re-installs only when pyproject.toml changes.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

PYTHON="${PYTHON:-}"
if [ -z "$PYTHON" ]; then
  for candidate in python3.11 python3.12 python3.13 python3; do
    if command -v "$candidate" >/dev/null 2>&1; then PYTHON="$candidate"; break; fi
  done
fi
"$PYTHON" - <<'PY' || { echo "Python 3.11 or newer is needed (found $("$PYTHON" --version 2>&1))." >&2; exit 1; }
import sys
sys.exit(0 if sys.version_info >= (3, 11) else 1)
PY

VENV="$ROOT/.venv"
if [ ! -x "$VENV/bin/python" ]; then
  echo "==> Creating the virtual environment in .venv"
  "$PYTHON" -m venv "$VENV"
fi

install_project() {  # $1: extras, e.g. "" or "[test]"
  local stamp="$VENV/.installed$(echo "$1" | tr -c 'a-z' '-')$(sha1sum pyproject.toml | cut -c1-12)"
  if [ ! -f "$stamp" ]; then
    echo "==> Installing the project and its dependencies$1"
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade pip
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -e ".$1"
    touch "$stamp"
  fi
}
