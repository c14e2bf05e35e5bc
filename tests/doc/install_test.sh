#!/usr/bin/env bash
# `cmake --install` puts the four executables, their man pages and their bash
# completion where a user's shell finds them; the pages render and document
# what --help documents; the completion offers options and their values.
# Usage: install_test.sh BUILD_DIR WORK_DIR
set -euo pipefail
build_dir=$1 work=$2
rm -rf "$work" && mkdir -p "$work"
prefix=$work/prefix
cmake --install "$build_dir" --prefix "$prefix" >/dev/null
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

for command in sosik-index sosik-search sosik-serve sosik-analyze; do
  [ -x "$prefix/bin/$command" ] || fail "$command not installed in bin/"
  page=$prefix/share/man/man1/$command.1
  [ -f "$page" ] || { fail "no man page $page"; continue; }
  text=$(MANWIDTH=100 man -l "$page" 2>/dev/null | col -b)
  grep -q "^NAME" <<<"$text" || fail "$command.1 has no NAME section"
  grep -qE "$command[[:space:]]+-[[:space:]]" <<<"$text" || fail "$command.1 NAME does not say what $command is"
  grep -q "^SEE ALSO" <<<"$text" || fail "$command.1 has no SEE ALSO section"
  # Every long option of --help appears in the page.
  for option in $("$prefix/bin/$command" --help | grep -oE -- '--[a-z][a-z-]+' | sort -u); do
    grep -q -- "$option" <<<"$text" || fail "$command.1 does not document $option"
  done
  [ -f "$prefix/share/bash-completion/completions/$command" ] || fail "no bash completion for $command"
done
index_page=$(man -l "$prefix/share/man/man1/sosik-index.1" 2>/dev/null | col -b)
grep -qE "Exit +status" <<<"$index_page" || fail "sosik-index.1 does not give the exit status"

# The completion, as bash-completion would load it for sosik-index.
complete_words() {  # complete_words COMMAND WORD... -> COMPREPLY, one per line
  local command=$1; shift
  PATH="$prefix/bin:$PATH" bash -c '
    source "$1/share/bash-completion/completions/$2"; shift 2
    COMP_WORDS=("$@"); COMP_CWORD=$(( $# - 1 ))
    _sosik_complete "${COMP_WORDS[0]}" "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
    printf "%s\n" "${COMPREPLY[@]}"' _ "$prefix" "$command" "$command" "$@"
}
expect() {  # expect "DESCRIPTION" WANTED -- COMMAND WORD...
  local what=$1 wanted=$2; shift 3
  local got; got=$(complete_words "$@" | sort | tr '\n' ' ')
  [[ " $got" == *" $wanted "* ]] || fail "$what: wanted '$wanted' among '$got'"
}
expect "sosik-index --sh" --shard-by -- sosik-index --sh
expect "sosik-index --shard-by" month -- sosik-index --shard-by ""
expect "sosik-search --so" --sort -- sosik-search --so
expect "sosik-search --sort" +date -- sosik-search --sort ""
expect "sosik-search --color" never -- sosik-search --color n
expect "sosik-serve --cors" --cors-origin -- sosik-serve --cors
mkdir -p "$work/archive/_posts"
(cd "$work" && expect "sosik-index PATH" archive -- sosik-index --db x arch)
[ -z "$(complete_words sosik-search 서울)" ] || fail "a query word got completions"

if [ "$failures" -gt 0 ]; then echo "$failures failure(s)"; exit 1; fi
echo "install, man pages and completion: ok"
