#!/usr/bin/env bash
# Set up MNIST CNN Studio and run it:  ./dev.sh app  |  ./dev.sh test [pytest args]  |  ./dev.sh bench [args]  |  ./dev.sh screenshots [args]  |  ./dev.sh catalog
# Setup is idempotent: a venv in .venv, requirements installed once (again when requirements.txt changes).
set -euo pipefail
cd "$(dirname "$0")"

setup_python() {
  if [ ! -x .venv/bin/python ]; then
    python3 -m venv .venv
  fi
  local stamp=.venv/.requirements.sha
  local want
  want="$(sha256sum requirements.txt | cut -d' ' -f1)"
  if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    .venv/bin/python -m pip install --quiet --upgrade pip
    .venv/bin/python -m pip install --quiet -r requirements.txt
    echo "$want" > "$stamp"
  fi
}

setup_system() {
  # Debian packages the tests use: Chromium for the real-browser tests (Playwright's own browser
  # download is not used), Fashion-MNIST's files for the real-data tests, PostgreSQL for a throwaway
  # cluster in the sweep tests. Installed when root and missing.
  local missing=()
  [ -x /usr/bin/chromium ] || missing+=(chromium)
  ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1 || missing+=(postgresql)
  [ -d /usr/share/datasets/fashion-mnist ] || missing+=(dataset-fashion-mnist)
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null) \
      || echo "note: could not install ${missing[*]}; the tests that need them will be skipped." >&2
  else
    echo "note: missing ${missing[*]} (sudo apt-get install ${missing[*]}); the tests that need them will be skipped." >&2
  fi
}

case "${1:-}" in
  app)
    setup_python
    exec .venv/bin/streamlit run app.py
    ;;
  test)
    shift
    setup_python
    setup_system
    exec .venv/bin/python -m pytest "$@"
    ;;
  bench)
    shift
    setup_python
    exec .venv/bin/python -m bench.run "$@"
    ;;
  screenshots)
    # the README's pictures (docs/images/*.png): short runs on the real MNIST, a real server, Chromium
    shift
    setup_python
    setup_system
    # Hangul in the Korean screenshot needs a Korean font (the app itself uses the browser's fonts)
    if ! fc-list :lang=ko 2>/dev/null | grep -q . && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-nanum >/dev/null || echo "note: no Korean font; lecture-ko.png will show boxes" >&2
    fi
    exec .venv/bin/python -m bench.browser.screenshots "$@"
    ;;
  catalog)
    # the words the app shows (babel.cfg) -> locales/messages.pot -> each language's .po (new ids empty)
    setup_python
    .venv/bin/pybabel extract -F babel.cfg --no-location --sort-output --omit-header -o locales/messages.pot . >/dev/null 2>&1
    for lang in en ko; do
      if [ -f "locales/$lang/LC_MESSAGES/messages.po" ]; then
        .venv/bin/pybabel update --no-fuzzy-matching -i locales/messages.pot -d locales -l "$lang" >/dev/null 2>&1
      else
        .venv/bin/pybabel init -i locales/messages.pot -d locales -l "$lang" >/dev/null 2>&1
      fi
    done
    ;;
  *)
    echo "usage: ./dev.sh app | ./dev.sh test [pytest args] | ./dev.sh bench [args] | ./dev.sh screenshots [args] | ./dev.sh catalog" >&2
    exit 2
    ;;
esac
