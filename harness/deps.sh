#!/usr/bin/env bash
# deps.sh [--optional] PACKAGE... — make sure these Debian packages are installed.
# As root, installs the missing ones (apt-get update first, once); otherwise names them
# and fails. With --optional, a package that cannot be installed is a notice, not a failure.
# Quiet when everything is there.
set -u
optional=0
if [ "${1:-}" = --optional ]; then optional=1; shift; fi
missing=()
for p in "$@"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  if [ $optional -eq 1 ]; then echo "deps: notice: not installed (optional): ${missing[*]}"; exit 0; fi
  echo "deps: missing Debian packages: ${missing[*]}" >&2
  echo "deps: install them with: sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
echo "deps: installing missing Debian packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get -o DPkg::Lock::Timeout=600 update -qq >/dev/null || { echo "deps: apt-get update failed" >&2; exit 1; }
if [ $optional -eq 1 ]; then
  for p in "${missing[@]}"; do
    apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "$p" >/dev/null 2>&1 ||
      echo "deps: notice: could not install $p (optional): what needs it is skipped"
  done
  exit 0
fi
apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${missing[@]}" >/dev/null ||
  { echo "deps: apt-get install ${missing[*]} failed" >&2; exit 1; }
echo "deps: installed ${missing[*]}"
