#!/bin/sh
# help-language.sh GRADSCOPE VI_PO: `gradscope --help` in Vietnamese, as
# the program finds its translations on its own (no GS_TEST_LOCALEDIR): from
# the build tree when run from there, from the prefix when installed.
# Needs no display: --help is answered before GTK starts.
set -eu
english='Watch gradients vanish, layer by layer, while a deep network trains'
expected=$(grep -A1 "^msgid \"$english\"" "$2" | sed -n 's/^msgstr "\(.*\)"$/\1/p')
[ -n "$expected" ] || { echo "help-language: no Vietnamese for the summary in $2" >&2; exit 1; }
out=$(LANGUAGE=vi LANG=C.UTF-8 LC_ALL= "$1" --help)
case $out in
  *"$expected"*) echo "help-language: ok ($1)" ;;
  *) echo "help-language: $1 --help is not in Vietnamese:" >&2; echo "$out" >&2; exit 1 ;;
esac
