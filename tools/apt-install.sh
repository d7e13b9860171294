# Sourced by tools/ensure-*.sh: `apt_install PACKAGE` installs one Debian package with apt-get
# (through sudo when not root), running `apt-get update` once if the first try fails.
# Returns non-zero where apt-get is missing or cannot be run.

if [ "$(id -u)" -eq 0 ]; then
    SUDO=""
elif command -v sudo >/dev/null 2>&1; then
    SUDO="sudo"
else
    SUDO="none"
fi

apt_updated=no
apt_install() {
    command -v apt-get >/dev/null 2>&1 || return 1
    [ "$SUDO" = "none" ] && return 1
    if $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$1"; then
        return 0
    fi
    if [ "$apt_updated" = no ]; then
        apt_updated=yes
        $SUDO env DEBIAN_FRONTEND=noninteractive apt-get update || return 1
        $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$1"
        return $?
    fi
    return 1
}
