/* gs-runtime.h: process set-up that must happen before libgomp starts. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* libgomp reads OMP_WAIT_POLICY once, when it starts, and by default
 * spin-waits. On two shared cores that is ruinous: with another busy process
 * a batch-10 run measured 158 samples/s spinning against 9 949 passive.
 * Unless the user chose a policy, set "passive" and re-execute the program
 * (argv as main got it); if the re-exec fails, carry on as we are. Call it
 * first thing in main. */
void gs_runtime_prefer_passive_omp (char **argv);

G_END_DECLS
