#!/usr/bin/env bash
# Install Debian's Chromium (and tools the tests read PDFs and QR codes with, and SoftHSM2, the
# PKCS#11 module the token signer is tested against) when missing.
set -euo pipefail
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v pdftoppm >/dev/null 2>&1 || need+=(poppler-utils)
command -v zbarimg >/dev/null 2>&1 || need+=(zbar-tools)
command -v softhsm2-util >/dev/null 2>&1 || need+=(softhsm2)
[ ${#need[@]} -eq 0 ] && exit 0

echo "Installing ${need[*]} for the browser and document tests..."
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "Cannot install ${need[*]}: not root and no sudo. Install them, then run make test." >&2
    exit 1
  fi
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get install -y -q --no-install-recommends "${need[@]}" >/dev/null \
  || { $SUDO apt-get update -q >/dev/null && $SUDO apt-get install -y -q --no-install-recommends "${need[@]}" >/dev/null; }
