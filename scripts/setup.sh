#!/usr/bin/env bash
# Installs the Debian packages the build, the tests and the cross-checks need, when missing.
set -euo pipefail
packages=(
  build-essential cmake ninja-build pkg-config
  libssl-dev libgtest-dev libgmock-dev googletest libbenchmark-dev nlohmann-json3-dev
  libpcap-dev libcli11-dev
  tshark python3-scapy python3
  libxml2-utils
  chromium chromium-driver
  clang-14 libclang-rt-14-dev llvm-14
)
# The faster ESP crypto backend (oracle/crypto/crypto_backend.h); Intel's library is x86-64 only,
# and the build works without it (OpenSSL only).
if [ "$(uname -m)" = x86_64 ]; then packages+=(libipsec-mb-dev); fi
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
