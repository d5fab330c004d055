#!/bin/sh
# test-install.sh BUILD_DIR PREFIX RUN_XVFB [MESON]: installs the build into a
# temporary DESTDIR and checks what a distribution package would ship, then
# runs the installed programs from there: gradscope-cli, and gradscope under
# Xvfb on a private session bus (started, seen on the bus, told to quit).
set -eu

build=$1 prefix=$2 run_xvfb=$3 meson=${4:-meson}
app=io.github.gradscope.Gradscope
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
root=$tmp/root$prefix
fail() { echo "test-install: $*" >&2; exit 1; }

"$meson" install -C "$build" --no-rebuild --quiet --destdir "$tmp/root" >"$tmp/install.log" 2>&1 ||
  { cat "$tmp/install.log" >&2; fail "meson install failed"; }

for f in \
  bin/gradscope bin/gradscope-cli \
  share/applications/$app.desktop \
  share/metainfo/$app.metainfo.xml \
  share/glib-2.0/schemas/$app.gschema.xml \
  share/icons/hicolor/scalable/apps/$app.svg \
  share/icons/hicolor/symbolic/apps/$app-symbolic.svg \
  share/man/man1/gradscope.1 share/man/man1/gradscope-cli.1
do
  [ -s "$root/$f" ] || fail "not installed: $prefix/$f"
done
[ -x "$root/bin/gradscope" ] && [ -x "$root/bin/gradscope-cli" ] || fail "programs not executable"
# Translations, once po/ lists languages: one catalogue per language.
if [ -s "${GS_SOURCE_DIR:-.}/po/LINGUAS" ]; then
  for lang in $(grep -v '^#' "$GS_SOURCE_DIR/po/LINGUAS"); do
    [ -s "$root/share/locale/$lang/LC_MESSAGES/gradscope.mo" ] || fail "no $lang translation installed"
  done
fi

# The installed program finds them next to itself (here under DESTDIR).
if grep -q '^vi' "${GS_SOURCE_DIR:-.}/po/LINGUAS" 2>/dev/null; then
  sh "$(dirname "$0")/../app/help-language.sh" "$root/bin/gradscope" "$GS_SOURCE_DIR/po/vi.po" >/dev/null ||
    fail "the installed gradscope --help is not translated"
fi

desktop-file-validate "$root/share/applications/$app.desktop"
appstreamcli validate --no-net --explain "$root/share/metainfo/$app.metainfo.xml" >"$tmp/as.log" 2>&1 ||
  { cat "$tmp/as.log" >&2; fail "installed metainfo does not validate"; }
grep -q "^Icon=$app\$" "$root/share/applications/$app.desktop" || fail "desktop file names another icon"
grep -q "<launchable type=\"desktop-id\">$app.desktop</launchable>" "$root/share/metainfo/$app.metainfo.xml" ||
  fail "metainfo does not launch the installed desktop file"

# The installed CLI, on its own.
"$root/bin/gradscope-cli" presets >"$tmp/presets" || fail "installed gradscope-cli presets failed"
grep -q '^baseline ' "$tmp/presets" || fail "installed gradscope-cli presets lacks baseline"
"$root/bin/gradscope-cli" --version | grep -q '^gradscope-cli [0-9]' || fail "gradscope-cli --version"

# The installed app, with nothing from the build tree: its schema compiled
# where it was installed, its icons and data found through XDG_DATA_DIRS.
glib-compile-schemas --strict "$root/share/glib-2.0/schemas"
export GSETTINGS_SCHEMA_DIR="$root/share/glib-2.0/schemas"
export XDG_DATA_DIRS="$root/share:${XDG_DATA_DIRS:-/usr/local/share:/usr/share}"
export XDG_DATA_HOME="$tmp/data-home" XDG_CONFIG_HOME="$tmp/config-home"
cd "$tmp"
"$run_xvfb" dbus-run-session -- sh "$(dirname "$0")/start-and-quit.sh" "$root/bin/gradscope" ||
  fail "the installed gradscope did not start and quit cleanly"
echo "test-install: ok ($prefix)"
