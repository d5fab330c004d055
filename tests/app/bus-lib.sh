# bus-lib.sh: sourced by the scripts that drive Gradscope over the session
# bus. start_app GRADSCOPE starts it in the background ($pid) and waits for
# its name; call ACTION [PARAM] activates one of its app. actions.
dest=io.github.gradscope.Gradscope
object=/io/github/gradscope/Gradscope

call () {
  name=$1
  shift
  gdbus call --session --dest $dest --object-path $object \
    --method org.gtk.Actions.Activate "$name" "$@" '{}' >/dev/null
}

start_app () {
  "$1" &
  pid=$!
  i=0
  until gdbus introspect --session --dest $dest --object-path $object >/dev/null 2>&1; do
    i=$((i + 1))
    [ $i -le 100 ] || { echo "$0: $dest did not appear on the bus" >&2; kill $pid; exit 1; }
    sleep 0.1
  done
}
