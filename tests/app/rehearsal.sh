#!/bin/sh
# rehearsal.sh GRADSCOPE: a class, rehearsed with the keyboard alone.
#
# Run inside dbus-run-session and run-xvfb.sh (GS_XVFB_SCREEN sets the
# projector's size). A window manager (openbox) makes full screen real.
# Every action is a real key event (xdotool) sent to the real window, but
# one pointer click into a sidebar field, as a teacher does between steps;
# the script only reads the application's state (org.gtk.Actions.Describe)
# and saves a screenshot of each step ($GS_SCREENSHOT_DIR, rehearsal-*.png).
#
# Prepare the lesson (Ctrl+F1, Alt+P), click into a sidebar field, then
# Page Down through every step and back to the first (each step must show
# its own experiment's run, beside the one its text compares with), F5
# (full screen: the header bar comes back at the top edge), Alt+N, Ctrl+Page
# Down, Escape; then every step again in presentation style, full screen.
# At each step the window checks the figure on screen at its real size
# (app.check-layout: every panel, tick and label whole, no text cut or
# overlapping) and the script fails on any problem.
set -eu

. "$(dirname "$0")/bus-lib.sh"
size=${GS_XVFB_SCREEN%x*}
shots=${GS_SCREENSHOT_DIR:-.}
tag=rehearsal-$size
fail () { echo "rehearsal: $*" >&2; exit 1; }

export XDG_DATA_HOME="$(mktemp -d)"
trap 'kill $wm_pid 2>/dev/null; rm -rf "$XDG_DATA_HOME"' EXIT
openbox --config-file /dev/null >/dev/null 2>&1 &
wm_pid=$!

start_app "$1"
# The class runs on the real Fashion-MNIST (Debian's dataset-fashion-mnist,
# which .ci/run installs); only a machine without it uses the built-in set,
# and says so.
if [ ! -e /usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz ]; then
  echo "rehearsal: Debian's dataset-fashion-mnist is not installed: the built-in data set" >&2
  call set-data "[<'builtin'>]"
fi
win=$(xdotool search --sync --onlyvisible --class gradscope | head -1)
xdotool windowactivate --sync "$win"
xdotool windowsize --sync "$win" 100% 100% # the projector's whole screen, as a teacher sets it

describe () { # ACTION -> its state, as gdbus prints it
  gdbus call --session --dest $dest --object-path $object --method org.gtk.Actions.Describe "$1" |
    sed -n 's/.*\[<\(.*\)>\].*/\1/p'
}
key () { xdotool key --clearmodifiers "$@"; sleep 0.3; }
wait_for () { # SECONDS CONDITION...: polls the shell condition
  _secs=$1; shift
  settle "$_secs" "$@" || fail "timed out waiting for: $*"
}
shot () { import -window root "$shots/$tag-$1.png"; }
settle () { # SECONDS CONDITION: like wait_for, but returns 1 instead of failing
  _limit=$(($1 * 10)); shift
  _n=0
  until eval "$@"; do
    _n=$((_n + 1))
    [ $_n -le $_limit ] || return 1
    sleep 0.1
  done
}

# The lesson's steps: preset, figure, what it is shown beside (- none, at
# init: no run). Written from docs/lessons.md, not read from the code.
steps="baseline:heatmap:-
baseline:norms:-
baseline:shrink:-
init-std1:norms:baseline
init-std10:activations:baseline
relu:norms:baseline
adam:curves:baseline
batchnorm:activations:baseline
customnorm:heatmap:baseline
skip:norms:baseline
layerwise:heatmap:baseline
gradnorm:heatmap:baseline
gradnorm-switch:heatmap:-
glorot-tanh-standard:at-init:init
glorot-tanh-normalized:at-init:init
he-relu-deep:at-init:init
he-relu-deep-he:at-init:init
glorot-sigmoid:percentiles:-
ioffe-bn-off:percentiles:-
ioffe-bn:percentiles:ioffe-bn-off"
n_steps=$(echo "$steps" | wc -l)

# Prepare: the lesson panel's button by its mnemonic.
key ctrl+F1
settle 10 '[ "$(describe lesson)" = 1 ]' || fail "Ctrl+F1 did not open the lesson: $(describe lesson)"
enabled () { gdbus call --session --dest $dest --object-path $object --method org.gtk.Actions.Describe "$1" |
  grep -q '^((true'; }
wait_for 30 'enabled prepare-lesson' # the data set is loaded
key alt+p
wait_for 5 '! enabled prepare-lesson'
wait_for 240 'enabled prepare-lesson'
n=$(ls "$XDG_DATA_HOME"/gradscope/runs/lesson-*.gsrun 2>/dev/null | wc -l)
[ "$n" -eq 14 ] || fail "Prepare Lesson saved $n runs, want 14"
wait_for 20 'describe showing | grep -q baseline'
shot prepared

