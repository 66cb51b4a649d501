#!/usr/bin/env bash
# Make sure redis-server is installed (the crawl-cluster tests start a real one on loopback).
# Prints the path of redis-server. Installs it with apt-get when it is missing and we can.
set -euo pipefail
if path="$(command -v redis-server)"; then
    echo "$path"; exit 0
fi
for candidate in /usr/bin/redis-server /usr/local/bin/redis-server /usr/sbin/redis-server; do
    if [ -x "$candidate" ]; then echo "$candidate"; exit 0; fi
done
SUDO=""
if [ "$(id -u)" != 0 ]; then
    if command -v sudo >/dev/null && sudo -n true 2>/dev/null; then SUDO="sudo -n"; else
        echo "ensure-redis: redis-server is not installed and we are not root: install it" \
             "(apt-get install redis-server)" >&2
        exit 1
    fi
fi
if command -v apt-get >/dev/null; then
    $SUDO apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq redis-server >&2
else
    echo "ensure-redis: no apt-get here: install redis-server with your package manager" >&2
    exit 1
fi
# the package starts a system service: the tests run their own server, so leave it alone
command -v redis-server
