#!/bin/sh
# run-xvfb.sh PROGRAM [ARGS...]: runs PROGRAM on its own headless X server.
# Each call starts a private Xvfb (the display number comes back on fd 3),
# so tests can run in parallel; the server is killed when PROGRAM ends.
# GS_XVFB_SCREEN overrides the screen (default 1280x800x24).
set -u

tmp=$(mktemp -d) || exit 1
Xvfb -displayfd 3 -screen 0 "${GS_XVFB_SCREEN:-1280x800x24}" -nolisten tcp 3>"$tmp/display" 2>"$tmp/xvfb.log" &
xvfb_pid=$!

i=0
while [ ! -s "$tmp/display" ]; do
  i=$((i + 1))
  if [ $i -gt 200 ] || ! kill -0 $xvfb_pid 2>/dev/null; then
    echo "run-xvfb.sh: Xvfb did not start:" >&2
    cat "$tmp/xvfb.log" >&2
    kill $xvfb_pid 2>/dev/null
    rm -rf "$tmp"
    exit 1
  fi
  sleep 0.05
done

DISPLAY=":$(cat "$tmp/display")"
export DISPLAY
export GDK_BACKEND=x11 GSK_RENDERER=cairo GTK_A11Y=none NO_AT_BRIDGE=1
export GSETTINGS_BACKEND=memory
export GDK_DEBUG=gl-disable

"$@"
status=$?

kill $xvfb_pid 2>/dev/null
wait $xvfb_pid 2>/dev/null
rm -rf "$tmp"
exit $status
