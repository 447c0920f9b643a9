#!/usr/bin/env bash
# Set up everything gradscenes needs, idempotently:
#   1. Debian packages for Cairo/Pango and the TeX Live subset MathTex needs (apt, only if missing);
#   2. a virtualenv in .venv;
#   3. `pip install -e .[test]` (again only when pyproject.toml changed).
# A second run only checks (dpkg-query and a file time stamp) and returns in about a second.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
VENV=.venv
STAMP=$VENV/.installed
EXTRAS=${EXTRAS:-test}

packages=(
  build-essential pkg-config libcairo2-dev libpango1.0-dev
  texlive-latex-base texlive-latex-recommended texlive-latex-extra
  texlive-fonts-recommended dvisvgm
)
# python3 -m venv needs ensurepip, which Debian ships separately.
"$PYTHON" -c "import ensurepip" 2>/dev/null || packages+=(python3-venv)

missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [[ $status == "install ok installed" ]] || missing+=("$p")
done

if ((${#missing[@]})); then
  echo "setup: installing Debian packages: ${missing[*]}"
  cmd=(apt-get install -y --no-install-recommends "${missing[@]}")
  if [[ $EUID -eq 0 ]]; then
    sudo=()
  elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
    sudo=(sudo)
  else
    echo "setup: these Debian packages are missing and I am not root (and have no sudo):" >&2
    echo "    sudo apt-get update && sudo ${cmd[*]}" >&2
    echo "setup: run that command, then run make again." >&2
    exit 1
  fi
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" "${cmd[@]}"
fi

"$PYTHON" - <<'PY'
import sys
if sys.version_info < (3, 11):
    sys.exit(f"setup: gradscenes needs Python >= 3.11, found {sys.version.split()[0]}; "
             "set PYTHON=/path/to/python3.11 and run make again.")
PY

if [[ ! -x $VENV/bin/python ]]; then
  echo "setup: creating virtualenv $VENV"
  "$PYTHON" -m venv "$VENV"
fi

if [[ ! -f $STAMP || pyproject.toml -nt $STAMP || $(cat "$STAMP") != "$EXTRAS" ]]; then
  echo "setup: pip install -e .[$EXTRAS]"
  "$VENV/bin/python" -m pip install --quiet --upgrade pip
  "$VENV/bin/python" -m pip install --quiet -e ".[$EXTRAS]"
  echo "$EXTRAS" > "$STAMP"
fi
