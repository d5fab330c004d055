#!/bin/sh
# test-man.sh GRADSCOPE_CLI MAN_PAGE...: the man pages are clean roff, and
# gradscope-cli.1 documents every option 'gradscope-cli train --help' lists,
# and every command of 'gradscope-cli --help' (so the page cannot fall behind).
set -eu
cli=$1
shift
status=0
for page in "$@"; do
  if command -v groff >/dev/null; then
    out=$(groff -man -ww -z "$page" 2>&1) || status=1
    [ -z "$out" ] || { echo "$page: $out" >&2; status=1; }
  fi
done
cli_page=
for page in "$@"; do
  case "$page" in *gradscope-cli.1) cli_page=$page ;; esac
done
[ -n "$cli_page" ] || { echo "test-man: no gradscope-cli.1 given" >&2; exit 1; }
# roff writes '-' as '\-'.
text=$(sed 's/\\-/-/g' "$cli_page")
for opt in $("$cli" train --help | grep -o '^  --[a-z0-9-]*' | sed 's/^ *//'); do
  case "$text" in
    *"$opt"*) ;;
    *) echo "test-man: $cli_page does not document train $opt" >&2; status=1 ;;
  esac
done
for cmd in $("$cli" --help | sed -n 's/^  \([a-z][a-z]*\) .*/\1/p'); do
  case "$text" in
    *"gradscope-cli $cmd"*|*".B $cmd"*) ;;
    *) echo "test-man: $cli_page does not document the command $cmd" >&2; status=1 ;;
  esac
done
[ $status -eq 0 ] && echo "test-man: ok"
exit $status
