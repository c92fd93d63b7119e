#!/usr/bin/env bash
# Installs the system programs and libraries the test suite uses, when they are missing:
# PostgreSQL server binaries (the store's PostgreSQL tests), Xvfb (screenshots), poppler-utils
# (PDF pages to PNG), the desktop-entry and AppStream validators, binutils (PyInstaller), and the
# shared libraries Qt needs to run offscreen.
# Debian/Ubuntu through apt-get; elsewhere it says what is missing and stops.
set -euo pipefail

missing=()
have_pg_bin() {
  command -v initdb >/dev/null 2>&1 && return 0
  compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null
}
have_lib() { ldconfig -p 2>/dev/null | grep -q "$1"; }

have_pg_bin || missing+=(postgresql)
command -v Xvfb >/dev/null 2>&1 || missing+=(xvfb)
command -v xauth >/dev/null 2>&1 || missing+=(xauth)
command -v pdftoppm >/dev/null 2>&1 || missing+=(poppler-utils)
# The desktop entry's and AppStream metadata's validators (tests/test_desktop_files.py).
command -v desktop-file-validate >/dev/null 2>&1 || missing+=(desktop-file-utils)
command -v appstreamcli >/dev/null 2>&1 || missing+=(appstream)
# PyInstaller reads shared libraries' dependencies with objdump (make package).
command -v objdump >/dev/null 2>&1 || missing+=(binutils)
have_lib libEGL.so.1 || missing+=(libegl1)
have_lib libGL.so.1 || missing+=(libgl1)
have_lib libxkbcommon.so.0 || missing+=(libxkbcommon0)
have_lib libxkbcommon-x11.so.0 || missing+=(libxkbcommon-x11-0)
have_lib libfontconfig.so.1 || missing+=(libfontconfig1)
have_lib libdbus-1.so.3 || missing+=(libdbus-1-3)
have_lib libxcb-cursor.so.0 || missing+=(libxcb-cursor0)
have_lib libxcb-icccm.so.4 || missing+=(libxcb-icccm4)
have_lib libxcb-keysyms.so.1 || missing+=(libxcb-keysyms1)
have_lib libxcb-image.so.0 || missing+=(libxcb-image0)
have_lib libxcb-render-util.so.0 || missing+=(libxcb-render-util0)
have_lib libxcb-xkb.so.1 || missing+=(libxcb-xkb1)
have_lib libxcb-shape.so.0 || missing+=(libxcb-shape0)
fc-list 2>/dev/null | grep -qi dejavu || missing+=(fonts-dejavu-core)

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
echo "installing system packages for the tests: ${missing[*]}"
if ! command -v apt-get >/dev/null 2>&1; then
  echo "apt-get is not available; install these yourself: ${missing[*]}" >&2
  exit 1
fi
sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then sudo_cmd=(sudo); else
    echo "not root and no sudo; install these yourself: ${missing[*]}" >&2
    exit 1
  fi
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -q || true
"${sudo_cmd[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
