#!/usr/bin/env bash
# Runs the whole test suite: install dependencies, build, CTest.
# SOSIK_SANITIZE=1 builds with ASan+UBSan into build-sanitize/ instead,
# SOSIK_SANITIZE=thread with ThreadSanitizer into build-tsan/.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
bash "$root/.ci/install-deps.sh"
if [ "${SOSIK_SANITIZE:-0}" = 1 ]; then
  export BUILD_DIR=build-sanitize
  bash "$root/.ci/build.sh" -DSOSIK_SANITIZE=ON
elif [ "${SOSIK_SANITIZE:-0}" = thread ]; then
  export BUILD_DIR=build-tsan
  bash "$root/.ci/build.sh" -DSOSIK_SANITIZE_THREAD=ON
else
  export BUILD_DIR=build
  bash "$root/.ci/build.sh"
fi
cd "$root/$BUILD_DIR"
ctest --output-on-failure -j "$(nproc)"
