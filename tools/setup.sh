#!/usr/bin/env bash
# Set up everything gradscenes needs, idempotently:
#   1. Debian packages (apt, only if missing): Cairo/Pango and the TeX Live subset MathTex needs;
#      Chromium and its WebDriver, which the slide-deck test drives; npm, if there is none;
#   2. a virtualenv in .venv;
#   3. `pip install -e .[test,notebook]` (again only when pyproject.toml changed): the test tools,
#      and Jupyter, in which the suite runs the example notebook;
#   4. reveal.js, the version manim-slides' deck template is written for, from the npm registry
#      into .cache/reveal.js/VERSION/ (once): `gradscenes slides` copies it beside every deck,
#      so that a deck plays without network.
# A second run only checks (dpkg-query and file time stamps) and returns in about a second.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
VENV=.venv
STAMP=$VENV/.installed
EXTRAS=${EXTRAS:-test,notebook}

packages=(
  build-essential pkg-config libcairo2-dev libpango1.0-dev
  texlive-latex-base texlive-latex-recommended texlive-latex-extra
  texlive-fonts-recommended dvisvgm
  chromium chromium-driver
)
# npm fetches reveal.js; Node.js from elsewhere (NodeSource) brings its own npm.
command -v npm >/dev/null || packages+=(npm)
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

# reveal.js for offline decks, in the version manim-slides' template is written for: looked up
# again only after pip ran (a new manim-slides may want another) or when the copy is gone.
REVEAL=.cache/reveal.js
if [[ ! -f $REVEAL/version || $STAMP -nt $REVEAL/version
      || ! -f $REVEAL/$(cat "$REVEAL/version")/dist/reveal.js ]]; then
  version=$("$VENV/bin/python" -c "from gradscenes.slides import revealjs_version as v; print(v())" \
    2>/dev/null || true)  # empty without manim-slides (no slides wanted)
  if [[ -n $version && ! -f $REVEAL/$version/dist/reveal.js ]]; then
    echo "setup: fetching reveal.js $version from the npm registry into $REVEAL/$version"
    download=$(mktemp -d)
    npm pack "reveal.js@$version" --pack-destination "$download" --silent --no-fund --no-audit \
      --no-update-notifier >/dev/null
    rm -rf "$REVEAL/$version.tmp" && mkdir -p "$REVEAL/$version.tmp"
    tar -xzf "$download/reveal.js-$version.tgz" -C "$REVEAL/$version.tmp" --strip-components=1
    rm -rf "$download" "$REVEAL/$version"
    mv "$REVEAL/$version.tmp" "$REVEAL/$version"
  fi
  if [[ -n $version ]]; then
    echo "$version" > "$REVEAL/version"
  fi
fi
