#!/bin/sh
# Make sure the machine has a headless browser for the web edition's tests: Debian's
# chromium package (the tests start it themselves; nothing is downloaded at test time).
# Installs with apt-get (through sudo when not root) where possible.  Without it the browser
# test is skipped on a developer's machine and fails in CI (CI=true): exit 1 there.
set -u

. "$(dirname "$0")/apt-install.sh"

have_browser() {
    for b in chromium chromium-browser google-chrome chrome; do
        command -v "$b" >/dev/null 2>&1 && { echo "$b"; return 0; }
    done
    return 1
}

if found=$(have_browser); then
    echo "browser: ok ($found)"
    exit 0
fi

echo "browser: none found; installing Debian's chromium"
apt_install chromium || true
if found=$(have_browser); then
    echo "browser: installed chromium ($found)"
    exit 0
fi
echo "browser: chromium could not be installed here (apt-get install chromium, or your system's" \
     "chromium package); the web edition's browser test will be skipped" >&2
if [ "${CI:-}" = "true" ]; then
    exit 1
fi
exit 0
