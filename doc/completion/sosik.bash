# Bash completion for sosik-index, sosik-search, sosik-serve and sosik-analyze.
# Installed as share/bash-completion/completions/<command> (one copy per name,
# since bash-completion loads a file by the command's name); can also be
# sourced directly. Needs nothing from the bash-completion package.
#
# Options come from the command's own --help, so they never drift from it;
# only the values of options with a fixed set of choices are listed here.

_sosik_options() {
  # Long options as --help prints them: "  -d [ --db ] arg" or "  --json".
  "$1" --help 2>/dev/null | grep -oE -- '(^|[[ ])--[a-z][a-z-]*' | grep -oE -- '--[a-z-]+' | sort -u
}

_sosik_complete() {
  local command=$1 name=${1##*/} current=${COMP_WORDS[COMP_CWORD]} previous=""
  (( COMP_CWORD > 0 )) && previous=${COMP_WORDS[COMP_CWORD-1]}
  COMPREPLY=()

  case "$previous" in
    --db|-d)
      # A database is a folder, a stub file or tcp://HOST:PORT.
      COMPREPLY=($(compgen -d -- "$current"; compgen -f -X '!*XAPIANDB*' -- "$current"))
      return ;;
    --shard-by) COMPREPLY=($(compgen -W "month year hash:" -- "$current")); compopt -o nospace 2>/dev/null
      [[ ${#COMPREPLY[@]} -eq 1 && ${COMPREPLY[0]} != hash: ]] && compopt +o nospace 2>/dev/null
      return ;;
    --sort) COMPREPLY=($(compgen -W "relevance date +date" -- "$current")); return ;;
    --color) COMPREPLY=($(compgen -W "auto always never" -- "$current")); return ;;
    --format) COMPREPLY=($(compgen -W "trec jsonl" -- "$current")); return ;;
    --spacing) COMPREPLY=($(compgen -W "on off" -- "$current")); return ;;
    --facets) COMPREPLY=($(compgen -W "category tag year month category,tag,year,month" -- "$current")); return ;;
    --queries|--ranking|--synonyms) COMPREPLY=($(compgen -f -- "$current")); return ;;
    --listen) COMPREPLY=($(compgen -W "127.0.0.1:8080 0.0.0.0:8080" -- "$current")); return ;;
    --limit|-n|--offset|--jobs|-j|--writers|--commit-every|--progress-interval|--threads|\
    --connections|--max-queue|--cache-mb|--remote-timeout|--cors-origin|--base-path|--site-url|\
    --category|--tag|--since|--until|--suggest|--site|--delete|--undelete)
      return ;;  # a value the user types
  esac

  # After "--" everything is a query or a path.
  local i
  for ((i = 1; i < COMP_CWORD; i++)); do
    [[ ${COMP_WORDS[i]} == -- ]] && { [[ $name == sosik-index ]] && COMPREPLY=($(compgen -f -- "$current")); return; }
  done

  if [[ $current == -* ]]; then
    COMPREPLY=($(compgen -W "$(_sosik_options "$command")" -- "$current"))
  elif [[ $name == sosik-index ]]; then
    COMPREPLY=($(compgen -f -- "$current"))  # PATH: folders and files to index
  fi
}

complete -F _sosik_complete -o filenames sosik-index
complete -F _sosik_complete sosik-search sosik-serve sosik-analyze