# A teacher clicks into the sidebar (the Hidden layers field), then uses
# the clicker: the field must not keep the keys.
eval "$(xdotool getwindowgeometry --shell "$win")"
xdotool mousemove --window "$win" 230 357 click 1 # the Hidden layers field
sleep 0.3
key Tab

check_step () { # N (1-based)
  line=$(echo "$steps" | sed -n "$1p")
  preset=${line%%:*}
  rest=${line#*:}
  figure=${rest%%:*}
  beside=${rest#*:}
  case $beside in
    init) want= ;; # At Init: the figure probes the sidebar's network
    -) want="['$preset']" ;;
    *) want="['$beside', '$preset']" ;;
  esac
  # a slow build (ASan) may take a moment to handle the key: wait for it
  step=$1
  settle 10 '[ "$(describe lesson)" = "$step" ] && [ "$(describe show-figure)" = "'"'"'$figure'"'"'" ] &&
             { [ -z "$want" ] || [ "$(describe showing)" = "$want" ]; }' ||
    fail "step $1 ($preset): lesson $(describe lesson), figure $(describe show-figure), shows $(describe showing); want $figure showing ${want:-anything}"
  check_layout "$(printf %02d "$1")-$preset"
}
check_layout () { # NAME: the figure on screen is whole; saves a screenshot
  sleep 0.3 # the figure drawn at its new size
  call check-layout '[]'
  problem=$(describe check-layout)
  shot "$1"
  [ "$problem" = "''" ] || fail "layout of $1 on screen: $problem"
}

check_step 1
i=1
while [ $i -lt "$n_steps" ]; do
  key Next # Page Down, as a presentation clicker sends it
  i=$((i + 1))
  check_step $i
done
key Next # past the last step: nothing moves, nothing scrolls
[ "$(describe lesson)" = "$n_steps" ] || fail "Page Down past the end moved the lesson to $(describe lesson)"
while [ $i -gt 1 ]; do
  key Prior
  i=$((i - 1))
  settle 10 '[ "$(describe lesson)" = "$i" ]' || fail "Page Up: at $(describe lesson), want $i"
done

# Presentation mode, full screen: keys still switch figures, and the
# header bar comes back at the top edge.
fullscreen () { xprop -id "$win" _NET_WM_STATE | grep -q FULLSCREEN; }
key F5
wait_for 10 fullscreen
sleep 2.5 # the header shows for a moment on entering full screen
xdotool mousemove 200 300
sleep 1.2
shot presentation-header-hidden
xdotool mousemove 200 0
sleep 0.8
shot presentation-header-shown
hidden=$(convert "$shots/$tag-presentation-header-hidden.png" -crop "${size}x40+0+0" -format '%#' info:)
shown=$(convert "$shots/$tag-presentation-header-shown.png" -crop "${size}x40+0+0" -format '%#' info:)
[ "$hidden" != "$shown" ] || fail "the pointer at the top edge did not bring the header bar back"
key alt+4
settle 10 '[ "$(describe show-figure)" = "'"'"'activations'"'"'" ]' || fail "Alt+4 in full screen: $(describe show-figure)"
key ctrl+Next
settle 10 '[ "$(describe show-figure)" = "'"'"'histograms'"'"'" ]' || fail "Ctrl+Page Down: $(describe show-figure)"
shot presentation-histograms
key Escape
wait_for 10 '! fullscreen'
shot after-escape

# The class again, in presentation style and full screen: F5 from the
# first step, Page Down through every step, each figure whole on screen.
call lesson '[<1>]'
wait_for 10 '[ "$(describe lesson)" = 1 ]'
key F5
wait_for 10 fullscreen
xdotool mousemove 200 300 # away from the top edge: the header hides
i=1
while :; do
  settle 10 '[ "$(describe lesson)" = "$i" ]' || fail "presentation: at step $(describe lesson), want $i"
  check_layout "presentation-$(printf %02d $i)"
  [ $i -lt "$n_steps" ] || break
  key Next
  i=$((i + 1))
done
key alt+9 # the dashboard: six figures in the space of one
settle 10 '[ "$(describe show-figure)" = "'"'"'dashboard'"'"'" ]' || fail "Alt+9: $(describe show-figure)"
check_layout presentation-dashboard
key Escape
wait_for 10 '! fullscreen'

call quit '[]'
wait $pid
echo "rehearsal ($size): ok, $n_steps steps"
