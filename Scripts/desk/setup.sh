#!/usr/bin/env bash
# Installs what the analyst's-desk checks need, when missing: a Python virtual environment
# (.venv-desk, from PyPI, pinned by requirements.txt), Debian's chromium for the SVG checks, groff for
# the man page, and zsh and fish to parse the completion scripts.
set -euo pipefail
cd "$(dirname "$0")/../.."
sudo=""; [ "$(id -u)" = 0 ] || sudo=sudo

apt_install() {
    echo "installing $* (apt-get)" >&2
    $sudo apt-get update -qq && $sudo apt-get install -y -qq "$@" >/dev/null
}

command -v chromium >/dev/null || apt_install chromium
command -v groff >/dev/null || apt_install groff-base
for shell in zsh fish; do command -v $shell >/dev/null || apt_install $shell; done
python3 -c 'import venv, ensurepip' 2>/dev/null || apt_install python3-venv

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
