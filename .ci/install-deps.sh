#!/usr/bin/env bash
# Installs every Debian 12 package Sosik needs to build and test (run as root).
# Skips apt entirely when everything is already there, so re-runs are fast.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config
  libxapian-dev libicu-dev libgumbo-dev
  libboost-program-options-dev libboost-test-dev
  libyaml-cpp-dev libmd4c-dev libmd4c-html0-dev
  nlohmann-json3-dev libcpp-httplib-dev zlib1g-dev
  libzstd-dev  # stored document data (indexer/src/schema.cpp)
  libhangul-dev libhangul-data  # Hanja readings, compiled in at build time (tokenizer/tools/hanja_table_gen.cpp)
  xapian-tools
  help2man  # man pages (doc/CMakeLists.txt)
  # libFuzzer targets (tests/fuzz/run.sh): clang and its fuzzer/sanitizer runtimes
  clang-14 libclang-rt-14-dev
  # browser test of the search page and widget (tests/http/browser_test.sh)
  chromium nodejs fonts-nanum
)
if [ "${SOSIK_WITH_PEERS:-0}" = 1 ]; then
  # Benchmark peers (see benchmarks/README.md).
  packages+=(liblucene8-java default-jdk-headless python3 python3-xapian sqlite3 xapian-omega wrk
    hyperfine)  # benchmarks/startup
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
