#!/usr/bin/env bash
# Installs the system packages the registry's tests need, from Debian's
# repositories, when they are missing: "postgresql" (server binaries for the
# throwaway test database) and "chromium" (headless browser tests).
# Without root it only says what is missing.
set -euo pipefail

missing=()
for want in "$@"; do
  case "$want" in
    postgresql)
      if ! command -v initdb >/dev/null && ! compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null; then
        missing+=(postgresql)
      fi ;;
    chromium)
      if ! command -v chromium >/dev/null && ! command -v chromium-browser >/dev/null; then
        missing+=(chromium)
      fi ;;
    *) echo "install-deps: unknown dependency $want" >&2; exit 2 ;;
  esac
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  echo "install-deps: missing ${missing[*]}; install with: sudo apt-get install -y ${missing[*]}" >&2
  exit 0
fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
