#!/bin/sh
# start-and-quit.sh GRADSCOPE: starts the app, waits until it is on the
# session bus, checks it is still running after its first seconds, then quits
# it through app.quit and expects exit status 0.
set -eu
dest=io.github.gradscope.Gradscope
object=/io/github/gradscope/Gradscope

"$1" &
pid=$!
i=0
until gdbus introspect --session --dest $dest --object-path $object >/dev/null 2>&1; do
  i=$((i + 1))
  kill -0 $pid 2>/dev/null || { echo "start-and-quit: gradscope exited at start" >&2; exit 1; }
  [ $i -le 300 ] || { echo "start-and-quit: $dest did not appear on the bus" >&2; kill $pid; exit 1; }
  sleep 0.1
done
sleep 2
kill -0 $pid 2>/dev/null || { echo "start-and-quit: gradscope died after starting" >&2; exit 1; }
gdbus call --session --dest $dest --object-path $object \
  --method org.gtk.Actions.Activate quit '[]' '{}' >/dev/null
wait $pid
echo "start-and-quit: ok"
