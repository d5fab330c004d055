#!/usr/bin/env bash
# Builds and runs one libFuzzer target of tests/fuzz with clang (the main
# build uses gcc; this one stands alone, no meson).
#
# Usage: bench/fuzz.sh TARGET SECONDS [LIBFUZZER_OPTION ...]
#        bench/fuzz.sh --build-only
#   TARGET: idx, dataset, runfile or config. New inputs that widen coverage go to
#   _build/fuzz/corpus-TARGET (the seed corpus tests/fuzz/corpus-TARGET is
#   read, never written); a crash is written to _build/fuzz/crash-TARGET-*
#   and the script exits non-zero. Copy a crash into
#   tests/fuzz/crashes-TARGET/ so meson test replays it from then on.
set -euo pipefail
cd "$(dirname "$0")/.."
out=_build/fuzz
targets=(idx dataset runfile config)
# the whole engine: the loaders reach gs-gzip, gs-file and (for the memory
# this process may have) gs-trainer, which needs the rest
engine=($(cd src/engine && ls *.c))

build() {
  mkdir -p "$out"
  # The engine's config.h, as far as these sources need it.
  cat >"$out/config.h" <<'H'
#define PACKAGE_VERSION "fuzz"
#define GETTEXT_PACKAGE "gradscope"
#define GS_HAVE_OPENMP 1
H
  local flags=(-g -O1 -fsanitize=fuzzer,address,undefined
    -fno-sanitize-recover=undefined -fno-omit-frame-pointer
    -DGLIB_VERSION_MIN_REQUIRED=GLIB_VERSION_2_74
    -DGLIB_VERSION_MAX_ALLOWED=GLIB_VERSION_2_74
    -I"$out" -Isrc/engine -Itests/fuzz
    -fopenmp $(pkg-config --cflags glib-2.0 gio-2.0 json-glib-1.0 zlib openblas))
  local libs=($(pkg-config --libs glib-2.0 gio-2.0 json-glib-1.0 zlib openblas) -lm)
  local srcs=("${engine[@]/#/src/engine/}" tests/fuzz/fuzz-common.c)
  for t in "${targets[@]}"; do
    if [ "$out/fuzz-$t" -nt "tests/fuzz/fuzz-$t.c" ] &&
       [ -z "$(find src/engine tests/fuzz -name '*.[ch]' -newer "$out/fuzz-$t")" ]; then
      continue
    fi
    clang "${flags[@]}" -o "$out/fuzz-$t" tests/fuzz/fuzz-$t.c "${srcs[@]}" "${libs[@]}"
  done
}

if [ "${1:-}" = "--build-only" ]; then
  build
  exit 0
fi
if [ $# -lt 2 ] || [[ ! " ${targets[*]} " =~ " $1 " ]]; then
  echo "usage: bench/fuzz.sh idx|dataset|runfile|config SECONDS [LIBFUZZER_OPTION ...]" >&2
  exit 2
fi
target=$1 seconds=$2
shift 2
build
mkdir -p "$out/corpus-$target"
seeds=(tests/fuzz/corpus-"$target")
[ -d "tests/fuzz/crashes-$target" ] && seeds+=("tests/fuzz/crashes-$target")
# Any single allocation over 600 MB is a finding: every loader must refuse a
# huge claim before allocating (run files may unpack to 512 MB).
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
exec "$out/fuzz-$target" -max_total_time="$seconds" -malloc_limit_mb=600 \
  -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 \
  -artifact_prefix="$out/crash-$target-" "$@" \
  "$out/corpus-$target" "${seeds[@]}"
