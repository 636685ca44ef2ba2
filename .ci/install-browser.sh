#!/bin/sh
# Debian's chromium for tests/test_browser.py (driven by playwright with
# executable_path=/usr/bin/chromium; never `playwright install`). Needs root.
set -eu
if [ -x /usr/bin/chromium ]; then
    /usr/bin/chromium --version 2>/dev/null || true
    exit 0
fi
export DEBIAN_FRONTEND=noninteractive
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
$SUDO apt-get update -q
# fonts-dejavu-core: Vietnamese glyphs in the screenshots.
$SUDO apt-get install -y -q chromium fonts-dejavu-core
/usr/bin/chromium --version 2>/dev/null || true
