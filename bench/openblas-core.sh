# Sourced by bench/run.sh and bench/gemm/run.sh (bash).
# OpenBLAS 0.3.21 runs its generic Prescott kernels on CPUs newer than it
# (4.6x slower SGEMM on a Xeon of family 6 model 207), and PyTorch's
# Linear layers call it: both sides get the core the CPU can run, as
# gradscope-cli and the window set it for themselves (gs-runtime.h).
if [ -z "${OPENBLAS_CORETYPE:-}" ]; then
  core=$(python3 -c 'import ctypes; l = ctypes.CDLL("libopenblas.so.0")
l.openblas_get_corename.restype = ctypes.c_char_p; print(l.openblas_get_corename().decode())')
  flags=$(grep -m1 '^flags' /proc/cpuinfo)
  case "$core" in Prescott|Core2|Penryn|Dunnington|Nehalem|Atom|Sandybridge)
    if [[ $flags == *" avx2 "* && $flags == *" fma "* ]]; then
      OPENBLAS_CORETYPE=Haswell
      [[ $flags == *" avx512bw "* && $flags == *" avx512vl "* && $flags == *" avx512dq "* ]] && OPENBLAS_CORETYPE=SkylakeX
      export OPENBLAS_CORETYPE
      echo "bench: OpenBLAS chose $core on this CPU; OPENBLAS_CORETYPE=$OPENBLAS_CORETYPE" >&2
    fi
  esac
fi
