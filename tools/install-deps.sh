#!/usr/bin/env bash
# Alder: install the Debian packages the build and tests need, only those missing; safe to run again and again.
# It must never install anything from outside Debian's archive, nor ask questions (CI has no terminal).
#
# Usage: tools/install-deps.sh [group...]     (default: host arm qemu)
#   host    build and test on the posix simulator: cmake, gcc, make, valgrind; mbedTLS and openssl for
#           TLS, the echo server and the test certificates; opensc (pkcs11-tool) for the PKCS#11 test
#   arm     cross-build for Cortex-M boards: gcc-arm-none-eabi, newlib
#   qemu    run Cortex-M boards: qemu-system-arm
#   format  make format / format-check: clang-format
#   fuzz    make fuzz: clang and its libFuzzer, ASan and UBSan runtimes
set -euo pipefail

declare -A GROUPS_PACKAGES=(
    [host]="cmake gcc libc6-dev make valgrind libmbedtls-dev openssl opensc"
    [arm]="gcc-arm-none-eabi libnewlib-arm-none-eabi"
    [qemu]="qemu-system-arm"
    [format]="clang-format"
    [fuzz]="clang libclang-rt-14-dev"
)

groups=("$@")
if [ ${#groups[@]} -eq 0 ]; then
    groups=(host arm qemu)
fi

wanted=()
for group in "${groups[@]}"; do
    if [ -z "${GROUPS_PACKAGES[$group]+set}" ]; then
        echo "install-deps: unknown group '$group' (known: ${!GROUPS_PACKAGES[*]})" >&2
        exit 2
    fi
    read -r -a packages <<<"${GROUPS_PACKAGES[$group]}"
    wanted+=("${packages[@]}")
done

missing=()
for package in "${wanted[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed'; then
        missing+=("$package")
    fi
done

if [ ${#missing[@]} -eq 0 ]; then
    echo "install-deps: all present (${groups[*]})"
    exit 0
fi

echo "install-deps: missing: ${missing[*]}"
if [ "$(id -u)" -eq 0 ]; then
    sudo=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    sudo=(sudo -n)
else
    echo "install-deps: not root and no password-less sudo; install them with:" >&2
    echo "  sudo apt-get install ${missing[*]}" >&2
    exit 1
fi

export DEBIAN_FRONTEND=noninteractive
# The package lists are fetched only when apt has none, or when a missing package is unknown to them.
if [ -z "$(ls -A /var/lib/apt/lists 2>/dev/null | grep -v -e '^lock$' -e '^partial$' || true)" ] ||
    ! apt-cache show "${missing[@]}" >/dev/null 2>&1; then
    "${sudo[@]}" apt-get update -q
fi
"${sudo[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
echo "install-deps: installed ${missing[*]}"
