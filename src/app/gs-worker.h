/* gs-worker.h: the app's background threads (data loading, run files, the
 * signal at init). They all start through gs_worker_run(), and the
 * application waits for them with gs_worker_wait_all() before it exits:
 * OpenBLAS frees its buffers in an exit handler, under any GEMM still
 * running, and a save cut short would lose a finished run. Main thread
 * only. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* g_task_run_in_thread(), counted until func has returned. */
void  gs_worker_run (GTask *task, GTaskThreadFunc func);
guint gs_worker_n_running (void);
/* Runs the default main context until no worker is left. */
void gs_worker_wait_all (void);

G_END_DECLS
