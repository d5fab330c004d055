#!/bin/sh
# test-ci-command.sh SOURCE_DIR: the README's two commands are the ones CI
# runs: its first shell block starts with scripts/run.sh and scripts/test.sh,
# .ci/run calls scripts/test.sh (and nothing else that tests), and both
# scripts take their packages from scripts/install-deps.sh.
set -eu
cd "$1"
fail() { echo "test-ci-command: $*" >&2; exit 1; }

block=$(awk '/^```sh/ { on = 1; next } /^```/ { if (on) exit } on' README.md)
first=$(printf '%s\n' "$block" | sed -n 1p | awk '{ print $1 }')
second=$(printf '%s\n' "$block" | sed -n 2p | awk '{ print $1 }')
[ "$first" = scripts/run.sh ] || fail "README's first command is '$first', not scripts/run.sh"
[ "$second" = scripts/test.sh ] || fail "README's second command is '$second', not scripts/test.sh"

# The commands .ci/run runs, comments and 'set'/'cd' lines left out.
ci=$(grep -v '^[[:space:]]*#' .ci/run | grep -v '^[[:space:]]*$' |
     grep -v '^[[:space:]]*\(set\|cd\) ')
[ "$(printf '%s\n' "$ci" | wc -l)" -eq 1 ] || fail ".ci/run does more than call scripts/test.sh: $ci"
printf '%s\n' "$ci" | grep -Eq '^(exec )?(bash )?scripts/test\.sh( |$)' ||
  fail ".ci/run does not call scripts/test.sh: $ci"
for s in scripts/run.sh scripts/test.sh; do
  [ -x "$s" ] || fail "$s is not executable"
  grep -q '^[^#]*scripts/install-deps\.sh' "$s" || fail "$s does not call scripts/install-deps.sh"
done
echo "test-ci-command: ok (README: $first, $second; .ci/run: $ci)"
