#!/usr/bin/env bash
# Set up MNIST CNN Studio and run it:  ./dev.sh app  |  ./dev.sh test [pytest args]  |  ./dev.sh bench [args]
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

setup_browser() {
  # The real-browser tests drive Debian's Chromium; Playwright's own browser download is not used.
  if [ ! -x /usr/bin/chromium ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
      (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
        || echo "note: could not install chromium; browser tests will be skipped." >&2
    else
      echo "note: /usr/bin/chromium is missing (sudo apt-get install chromium); browser tests will be skipped." >&2
    fi
  fi
}

setup_postgres() {
  # The sweep tests start a throwaway PostgreSQL cluster with Debian's binaries; without them they are skipped.
  if ! ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
      (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null) \
        || echo "note: could not install postgresql; the PostgreSQL sweep tests will be skipped." >&2
    else
      echo "note: PostgreSQL is missing (sudo apt-get install postgresql); its sweep tests will be skipped." >&2
    fi
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
    setup_browser
    setup_postgres
    exec .venv/bin/python -m pytest "$@"
    ;;
  bench)
    shift
    setup_python
    exec .venv/bin/python -m bench.run "$@"
    ;;
  *)
    echo "usage: ./dev.sh app | ./dev.sh test [pytest args] | ./dev.sh bench [args]" >&2
    exit 2
    ;;
esac
