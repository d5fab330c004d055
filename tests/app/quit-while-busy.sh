#!/bin/sh
# quit-while-busy.sh GRADSCOPE [N]: N times, starts Gradscope, changes the
# network (the window recomputes the signal at init in a worker thread) and
# quits at once. The closing window cancels the worker, the app waits for
# it, and exits with 0. Exiting under a running GEMM crashed in OpenBLAS's
# exit handler: 6 of 10 starts, before either was there. With the
# cancellation alone, the window for that crash is down to one layer's
# GEMM, too short for this test; test-window's /app/signal-init checks the
# wait. Run it inside dbus-run-session (and an X server).
set -eu

. "$(dirname "$0")/bus-lib.sh"

for k in $(seq "${2:-4}"); do
  start_app "$1"
  sleep 2  # the data set loads: no signal at init before it is there
  call load-preset "[<'he-relu-deep'>]"
  call set-option "[<('width', '1024')>]"
  call quit '[]'
  status=0
  wait $pid || status=$?
  if [ $status -ne 0 ]; then
    echo "quit-while-busy: start $k: exit status $status" >&2
    exit 1
  fi
done
echo "quit-while-busy: ok, ${2:-4} starts"
