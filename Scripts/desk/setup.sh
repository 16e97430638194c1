#!/usr/bin/env bash
# Installs what the desk checks (Tests/desk) need, when missing: Debian's chromium for the SVG checks,
# groff for the man page, zsh and fish to parse the completion scripts, and the Python environment.
set -euo pipefail
cd "$(dirname "$0")/../.."
sudo=""; [ "$(id -u)" = 0 ] || sudo=sudo
missing=()
for tool in chromium:chromium groff:groff-base zsh:zsh fish:fish; do
    command -v "${tool%%:*}" >/dev/null || missing+=("${tool#*:}")
done
if [ ${#missing[@]} -gt 0 ]; then
    echo "installing ${missing[*]} (apt-get)" >&2
    $sudo apt-get update -qq && $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi
bash Scripts/desk/python-env.sh
