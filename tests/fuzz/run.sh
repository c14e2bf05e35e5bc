#!/usr/bin/env bash
# Builds the libFuzzer targets with clang into ${FUZZ_BUILD_DIR:-build-fuzz}
# and runs each for FUZZ_SECONDS (default 60) from a seed corpus made of the
# sample archive (data/) and the test fixtures. Fails when any target finds a
# crash, a sanitizer report, a timeout (an input taking over 10 s: a hang) or
# an out-of-memory; the input that did it is left in build-fuzz/artifacts/.
# Reproduce one with: build-fuzz/tests/fuzz/fuzz_NAME build-fuzz/artifacts/crash-…
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
build="${FUZZ_BUILD_DIR:-$root/build-fuzz}"
seconds="${FUZZ_SECONDS:-60}"
targets=(fuzz_analyzer fuzz_html_text fuzz_front_matter fuzz_jsonl fuzz_query_parser)

CC=clang-14 CXX=clang++-14 cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DSOSIK_FUZZ=ON -DSOSIK_BUILD_TESTS=OFF >/dev/null
cmake --build "$build" --target sosik_fuzzers -j "$(nproc)"

# ---- seed corpora: one directory per target, rebuilt each run ---------------
seeds="$build/seeds"
rm -rf "$seeds"
mkdir -p "$build/artifacts" "$build/corpus"
for t in "${targets[@]}"; do mkdir -p "$seeds/$t" "$build/corpus/$t"; done
n=0
while IFS= read -r -d '' file; do
  n=$((n + 1))
  case "$file" in
    *.jsonl) cp "$file" "$seeds/fuzz_jsonl/$n" ;;
    *)
      cp "$file" "$seeds/fuzz_analyzer/$n"
      cp "$file" "$seeds/fuzz_html_text/$n"
      # fuzz_front_matter: the first byte chooses the file name and site.
      { printf '\x00'; cat "$file"; } > "$seeds/fuzz_front_matter/$n"
      ;;
  esac
done < <(find "$root/data/_posts" "$root/tests/fixtures" -type f \
           \( -name '*.md' -o -name '*.html' -o -name '*.jsonl' \) -print0)
# Each line of the JSONL fixtures, alone, as well.
cat "$root"/tests/fixtures/sources/*.jsonl | split -l 1 - "$seeds/fuzz_jsonl/line-"
split -l 1 "$root/tests/fuzz/seeds/queries.txt" "$seeds/fuzz_query_parser/query-"

# ---- run each for a bounded time -------------------------------------------
failed=()
for t in "${targets[@]}"; do
  extra=()
  [ "$t" = fuzz_query_parser ] && extra+=(-dict="$root/tests/fuzz/seeds/query.dict")
  log="$build/$t.log"
  echo "== $t: ${seconds} s"
  if "$build/tests/fuzz/$t" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
       -print_final_stats=1 -artifact_prefix="$build/artifacts/$t-" "${extra[@]}" \
       "$build/corpus/$t" "$seeds/$t" >"$log" 2>&1; then
    grep -E '^stat::number_of_executed_units|^Done' "$log" | tr '\n' ' '; echo
  else
    echo "!! $t failed; the end of its log ($log):"
    tail -n 60 "$log"
    failed+=("$t")
  fi
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzzing found problems in: ${failed[*]} (inputs in $build/artifacts/)"
  exit 1
fi
echo "fuzzing: ${#targets[@]} targets, ${seconds} s each, no crash"
