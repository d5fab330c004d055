#!/bin/sh
# dbus-demo.sh GRADSCOPE: drives a running Gradscope from another process
# through the app. actions it exports on the session bus, as a scripted
# lesson would. Run it inside dbus-run-session (and an X server).
set -eu

. "$(dirname "$0")/bus-lib.sh"
start_app "$1"

actions=$(gdbus call --session --dest $dest --object-path $object --method org.gtk.Actions.List)
for a in load-preset set-option set-data start pause resume stop show-figure open-run lesson replay quit; do
  case "$actions" in
    *"'$a'"*) ;;
    *) echo "dbus-demo: app.$a is not exported: $actions" >&2; kill $pid; exit 1 ;;
  esac
done

call load-preset "[<'relu'>]"
call set-option "[<('epochs', '1')>]"
call set-option "[<('limit-train', '5000')>]"
call start '[]'
sleep 1
call pause '[]'
call resume '[]'
call show-figure "[<'dashboard'>]"
call stop '[]'
# A lesson in class: step 2, a replay, the end of the lesson.
call lesson "[<2>]"
call replay "[<uint32 2000>]"
call lesson "[<0>]"
call quit '[]'
wait $pid
echo "dbus-demo: ok"
