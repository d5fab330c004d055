#!/bin/sh
# dbus-demo.sh GRADSCOPE: drives a running Gradscope from another process
# through the app. actions it exports on the session bus, as a scripted
# lesson would. Run it inside dbus-run-session (and an X server).
set -eu

app=$1
dest=io.github.gradscope.Gradscope
object=/io/github/gradscope/Gradscope

call () {
  name=$1
  shift
  gdbus call --session --dest $dest --object-path $object \
    --method org.gtk.Actions.Activate "$name" "$@" '{}' >/dev/null
}

"$app" &
pid=$!

i=0
until gdbus introspect --session --dest $dest --object-path $object >/dev/null 2>&1; do
  i=$((i + 1))
  [ $i -le 100 ] || { echo "dbus-demo: $dest did not appear on the bus" >&2; kill $pid; exit 1; }
  sleep 0.1
done

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
