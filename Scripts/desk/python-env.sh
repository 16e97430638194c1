#!/usr/bin/env bash
# The pinned Python environment (.venv-desk, from PyPI, Scripts/desk/requirements.txt) that runs the
# notebooks and the desk checks; made the first time, and again only when the requirements change.
set -euo pipefail
cd "$(dirname "$0")/../.."
if ! python3 -c 'import venv, ensurepip' 2>/dev/null; then
    echo "installing python3-venv (apt-get)" >&2
    sudo=""; [ "$(id -u)" = 0 ] || sudo=sudo
    $sudo apt-get update -qq && $sudo apt-get install -y -qq python3-venv >/dev/null
fi
venv=.venv-desk
stamp="$venv/requirements.sha256"
want=$(sha256sum Scripts/desk/requirements.txt | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    echo "setting up $venv from PyPI (Scripts/desk/requirements.txt)" >&2
    rm -rf "$venv"
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q --disable-pip-version-check -r Scripts/desk/requirements.txt
    echo "$want" >"$stamp"
fi
