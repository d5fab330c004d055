/* gs-run-library.h: the folder where every finished, stopped or diverged
 * run is saved automatically ($XDG_DATA_HOME/gradscope/runs), read back at
 * the next start. */
#pragma once

#include <gio/gio.h>
#include "gs-record.h"

G_BEGIN_DECLS

typedef struct
{
  char     *path;
  GsRecord *record; /* NULL when the file could not be read */
  char     *error;  /* why, naming the file; NULL when record is set */
} GsRunLibraryEntry;

void gs_run_library_entry_free (GsRunLibraryEntry *entry);

#define GS_TYPE_RUN_LIBRARY (gs_run_library_get_type ())
G_DECLARE_FINAL_TYPE (GsRunLibrary, gs_run_library, GS, RUN_LIBRARY, GObject)

GsRunLibrary *gs_run_library_new (const char *dir);
const char   *gs_run_library_get_dir (GsRunLibrary *self);
gboolean      gs_run_library_contains (GsRunLibrary *self, const char *path);
GPtrArray    *gs_run_library_scan (GsRunLibrary *self);
void          gs_run_library_scan_async (GsRunLibrary       *self,
                                         GCancellable       *cancellable,
                                         GAsyncReadyCallback callback,
                                         gpointer            user_data);
GPtrArray    *gs_run_library_scan_finish (GsRunLibrary *self, GAsyncResult *result, GError **error);
void          gs_run_library_save_async (GsRunLibrary       *self,
                                         GsRecord           *record,
                                         const char         *stem,
                                         GCancellable       *cancellable,
                                         GAsyncReadyCallback callback,
                                         gpointer            user_data);
char         *gs_run_library_save_finish (GsRunLibrary *self, GAsyncResult *result, GError **error);
gboolean      gs_run_library_delete (GsRunLibrary *self, const char *path, GError **error);

G_END_DECLS
