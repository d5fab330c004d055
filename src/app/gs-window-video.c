/* gs-window-video.c: Export as a video or an animated GIF (issue 17): the
 * shown figure as training went, drawn and encoded on a worker thread
 * (gs-video.h) while a small window shows the progress and can cancel;
 * the main window stays responsive. The records are snapshots (immutable),
 * so the thread may read them while runs go on training. */
#define G_LOG_DOMAIN "gs-window-video"

#include "config.h"

#include <glib/gi18n.h>

#include "gs-video.h"
#include "gs-window-private.h"
#include "gs-worker.h"

typedef struct
{
  GsFigure      fig;
  GPtrArray    *records; /* GsRecord, a reference each */
  GsPlotStyle   style;
  GsVideoSpec   spec;
  char         *path;
  GCancellable *cancel;
  gint          done, total; /* frames, written by the worker */
} Job;

typedef struct
{
  GsWindow       *window;
  GtkWindow      *dialog; /* NULL once destroyed */
  GtkProgressBar *bar;
  guint           timer;
  Job            *job; /* the task's */
} Progress;

static void
job_free (Job *j)
{
  g_ptr_array_unref (j->records);
  g_object_unref (j->cancel);
  g_free (j->path);
  g_free (j);
}

static gboolean
on_frame (guint done, guint total, gpointer user_data)
{
  Job *j = user_data;

  g_atomic_int_set (&j->total, (gint) total);
  g_atomic_int_set (&j->done, (gint) done);
  return !g_cancellable_is_cancelled (j->cancel);
}

static void
export_thread (GTask *task, gpointer source_object, gpointer task_data, GCancellable *cancellable)
{
  Job    *j = task_data;
  GError *error = NULL;

  if (gs_video_export (j->fig, (GsRecord *const *) j->records->pdata, j->records->len, &j->style, &j->spec,
                       j->path, on_frame, j, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static gboolean
update_progress (gpointer user_data)
{
  Progress *p = user_data;
  int       done = g_atomic_int_get (&p->job->done), total = g_atomic_int_get (&p->job->total);

  if (p->dialog != NULL && total > 0)
    {
      /* Translators: progress of a video export */
      g_autofree char *text = g_strdup_printf (_ ("Frame %d of %d"), done, total);
      gtk_progress_bar_set_fraction (p->bar, (double) done / total);
      gtk_progress_bar_set_text (p->bar, text);
    }
  return G_SOURCE_CONTINUE;
}

static void
export_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Progress *p = user_data;
  g_autoptr (GError) error = NULL;

  g_source_remove (p->timer);
  if (p->dialog != NULL)
    gtk_window_destroy (p->dialog); /* clears p->dialog */
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (g_error_matches (error, GS_VIDEO_ERROR, GS_VIDEO_ERROR_CANCELLED))
        _gs_window_show_banner (p->window, _ ("Export cancelled; no file was written."));
      else
        _gs_window_show_banner (p->window, error->message);
    }
  g_free (p);
}

static void
on_dialog_destroy (GtkWidget *dialog, Progress *p)
{
  g_cancellable_cancel (p->job->cancel); /* closed, or its window went */
  p->dialog = NULL;
}

static GtkWindow *
progress_dialog (GsWindow *self, Progress *p, const char *path)
{
  GtkWidget       *dialog = gtk_window_new ();
  GtkWidget       *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  GtkWidget       *cancel = gtk_button_new_with_mnemonic (_ ("_Cancel"));
  g_autofree char *base = g_path_get_basename (path);
  /* Translators: %s is a file name */
  g_autofree char *title = g_strdup_printf (_ ("Exporting %s"), base);

  gtk_window_set_title (GTK_WINDOW (dialog), title);
  gtk_window_set_transient_for (GTK_WINDOW (dialog), GTK_WINDOW (self));
  gtk_window_set_destroy_with_parent (GTK_WINDOW (dialog), TRUE);
  gtk_window_set_default_size (GTK_WINDOW (dialog), 360, -1);
  gtk_widget_set_margin_start (box, 18);
  gtk_widget_set_margin_end (box, 18);
  gtk_widget_set_margin_top (box, 18);
  gtk_widget_set_margin_bottom (box, 18);
  p->bar = GTK_PROGRESS_BAR (gtk_progress_bar_new ());
  gtk_progress_bar_set_show_text (p->bar, TRUE);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (p->bar));
  gtk_widget_set_halign (cancel, GTK_ALIGN_END);
  gtk_box_append (GTK_BOX (box), cancel);
  gtk_window_set_child (GTK_WINDOW (dialog), box);
  g_signal_connect_swapped (cancel, "clicked", G_CALLBACK (gtk_window_destroy), dialog);
  g_signal_connect (dialog, "destroy", G_CALLBACK (on_dialog_destroy), p);
  return GTK_WINDOW (dialog);
}

/* Starts the export; its end, error or cancel shows in the banner. */
void
_gs_window_export_video (
    GsWindow *self, const char *path, const char *format, const char *size_id, gboolean dark, double seconds)
{
  GsWindowExport e;
  Job           *j = g_new0 (Job, 1);
  Progress      *p = g_new0 (Progress, 1);
  g_autoptr (GError) error = NULL;
  g_autoptr (GTask) task = NULL;

  _gs_window_export_setup (self, size_id, dark, &e);
  j->fig = e.fig;
  j->records = g_ptr_array_new_with_free_func ((GDestroyNotify) gs_record_unref);
  for (guint i = 0; i < e.records->len; i++)
    g_ptr_array_add (j->records, gs_record_ref (g_ptr_array_index (e.records, i)));
  g_ptr_array_unref (e.records);
  j->style = e.style;
  gs_video_format_from_name (format, &j->spec.format);
  j->spec.fps = j->spec.format == GS_VIDEO_GIF ? 10 : 30;
  j->spec.width = j->spec.format == GS_VIDEO_GIF ? e.width : e.width & ~1; /* 4:2:0 */
  j->spec.height = j->spec.format == GS_VIDEO_GIF ? e.height : e.height & ~1;
  j->spec.dpi = e.dpi;
  j->spec.n_frames = (guint) (seconds * j->spec.fps);
  j->path = g_strdup (path);
  j->cancel = g_cancellable_new ();
  if (!gs_video_spec_check (&j->spec, &error) || !gs_video_format_available (j->spec.format, &error))
    {
      _gs_window_show_banner (self, error->message);
      job_free (j);
      g_free (p);
      return;
    }
  p->window = self;
  p->job = j;
  p->dialog = progress_dialog (self, p, path);
  p->timer = g_timeout_add (100, update_progress, p);
  gtk_window_present (p->dialog);
  task = g_task_new (self, NULL, export_done, p);
  g_task_set_task_data (task, j, (GDestroyNotify) job_free);
  gs_worker_run (task, export_thread);
}
