#!/bin/sh
# Find PostgreSQL's server programs (initdb, pg_ctl, postgres), installing them when missing
# and possible, and print the directory that holds them. Used by the test suite, which runs a
# throwaway cluster on loopback; works on a clean CI machine (Debian/Ubuntu: apt-get as root,
# or through passwordless sudo).
#
#   scripts/ensure-postgres.sh          # prints e.g. /usr/lib/postgresql/15/bin
#
# Exit status 1 with the reason on stderr when no server can be had.
set -eu

find_bin() {
    # 1. an explicit choice
    if [ -n "${NEWSCRAWLER_PG_BIN:-}" ] && [ -x "$NEWSCRAWLER_PG_BIN/initdb" ]; then
        echo "$NEWSCRAWLER_PG_BIN"; return 0
    fi
    # 2. the Debian/Ubuntu layout, newest version first (pg_ctl next to postgres)
    for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k4 -n -r); do
        if [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ] && [ -x "$dir/postgres" ]; then
            echo "$dir"; return 0
        fi
    done
    # 3. PATH (Homebrew, RPM layouts, /usr/local builds), symlinks resolved
    if initdb=$(command -v initdb 2>/dev/null) && command -v pg_ctl >/dev/null 2>&1; then
        real=$(readlink -f "$initdb" 2>/dev/null || echo "$initdb")
        dir=$(dirname "$real")
        if [ -x "$dir/pg_ctl" ] && [ -x "$dir/postgres" ]; then
            echo "$dir"; return 0
        fi
    fi
    # 4. other common prefixes
    for dir in /usr/pgsql-*/bin /usr/local/pgsql/bin /opt/homebrew/bin /usr/local/opt/postgresql*/bin; do
        if [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ]; then
            echo "$dir"; return 0
        fi
    done
    return 1
}

if find_bin; then
    exit 0
fi

echo "ensure-postgres: no PostgreSQL server programs found; installing" >&2
if [ "$(id -u)" = 0 ]; then
    SUDO=""
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    SUDO="sudo -n"
else
    echo "ensure-postgres: PostgreSQL (initdb, pg_ctl) is not installed and this user cannot" \
         "install it (not root, no passwordless sudo). Install the 'postgresql' package, or set" \
         "NEWSCRAWLER_PG_BIN to its bin directory, or NEWSCRAWLER_TEST_PG_URL to a server." >&2
    exit 1
fi

if command -v apt-get >/dev/null 2>&1; then
    export DEBIAN_FRONTEND=noninteractive
    $SUDO apt-get update -q >&2
    # no cluster is created or started by the package when policy-rc.d forbids it; either
    # way the tests run their own throwaway cluster
    $SUDO apt-get install -y -q --no-install-recommends postgresql >&2
elif command -v dnf >/dev/null 2>&1; then
    $SUDO dnf install -y postgresql-server >&2
elif command -v apk >/dev/null 2>&1; then
    $SUDO apk add --no-cache postgresql >&2
elif command -v brew >/dev/null 2>&1; then
    brew install postgresql >&2
else
    echo "ensure-postgres: no known package manager (apt-get, dnf, apk, brew) to install" \
         "PostgreSQL with" >&2
    exit 1
fi

if find_bin; then
    exit 0
fi
echo "ensure-postgres: PostgreSQL was installed but initdb/pg_ctl are still not found" >&2
exit 1
