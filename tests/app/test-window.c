/* test-window.c: drives the real Gradscope application under Xvfb.
 *
 * Everything goes through the application's app. actions, as a script on
 * the session bus would; the test only reads state back from the window.
 * Screenshots are written to $GS_SCREENSHOT_DIR (the build dir) for a
 * person to look at.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <gtk/gtk.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gs-application.h"
#include "gs-lesson.h"
#include "gs-plot.h"
#include "gs-runfile.h"
#include "gs-trainer.h"
#include "gs-video.h"
#include "gs-window-private.h"
#include "gs-worker.h"

/* One epoch of relu on Fashion-MNIST takes about 1.5 s and ends well
 * above chance (about 16 %). The built-in synthetic set, used when
 * Fashion-MNIST is not installed, is not learnt in so few steps. */
static int         relu_epochs = 1;
static const char *limit_train = "0";
static gboolean    builtin_data;

static GsApplication *app;
static char          *data_home; /* a private $XDG_DATA_HOME: autosaves land here */

static GsWindow *
window (void)
{
  GtkWindow *w = gtk_application_get_active_window (GTK_APPLICATION (app));

  g_assert_nonnull (w);
  return GS_WINDOW (w);
}

static void
action (const char *name, GVariant *param)
{
  g_action_group_activate_action (G_ACTION_GROUP (app), name, param);
}

static void
set_option (const char *name, const char *value)
{
  action ("set-option", g_variant_new ("(ss)", name, value));
}

static gboolean
wake_up (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

/* Iterates the main context until cond() or the timeout; FALSE on timeout. */
static gboolean
wait_for (gboolean (*cond) (gpointer), gpointer data, double timeout_s)
{
  gint64   end = g_get_monotonic_time () + (gint64) (timeout_s * G_USEC_PER_SEC);
  guint    tick = g_timeout_add (5, wake_up, NULL);
  gboolean ok;

  while (!(ok = cond (data)) && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (tick);
  return ok;
}

static gboolean
always_false (gpointer data)
{
  return FALSE;
}

static void
spin (double seconds)
{
  wait_for (always_false, NULL, seconds);
}

static gboolean
data_ready (gpointer data)
{
  return gs_window_get_data_ready (window ());
}

static gboolean
no_active_run (gpointer data)
{
  return gs_window_get_current_run (window ()) == NULL;
}

static gboolean
run_has_steps (gpointer data)
{
  GsRun *run = gs_window_get_current_run (window ());

  return run != NULL && gs_run_get_progress (run)->step >= GPOINTER_TO_UINT (data);
}

static gboolean
painted (gpointer data)
{
  return *(gboolean *) data;
}

static void
on_after_paint (GdkFrameClock *clock, gboolean *flag)
{
  *flag = TRUE;
}

/* Waits for a frame, then renders the window offscreen into a PNG. */
static void
save_screenshot_of (GsWindow *w, const char *name)
{
  GtkWidget     *widget = GTK_WIDGET (w);
  GdkFrameClock *clock = gtk_widget_get_frame_clock (widget);
  gboolean       flag = FALSE;
  gulong         id = g_signal_connect (clock, "after-paint", G_CALLBACK (on_after_paint), &flag);
  g_autoptr (GdkPaintable) paintable = NULL;
  g_autoptr (GskRenderNode) node = NULL;
  g_autoptr (GdkTexture) texture = NULL;
  g_autofree char *path = NULL;
  g_autofree char *file = NULL;
  const char      *dir = g_getenv ("GS_SCREENSHOT_DIR");
  GtkSnapshot     *snapshot;
  int              width, height;

  gtk_widget_queue_draw (widget);
  g_assert_true (wait_for (painted, &flag, 10));
  g_signal_handler_disconnect (clock, id);

  width = gtk_widget_get_width (widget);
  height = gtk_widget_get_height (widget);
  paintable = gtk_widget_paintable_new (widget);
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (snapshot);
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (widget)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  file = g_strdup_printf ("%s%s-%dx%d.png", name,
                          g_getenv ("GS_TEST_TAG") != NULL ? g_getenv ("GS_TEST_TAG") : "", width, height);
  path = g_build_filename (dir != NULL ? dir : ".", file, NULL);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("screenshot: %s (%d x %d)", path, width, height);
}

static void
save_screenshot (const char *name)
{
  save_screenshot_of (window (), name);
}

/* Loads a preset and trains one short epoch on the built-in set. */
static GsRun *
train (const char *preset, int epochs)
{
  guint            before = gs_window_get_n_runs (window ());
  g_autofree char *epochs_str = g_strdup_printf ("%d", epochs);
  GsRun           *run;

  action ("load-preset", g_variant_new_string (preset));
  set_option ("epochs", epochs_str);
  set_option ("limit-train", limit_train);
  action ("start", NULL);
  run = gs_window_get_current_run (window ());
  g_assert_nonnull (run);
  g_assert_cmpuint (gs_window_get_n_runs (window ()), ==, before + 1);
  g_assert_true (wait_for (no_active_run, NULL, 600));
  return run;
}

static void
test_train_relu (void)
{
  GsRun *run;
  double acc;
  gint64 start = g_get_monotonic_time ();

  run = train (g_getenv ("GS_TEST_PRESET") ? g_getenv ("GS_TEST_PRESET") : "relu", relu_epochs);
  g_test_message ("relu, %d epochs: %.1f s", relu_epochs, (g_get_monotonic_time () - start) / 1e6);
  g_assert_cmpint (gs_run_get_state (run), ==, GS_RUN_FINISHED);
  acc = gs_run_get_accuracy (run);
  g_test_message ("relu accuracy: %.3f", acc);
  g_assert_true (isfinite (acc));
  if (builtin_data)
    g_test_message ("built-in data set: accuracy not checked against chance");
  else
    g_assert_cmpfloat (acc, >, 0.1);
  g_assert_true (gs_window_get_run (window (), 1) == run);

  action ("show-figure", g_variant_new_string ("heatmap"));
  save_screenshot ("gradscope-relu-heatmap");
  action ("show-figure", g_variant_new_string ("dashboard"));
  save_screenshot ("gradscope-relu-dashboard");
}

static void
test_compare (void)
{
  GsRun *runs[2];

  runs[0] = gs_window_get_run (window (), 1);
  g_assert_nonnull (runs[0]);
  runs[1] = train ("baseline", 1);
  g_assert_cmpint (gs_run_get_state (runs[1]), ==, GS_RUN_FINISHED);

  action ("show-figure", g_variant_new_string ("heatmap"));
  gs_window_select_runs (window (), runs, 2);
  save_screenshot ("gradscope-compare-heatmap");
  action ("show-figure", g_variant_new_string ("curves"));
  save_screenshot ("gradscope-compare-curves");
  action ("show-figure", g_variant_new_string ("histograms"));
  save_screenshot ("gradscope-compare-histograms");
  action ("show-figure", g_variant_new_string ("dashboard"));
  save_screenshot ("gradscope-compare-dashboard");

  /* What a teacher projects: F9 hides the sidebar, F5 enlarges the text. */
  action ("show-figure", g_variant_new_string ("gradnorm"));
  gtk_widget_activate_action (GTK_WIDGET (window ()), "win.sidebar", NULL);
  gtk_widget_activate_action (GTK_WIDGET (window ()), "win.presentation", NULL);
  save_screenshot ("gradscope-presentation-gradnorm");
  gtk_widget_activate_action (GTK_WIDGET (window ()), "win.sidebar", NULL);
  gtk_widget_activate_action (GTK_WIDGET (window ()), "win.presentation", NULL);
}

static void
test_pause_resume_stop (void)
{
  GsRun *run;
  guint  step_paused, step_later;
  gint64 t0;
  double stop_ms;

  action ("load-preset", g_variant_new_string ("relu"));
  set_option ("epochs", "5");
  action ("start", NULL);
  run = gs_window_get_current_run (window ());
  g_assert_nonnull (run);
  g_object_ref (run);
  g_assert_true (wait_for (run_has_steps, GUINT_TO_POINTER (10), 60));

  action ("pause", NULL);
  g_assert_cmpint (gs_run_get_state (run), ==, GS_RUN_PAUSED);
  spin (0.15); /* the step in flight may still land */
  step_paused = gs_run_get_progress (run)->step;
  spin (0.4);
  step_later = gs_run_get_progress (run)->step;
  g_assert_cmpuint (step_paused, ==, step_later);
  g_assert_cmpuint (step_paused, <, gs_run_get_progress (run)->n_steps);
  action ("show-figure", g_variant_new_string ("gradnorm"));
  save_screenshot ("gradscope-paused-gradnorm");

  action ("resume", NULL);
  g_assert_cmpint (gs_run_get_state (run), ==, GS_RUN_RUNNING);
  g_assert_true (wait_for (run_has_steps, GUINT_TO_POINTER (step_paused + 5), 60));

  t0 = g_get_monotonic_time ();
  action ("stop", NULL);
  g_assert_true (gs_run_is_stopping (run));
  g_assert_true (wait_for (no_active_run, NULL, 10));
  stop_ms = (g_get_monotonic_time () - t0) / 1e3;
  /* Includes the trainer's test-set evaluation after a stop. */
  g_test_message ("stop: trainer thread done in %.1f ms", stop_ms);
  g_assert_cmpfloat (stop_ms, <, 500);
  g_assert_cmpint (gs_run_get_state (run), ==, GS_RUN_STOPPED);
  g_object_unref (run);
}

static gboolean
run_started (gpointer data)
{
  GsRun *run = gs_window_get_current_run (window ());

  return run != NULL && gs_run_get_progress (run)->step >= 1;
}

/* Resident memory in kB, from /proc/self/status (0 if unknown). */
static long
rss_kb (void)
{
  g_autofree char *status = NULL;
  const char      *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return 0;
  line = strstr (status, "VmRSS:");
  return line != NULL ? atol (line + strlen ("VmRSS:")) : 0;
}

static gboolean library_idle (gpointer data);

/* A run stopped before its first step leaves the list and is not saved;
 * one stopped later is kept. */
static void
test_start_stop_cycles (void)
{
  guint before = gs_window_get_n_runs (window ());
  long  rss_before = rss_kb (), rss_after;
  guint n_kept = 0, n_dropped = 0, freed = 0;
  g_autoptr (GPtrArray) kept = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GPtrArray) dropped = g_ptr_array_new_with_free_func (g_object_unref);

  set_option ("epochs", "2");
  for (int i = 0; i < 50; i++)
    {
      GsRun    *run;
      GsRecord *record;

      action ("start", NULL);
      run = gs_window_get_current_run (window ());
      g_assert_nonnull (run);
      g_object_ref (run);
      /* Half the cycles stop at once, half after the first step. */
      if (i % 2 == 1)
        wait_for (run_started, NULL, 10);
      action ("stop", NULL);
      g_assert_true (wait_for (no_active_run, NULL, 10));
      record = gs_run_get_record (run);
      if (record != NULL && gs_record_n_steps (record) > 0)
        {
          n_kept++;
          g_assert_true (gs_window_get_run (window (), gs_run_get_number (run)) == run);
          g_ptr_array_add (kept, g_object_ref (run));
        }
      else
        {
          n_dropped++;
          g_assert_false (gs_window_get_run (window (), gs_run_get_number (run)) == run);
          g_ptr_array_add (dropped, g_object_ref (run));
        }
      /* a dropped run's number goes to the next one */
      if (freed != 0)
        g_assert_cmpuint (gs_run_get_number (run), ==, freed);
      freed = record != NULL && gs_record_n_steps (record) > 0 ? 0 : gs_run_get_number (run);
      g_object_unref (run);
    }
  g_test_message ("50 start/stop cycles: %u kept, %u stopped before their first step", n_kept, n_dropped);
  g_assert_cmpuint (n_kept, >=, 25);
  g_assert_cmpuint (n_dropped, >=, 1);
  g_assert_cmpuint (gs_window_get_n_runs (window ()), ==, before + n_kept);
  rss_after = rss_kb ();
  g_test_message ("resident memory %ld -> %ld MB", rss_before / 1024, rss_after / 1024);
  /* Each stopped run stays in the list with its record (a few hundred kB). */
  g_assert_cmpint (rss_after - rss_before, <, 200 * 1024);
  g_assert_true (wait_for (library_idle, NULL, 30));
  for (guint i = 0; i < kept->len; i++)
    {
      GsRunState state = gs_run_get_state (g_ptr_array_index (kept, i));
      g_assert_true (state == GS_RUN_STOPPED || state == GS_RUN_FINISHED);
      g_assert_nonnull (gs_run_get_file (g_ptr_array_index (kept, i)));
    }
  for (guint i = 0; i < dropped->len; i++)
    g_assert_null (gs_run_get_file (g_ptr_array_index (dropped, i)));
}

static gint64
file_size (const char *path)
{
  GStatBuf st;

  return g_stat (path, &st) == 0 ? (gint64) st.st_size : -1;
}


static gboolean
library_idle (gpointer data)
{
  return gs_window_get_library_idle (data != NULL ? data : window ());
}

static void
write_file (const char *dir, const char *name, const char *contents, gssize len)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);

  g_assert_true (g_file_set_contents (path, contents, len, NULL));
}

static GsRun *
find_run_with_file (GsWindow *w, const char *suffix)
{
  for (guint n = 1; n <= 1000; n++)
    {
      GsRun *run = gs_window_get_run (w, n);
      if (run != NULL && gs_run_get_file (run) != NULL && g_str_has_suffix (gs_run_get_file (run), suffix))
        return run;
    }
  return NULL;
}

/* Finished runs are saved on their own; at the next start the run list
 * shows them again, and the bad files among them with their errors. */
static void
test_library (void)
{
  GsRun      *run = gs_window_get_run (window (), 1);
  const char *dir = gs_window_get_library_dir (window ());
  g_autoptr (GsRecord) loaded = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *good = NULL;
  gsize            good_len;
  GsWindow        *next;
  guint            n_saved = 0, n_bad = 0;
  const char      *bad_names[] = { "garbage.json.gz", "truncated.json.gz", "newer.json", "empty.json" };

  g_assert_true (g_str_has_prefix (dir, data_home));
  g_assert_true (wait_for (library_idle, NULL, 30));
  g_assert_nonnull (run);
  g_assert_nonnull (gs_run_get_file (run));
  g_test_message ("run 1 saved as %s", gs_run_get_file (run));
  g_assert_true (g_str_has_suffix (gs_run_get_file (run), "-relu-1" GS_RUNFILE_SUFFIX));
  loaded = gs_runfile_load (gs_run_get_file (run), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (gs_record_n_steps (loaded), ==, gs_record_n_steps (gs_run_get_record (run)));

  /* A diverged run is kept too, marked in its name and its row. */
  {
    GsRun *diverged;

    action ("load-preset", g_variant_new_string ("relu"));
    set_option ("lr", "10");
    set_option ("init-std", "1");
    set_option ("epochs", "1");
    set_option ("limit-train", "2048");
    action ("start", NULL);
    diverged = gs_window_get_current_run (window ());
    g_assert_nonnull (diverged);
    g_assert_true (wait_for (no_active_run, NULL, 60));
    g_assert_cmpint (gs_run_get_state (diverged), ==, GS_RUN_DIVERGED);
    g_assert_true (wait_for (library_idle, NULL, 30));
    g_assert_nonnull (gs_run_get_file (diverged));
    g_test_message ("diverged run saved as %s", gs_run_get_file (diverged));
    g_assert_true (g_str_has_suffix (gs_run_get_file (diverged), "-diverged" GS_RUNFILE_SUFFIX));
    action ("load-preset", g_variant_new_string ("relu"));
  }

  /* A folder with bad files in it, and a temporary of a killed save. */
  g_assert_true (g_file_get_contents (gs_run_get_file (run), &good, &good_len, NULL));
  write_file (dir, "garbage.json.gz", "\x1f\x8b not really gzip", -1);
  write_file (dir, "truncated.json.gz", good, good_len / 2);
  write_file (dir, "newer.json", "{\"format\": \"gradscope-run\", \"version\": 99}", -1);
  write_file (dir, "empty.json", "", 0);
  write_file (dir, "x-relu-1.json.gz.AB12CD", good, good_len / 3);

  /* Opening a bad file by hand: an error naming it, nothing added. */
  for (guint i = 0; i < G_N_ELEMENTS (bad_names); i++)
    {
      g_autofree char *path = g_build_filename (dir, bad_names[i], NULL);
      g_autoptr (GError) open_error = NULL;
      guint before = gs_window_get_n_runs (window ());

      g_assert_null (gs_window_open_run (window (), path, &open_error));
      g_assert_nonnull (open_error);
      g_assert_nonnull (strstr (open_error->message, path));
      g_assert_cmpuint (gs_window_get_n_runs (window ()), ==, before);
    }

  /* The next start: a new window lists what the folder holds. */
  next = gs_window_new (GTK_APPLICATION (app));
  g_assert_true (wait_for (library_idle, next, 30));
  for (guint n = 1; n <= gs_window_get_n_runs (next); n++)
    {
      GsRun *r = gs_window_get_run (next, n);
      g_assert_nonnull (r);
      g_assert_true (gs_run_get_from_library (r));
      if (gs_run_get_state (r) == GS_RUN_FAILED)
        {
          g_autofree char *base = g_path_get_basename (gs_run_get_file (r));
          n_bad++;
          g_test_message ("listed with its error: %s", gs_run_get_error (r));
          g_assert_nonnull (strstr (gs_run_get_error (r), base));
        }
      else
        {
          n_saved++;
          g_assert_nonnull (gs_run_get_record (r));
        }
    }
  g_assert_cmpuint (n_bad, ==, G_N_ELEMENTS (bad_names));
  g_assert_cmpuint (n_saved, >=, 3); /* relu and baseline of /app/compare, the diverged one */

  /* Delete, undo, delete for good. */
  {
    GsRun           *relu = find_run_with_file (next, "-relu-1" GS_RUNFILE_SUFFIX);
    g_autofree char *path = NULL;
    guint            before = gs_window_get_n_runs (next);

    g_assert_nonnull (relu);
    path = g_strdup (gs_run_get_file (relu));
    gtk_widget_activate_action (GTK_WIDGET (next), "win.delete-run", "u", gs_run_get_number (relu));
    g_assert_cmpuint (gs_window_get_n_runs (next), ==, before - 1);
    g_assert_true (g_file_test (path, G_FILE_TEST_EXISTS));
    gtk_widget_activate_action (GTK_WIDGET (next), "win.undo-delete", NULL);
    g_assert_cmpuint (gs_window_get_n_runs (next), ==, before);
    gs_window_delete_run (next, relu);
    gs_window_flush_deletes (next);
    g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
    g_assert_cmpuint (gs_window_get_n_runs (next), ==, before - 1);
    /* A bad file can be deleted too. */
    relu = find_run_with_file (next, "garbage.json.gz");
    g_assert_nonnull (relu);
    gs_window_delete_run (next, relu);
    gs_window_flush_deletes (next);
    g_assert_cmpuint (gs_window_get_n_runs (next), ==, before - 2);
  }
  gtk_window_set_default_size (GTK_WINDOW (next), 1280, 800);
  gtk_window_present (GTK_WINDOW (next));
  save_screenshot_of (next, "gradscope-saved-runs");
  gtk_window_destroy (GTK_WINDOW (next));
  spin (0.1);
  for (guint i = 1; i < G_N_ELEMENTS (bad_names); i++)
    {
      g_autofree char *path = g_build_filename (dir, bad_names[i], NULL);
      g_remove (path);
    }
}


static gboolean
not_replaying (gpointer data)
{
  return !gs_window_get_replaying (window ());
}

/* The timeline: every figure shows the state at the chosen step; arrows
 * move it; a replay runs to the end and goes back to "latest". */
/* "At Init" follows the sidebar: one forward/backward at initialisation,
 * redone in a worker when the configuration changes. */
static gboolean
init_figure_shows (gpointer data)
{
  GsFigureView *view = gs_window_get_visible_figure (window ());
  int           w = gtk_widget_get_width (GTK_WIDGET (view)), h = gtk_widget_get_height (GTK_WIDGET (view));
  g_autofree char *d = NULL;

  /* somewhere on the forward panel's curve, a layer is described */
  for (int x = w / 10; x < w / 2 && d == NULL; x += 4)
    for (int y = h / 5; y < h * 4 / 5 && d == NULL; y += 4)
      {
        g_free (d);
        d = gs_figure_view_describe_at (view, x, y);
        if (d && !strstr (d, (const char *) data))
          g_clear_pointer (&d, g_free);
      }
  return d != NULL;
}

/* A folder of run files (a sweep's output) opens as one comparison; files
 * that are not runs are skipped. */
static GsRecord *
tiny_run (guint64 seed)
{
  g_autoptr (GsDataset) data = gs_dataset_new_builtin ();
  g_autoptr (GsTrainer) t = NULL;
  GsConfig c;

  gs_config_load_preset (&c, "relu", NULL);
  c.epochs = 1;
  c.limit_train = 256;
  c.batch_size = 64;
  c.seed = seed;
  t = gs_trainer_new (&c, data, NULL);
  gs_trainer_run (t, NULL);
  return gs_record_ref (gs_trainer_get_record (t));
}

static void
test_open_folder (void)
{
  g_autofree char *dir = g_dir_make_tmp ("gs-folder-XXXXXX", NULL);
  g_autofree char *a = g_build_filename (dir, "a.json.gz", NULL);
  g_autofree char *b = g_build_filename (dir, "b.json", NULL);
  g_autofree char *bad = g_build_filename (dir, "c.json", NULL);
  g_autofree char *empty = g_dir_make_tmp ("gs-empty-XXXXXX", NULL);
  g_autoptr (GsRecord) ra = tiny_run (1), rb = tiny_run (2);
  guint before = gs_window_get_n_runs (window ());
  g_autoptr (GError) error = NULL;

  g_assert_true (gs_runfile_save (ra, a, NULL));
  g_assert_true (gs_runfile_save (rb, b, NULL));
  g_assert_true (g_file_set_contents (bad, "not a run", -1, NULL));
  action ("open-run", g_variant_new_string (dir));
  g_assert_cmpuint (gs_window_get_n_runs (window ()), ==, before + 2);
  action ("show-figure", g_variant_new_string ("heatmap"));
  save_screenshot ("open-folder");
  g_assert_cmpuint (gs_window_open_folder (window (), empty, &error), ==, 0);
  g_assert_nonnull (strstr (error->message, empty));
  g_assert_cmpuint (gs_window_get_n_runs (window ()), ==, before + 2);
  g_unlink (a), g_unlink (b), g_unlink (bad), g_rmdir (dir), g_rmdir (empty);
}

static void remove_tree (const char *path);

/* A real `gradscope-cli sweep` output (run files, their JSON summaries,
 * sweep.csv) opens as one comparison of all its runs. */
static void
test_open_sweep (void)
{
  g_autofree char *dir = g_dir_make_tmp ("gs-sweep-XXXXXX", NULL);
  const char      *argv[] = {
         g_getenv ("GS_CLI"),
         "sweep",
         "--grid",
         "depth=1,2",
         "--grid",
         "activation=sigmoid,relu",
         "--data",
         "builtin",
         "--epochs",
         "1",
         "--limit-train",
         "200",
         "--batch-size",
         "50",
         "--width",
         "8",
         "--quiet",
         "--jobs",
         "2",
         "--out",
         dir,
         NULL,
  };
  g_autoptr (GError) error = NULL;
  guint before = gs_window_get_n_runs (window ());
  int   status;

  g_assert_nonnull (argv[0]);
  g_assert_true (
      g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, NULL, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  action ("open-run", g_variant_new_string (dir));
  g_assert_cmpuint (gs_window_get_n_runs (window ()), ==, before + 4);
  /* In name order: depth 1 sigmoid, depth 1 relu, depth 2 sigmoid, depth 2 relu. */
  for (guint i = 0; i < 4; i++)
    {
      GsRecord *rec = gs_run_get_record (gs_window_get_run (window (), before + 1 + i));
      g_assert_nonnull (rec);
      g_assert_cmpuint (gs_record_n_layers (rec), ==, i < 2 ? 2 : 3);
    }
  action ("show-figure", g_variant_new_string ("gradnorm"));
  save_screenshot ("open-sweep");
  remove_tree (dir);
}

static gboolean
init_figure_hides (gpointer data)
{
  return !init_figure_shows (data);
}

static void
test_signal_init (void)
{
  action ("show-figure", g_variant_new_string ("signal-init"));
  action ("load-preset", g_variant_new_string ("he-relu-deep"));
  g_assert_cmpstr (gs_figure_name (gs_figure_view_get_figure (gs_window_get_visible_figure (window ()))), ==,
                   "at-init"); /* the old name shows the renamed figure */
  g_assert_true (wait_for (init_figure_shows, (gpointer) "layer 30", 20));
  save_screenshot ("signal-init");
  set_option ("depth", "5");
  g_assert_true (wait_for (init_figure_hides, (gpointer) "layer 30", 20));
  g_assert_true (init_figure_shows ((gpointer) "layer 5"));

  /* The worker is counted until it is done; quitting waits for the count
   * (quit-while-busy.sh checks the quit itself, on the real program). */
  set_option ("width", "1024");
  g_assert_cmpuint (gs_worker_n_running (), >, 0);
  gs_worker_wait_all ();
  g_assert_cmpuint (gs_worker_n_running (), ==, 0);
  g_assert_true (init_figure_shows ((gpointer) "layer 5"));
}

static void
test_timeline (void)
{
  GsRun      *run = gs_window_get_run (window (), 1);
  GsRecord   *rec = gs_run_get_record (run);
  guint       n = gs_record_n_steps (rec), mid = n / 2;
  GsPlotStyle style;

  gs_window_select_runs (window (), &run, 1);
  action ("show-figure", g_variant_new_string ("dashboard"));
  g_assert_cmpuint (gs_window_get_timeline_step (window ()), ==, 0);
  gs_window_set_timeline_step (window (), mid);
  gs_figure_view_get_style (gs_window_get_visible_figure (window ()), &style);
  g_assert_cmpuint (style.cursor_step, ==, mid);
  save_screenshot ("gradscope-timeline-dashboard");

  gtk_widget_activate_action (GTK_WIDGET (window ()), "win.timeline-move", "i", 1);
  g_assert_cmpuint (gs_window_get_timeline_step (window ()), ==, mid + MAX (n / 100, 1));
  gtk_widget_activate_action (GTK_WIDGET (window ()), "win.timeline-move", "i", G_MININT32);
  g_assert_cmpuint (gs_window_get_timeline_step (window ()), ==, 1);
  gtk_widget_activate_action (GTK_WIDGET (window ()), "win.timeline-move", "i", G_MAXINT32);
  g_assert_cmpuint (gs_window_get_timeline_step (window ()), ==, 0);

  /* Replay the whole run: it plays, then stops at the latest step. */
  gs_window_set_timeline_step (window (), 1);
  gs_window_set_replay (window (), TRUE, 500);
  g_assert_true (gs_window_get_replaying (window ()));
  spin (0.1);
  g_assert_cmpuint (gs_window_get_timeline_step (window ()), >, 1);
  g_assert_true (wait_for (not_replaying, NULL, 10));
  g_assert_cmpuint (gs_window_get_timeline_step (window ()), ==, 0);

  /* During training the chosen step stays put while the run goes on. */
  action ("load-preset", g_variant_new_string ("relu"));
  set_option ("epochs", "3");
  set_option ("limit-train", limit_train);
  action ("start", NULL);
  g_assert_true (wait_for (run_has_steps, GUINT_TO_POINTER (6), 60));
  gs_window_set_timeline_step (window (), 3);
  g_assert_true (wait_for (run_has_steps, GUINT_TO_POINTER (12), 60));
  g_assert_cmpuint (gs_window_get_timeline_step (window ()), ==, 3);
  gs_figure_view_get_style (gs_window_get_visible_figure (window ()), &style);
  g_assert_cmpuint (style.cursor_step, ==, 3);
  action ("stop", NULL);
  g_assert_true (wait_for (no_active_run, NULL, 10));
  gs_window_set_timeline_step (window (), 0);
}

/* "Run again with one change": same seed and batches, one option changed,
 * the two runs side by side. */
static void
test_run_again (void)
{
  GsRun          *first = gs_window_get_run (window (), 1);
  GsRun          *second;
  GsRecord       *a, *b;
  const GsConfig *ca, *cb;

  gs_window_select_runs (window (), &first, 1);
  gtk_widget_activate_action (GTK_WIDGET (window ()), "win.run-again", NULL);
  g_assert_true (gs_window_get_pair_run (window ()) == first);
  g_assert_true (gs_config_equal (gs_config_panel_get_config (gs_window_get_config_panel (window ())),
                                  gs_run_get_config (first)));
  set_option ("lr", "0.05");
  spin (0.3); /* the bar slides in */
  save_screenshot ("gradscope-run-again");
  action ("start", NULL);
  second = gs_window_get_current_run (window ());
  g_assert_nonnull (second);
  g_assert_null (gs_window_get_pair_run (window ()));
  g_assert_true (wait_for (no_active_run, NULL, 600));

  ca = gs_run_get_config (first);
  cb = gs_run_get_config (second);
  g_assert_cmpuint (ca->seed, ==, cb->seed);
  g_assert_cmpfloat (cb->lr, ==, 0.05);
  /* Same initial weights and first batch: the loss of step 1 is the same. */
  a = gs_run_get_record (first);
  b = gs_run_get_record (second);
  g_assert_cmpuint (gs_record_stride (a), ==, 1);
  g_assert_cmpuint (gs_record_stride (b), ==, 1);
  g_assert_cmpfloat (gs_record_loss_series (a)[0], ==, gs_record_loss_series (b)[0]);
  g_assert_cmpfloat (gs_record_loss_series (a)[1], !=, gs_record_loss_series (b)[1]);
  {
    /* Both are shown, the first on the left. */
    GtkWidget *w = GTK_WIDGET (window ());
    g_assert_nonnull (w);
    g_assert_true (gs_window_get_run (window (), gs_run_get_number (second)) == second);
  }
  action ("show-figure", g_variant_new_string ("heatmap"));
  save_screenshot ("gradscope-run-again-pair");
}

/* From gs-plot-private.h, which a GTK file cannot include (it is the plot
 * library's own gettext domain): the boxes of every text drawn. */
typedef struct
{
  double x, y, w, h;
} TextBox;
void _gs_plot_render_text_boxes (GsFigure           fig,
                                 GsRecord *const   *runs,
                                 guint              n_runs,
                                 double             width,
                                 double             height,
                                 const GsPlotStyle *style,
                                 GArray            *boxes);

/* The heatmap's text labels at the replay cursor step (0: the latest). */
static guint
heatmap_texts (GsRecord *rec, guint cursor)
{
  GsPlotStyle style;
  g_autoptr (GArray) boxes = g_array_new (FALSE, FALSE, sizeof (TextBox));

  gs_plot_style_init (&style, FALSE, FALSE);
  style.cursor_step = cursor;
  _gs_plot_render_text_boxes (GS_FIGURE_HEATMAP, &rec, 1, 1280, 720, &style, boxes);
  return boxes->len;
}

/* Changing the training while it runs: while paused, the optimizer
 * switched through app.set-option (what D-Bus calls) is an intervention
 * from the next step; options that change the network are locked and
 * refused; the change is marked on the heatmap and kept in the saved run;
 * Run Again repeats it, giving the same run bit for bit (the live change
 * and the schedule are one path). */
static void
test_live_change (void)
{
  GsConfigPanel *panel = gs_window_get_config_panel (window ());
  g_autoptr (GError) error = NULL;
  g_autoptr (GsRecord) loaded = NULL;
  const GsIntervention *iv;
  GsRun                *run, *again;
  GsRecord             *rec;
  guint                 at;

  action ("load-preset", g_variant_new_string ("baseline"));
  set_option ("epochs", "2");
  set_option ("limit-train", limit_train);
  action ("start", NULL);
  run = g_object_ref (gs_window_get_current_run (window ()));
  g_assert_true (wait_for (run_has_steps, GUINT_TO_POINTER (5), 60));
  action ("pause", NULL);
  spin (0.15); /* the step in flight may still land */
  at = gs_run_get_progress (run)->step + 1;
  g_assert_false (gtk_widget_get_sensitive (gs_config_panel_get_control (panel, "depth")));
  g_assert_true (gtk_widget_get_sensitive (gs_config_panel_get_control (panel, "optimizer")));
  g_assert_false (gs_window_set_option (window (), "depth", "3", &error));
  g_assert_nonnull (strstr (error->message, "--depth cannot change while a run trains"));
  g_clear_error (&error);
  g_assert_false (gs_window_set_option (window (), "lr", "-1", &error));
  g_assert_nonnull (strstr (error->message, "--lr"));
  g_clear_error (&error);
  set_option ("optimizer", "adam");
  action ("resume", NULL);
  g_assert_true (wait_for (no_active_run, NULL, 600));
  g_assert_true (gtk_widget_get_sensitive (gs_config_panel_get_control (panel, "depth")));

  rec = gs_run_get_record (run);
  g_assert_cmpuint (gs_record_n_interventions (rec), ==, 1);
  iv = gs_record_intervention (rec, 0);
  g_test_message ("optimizer changed at step %u", iv->step);
  g_assert_cmpuint (iv->step, ==, at);
  g_assert_cmpstr (iv->option, ==, "optimizer");
  g_assert_cmpstr (iv->from, ==, "sgd");
  g_assert_cmpstr (iv->to, ==, "adam");
  /* the mark and its label: gone when the cursor is before the change */
  g_assert_cmpuint (heatmap_texts (rec, 0), ==, heatmap_texts (rec, at - 2) + 1);
  gs_window_select_runs (window (), &run, 1);
  action ("show-figure", g_variant_new_string ("heatmap"));
  save_screenshot ("gradscope-live-change-heatmap");
  g_assert_true (wait_for (library_idle, NULL, 30)); /* the autosave */
  g_assert_nonnull (gs_run_get_file (run));
  loaded = gs_runfile_load (gs_run_get_file (run), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (gs_record_n_interventions (loaded), ==, 1);
  g_assert_cmpmem (gs_record_intervention (loaded, 0), sizeof *iv, iv, sizeof *iv);

  gtk_widget_activate_action (GTK_WIDGET (window ()), "win.run-again", NULL);
  g_assert_cmpint (gs_config_panel_get_config (panel)->optimizer, ==, GS_OPTIM_SGD);
  action ("start", NULL);
  again = gs_window_get_current_run (window ());
  g_assert_true (wait_for (no_active_run, NULL, 600));
  g_assert_cmpuint (gs_record_n_interventions (gs_run_get_record (again)), ==, 1);
  g_assert_cmpuint (gs_record_intervention (gs_run_get_record (again), 0)->step, ==, at);
  g_assert_cmpuint (gs_record_n_columns (gs_run_get_record (again)), ==, gs_record_n_columns (rec));
  g_assert_cmpmem (gs_record_loss_series (gs_run_get_record (again)),
                   gs_record_n_columns (rec) * sizeof (float), gs_record_loss_series (rec),
                   gs_record_n_columns (rec) * sizeof (float));
  g_object_unref (run);
}

static const char *
visible_figure_name (void)
{
  return gs_figure_name (gs_figure_view_get_figure (gs_window_get_visible_figure (window ())));
}

/* The lesson: each step loads its preset, shows a run of it from the list
 * without training, and highlights its figure. Three steps are saved as
 * screenshots (in English, and in Vietnamese when LANGUAGE=vi). */
static void
test_lesson (void)
{
  GsConfigPanel      *panel = gs_window_get_config_panel (window ());
  const GsLessonStep *step;
  guint               shots[] = { 0, 1, 4 };
  guint               n_runs = gs_window_get_n_runs (window ());

  g_assert_cmpint (gs_window_get_lesson_step (window ()), ==, -1);
  gtk_widget_activate_action (GTK_WIDGET (window ()), "win.lesson", NULL);
  g_assert_cmpint (gs_window_get_lesson_step (window ()), ==, 0);

  for (guint i = 0; i < gs_lesson_get_n_steps (); i++)
    {
      step = gs_lesson_get_step (i);
      g_assert_cmpint (gs_window_get_lesson_step (window ()), ==, (int) i);
      g_assert_cmpstr (gs_config_panel_get_config (panel)->preset, ==, step->preset);
      g_assert_false (gs_config_panel_get_custom (panel));
      g_assert_cmpstr (visible_figure_name (), ==, step->figure);
      g_assert_true (
          gtk_widget_has_css_class (GTK_WIDGET (gs_window_get_visible_figure (window ())), "lesson-focus"));
      for (guint k = 0; k < G_N_ELEMENTS (shots); k++)
        if (shots[k] == i)
          {
            g_autofree char *name = g_strdup_printf ("gradscope-lesson-%u-%s", i + 1, step->figure);
            GsRun           *run = gs_window_get_run (window (), 1);

            /* The relu and baseline runs of /app/compare are shown as they are. */
            if (g_str_equal (step->preset, "relu") || g_str_equal (step->preset, "baseline"))
              {
                g_autofree char *title = g_strdup (gtk_window_get_title (GTK_WINDOW (window ())));
                g_assert_nonnull (run);
                g_assert_nonnull (title);
              }
            spin (0.3); /* the lesson panel slides in */
            save_screenshot (name);
          }
      if (i + 1 < gs_lesson_get_n_steps ())
        gtk_widget_activate_action (GTK_WIDGET (window ()), "win.lesson-next", NULL);
    }
  /* Nothing was trained. */
  g_assert_cmpuint (gs_window_get_n_runs (window ()), ==, n_runs);
  g_assert_null (gs_window_get_current_run (window ()));
  g_assert_false (gtk_widget_get_sensitive (GTK_WIDGET (window ())) == FALSE);

  gtk_widget_activate_action (GTK_WIDGET (window ()), "win.lesson-previous", NULL);
  g_assert_cmpint (gs_window_get_lesson_step (window ()), ==, (int) gs_lesson_get_n_steps () - 2);

  /* In class: presentation mode, sidebar hidden. */
  gs_window_set_lesson_step (window (), 4);
  gtk_widget_activate_action (GTK_WIDGET (window ()), "win.sidebar", NULL);
  gtk_widget_activate_action (GTK_WIDGET (window ()), "win.presentation", NULL);
  save_screenshot ("gradscope-lesson-presentation");
  gtk_widget_activate_action (GTK_WIDGET (window ()), "win.presentation", NULL);
  gtk_widget_activate_action (GTK_WIDGET (window ()), "win.sidebar", NULL);

  gtk_widget_activate_action (GTK_WIDGET (window ()), "win.lesson", NULL);
  g_assert_cmpint (gs_window_get_lesson_step (window ()), ==, -1);
  g_assert_false (
      gtk_widget_has_css_class (GTK_WIDGET (gs_window_get_visible_figure (window ())), "lesson-focus"));
}

/* Save a run, open it again, export the figure shown in each format. */
static void
test_save_open_export (void)
{
  g_autofree char *dir = g_dir_make_tmp ("gradscope-test-XXXXXX", NULL);
  g_autofree char *run_path = g_build_filename (dir, "relu.json.gz", NULL);
  g_autoptr (GError) error = NULL;
  const char *formats[] = { "png", "svg", "pdf" };
  GsRun      *run = gs_window_get_run (window (), 1);
  GsRun      *opened;

  g_assert_nonnull (run);
  g_assert_true (gs_window_save_run (window (), run, run_path, &error));
  g_assert_no_error (error);
  opened = gs_window_open_run (window (), run_path, &error);
  g_assert_no_error (error);
  g_assert_nonnull (opened);
  g_assert_cmpint (gs_run_get_state (opened), ==, GS_RUN_FINISHED);
  g_assert_cmpfloat_with_epsilon (gs_run_get_accuracy (opened), gs_run_get_accuracy (run), 1e-6);

  action ("show-figure", g_variant_new_string ("heatmap"));
  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    {
      g_autofree char *name = g_strdup_printf ("heatmap.%s", formats[i]);
      g_autofree char *path = g_build_filename (dir, name, NULL);

      g_assert_true (gs_window_export_figure (window (), path, "slide", FALSE, &error));
      g_assert_no_error (error);
      g_assert_cmpint (file_size (path), >, 1000);
      if (i == 0)
        {
          g_autoptr (GdkTexture) texture = gdk_texture_new_from_filename (path, &error);
          g_assert_no_error (error);
          g_assert_cmpint (gdk_texture_get_width (texture), ==, 1920);
          g_assert_cmpint (gdk_texture_get_height (texture), ==, 1080);
        }
      g_remove (path);
    }
  g_remove (run_path);
  g_rmdir (dir);
}

static gboolean
file_exists (gpointer path)
{
  return g_file_test (path, G_FILE_TEST_EXISTS);
}

static gboolean
banner_says_cancelled (gpointer data)
{
  return strstr (gtk_label_get_text (window ()->banner_label), _ ("Export cancelled")) != NULL;
}

/* The video export's progress window: plain, over the main window. */
static GtkWindow *
find_progress (void)
{
  GListModel *toplevels = gtk_window_get_toplevels (); /* owned by GTK */

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr (GtkWindow) w = g_list_model_get_item (toplevels, i);
      if (G_OBJECT_TYPE (w) == GTK_TYPE_WINDOW && gtk_window_get_transient_for (w) == GTK_WINDOW (window ()))
        return w;
    }
  return NULL;
}

static gboolean
no_progress (gpointer data)
{
  return find_progress () == NULL;
}

/* Export as a GIF in the background; a WebM cancelled halfway leaves no
 * file and no temporary. */
static void
test_export_video (void)
{
  g_autofree char *dir = g_dir_make_tmp ("gradscope-test-XXXXXX", NULL);
  g_autofree char *gif = g_build_filename (dir, "heatmap.gif", NULL);
  g_autofree char *webm = g_build_filename (dir, "heatmap.webm", NULL);
  g_autofree char *head = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GDir) d = NULL;
  GtkWindow *progress;

  if (!gs_video_format_available (GS_VIDEO_GIF, &error))
    {
      g_test_skip (error->message);
      return;
    }
  action ("show-figure", g_variant_new_string ("heatmap"));
  _gs_window_export_video (window (), gif, "gif", "screen", FALSE, 2);
  g_assert_nonnull (find_progress ());
  g_assert_true (wait_for (file_exists, gif, 120));
  g_assert_true (g_file_get_contents (gif, &head, NULL, NULL));
  g_assert_true (g_str_has_prefix (head, "GIF89a"));
  g_assert_true (wait_for (no_progress, NULL, 10)); /* closes when done */
  _gs_window_export_video (window (), webm, "webm", "slide", FALSE, 30);
  g_assert_nonnull (progress = find_progress ());
  spin (0.5); /* some frames in */
  gtk_window_destroy (progress);
  g_assert_true (wait_for (banner_says_cancelled, NULL, 60));
  g_assert_false (g_file_test (webm, G_FILE_TEST_EXISTS));
  d = g_dir_open (dir, 0, NULL);
  for (const char *name; (name = g_dir_read_name (d));)
    g_assert_cmpstr (name, ==, "heatmap.gif");
  _gs_window_hide_banner (window ());
  g_remove (gif);
  g_rmdir (dir);
}

static GtkWindow *
find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels (); /* owned by GTK */

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr (GtkWindow) w = g_list_model_get_item (toplevels, i);
      if (G_TYPE_CHECK_INSTANCE_TYPE (w, type) && gtk_widget_get_visible (GTK_WIDGET (w)))
        return w;
    }
  return NULL;
}

/* The shortcuts window and the About window open without warnings. */
static void
test_dialogs (void)
{
  GtkWindow *w;

  action ("shortcuts", NULL);
  spin (0.2);
  w = find_toplevel (GTK_TYPE_SHORTCUTS_WINDOW);
  g_assert_nonnull (w);
  gtk_window_close (w);
  spin (0.1);

  action ("about", NULL);
  spin (0.2);
  w = find_toplevel (GTK_TYPE_ABOUT_DIALOG);
  g_assert_nonnull (w);
  gtk_window_destroy (w);
  spin (0.1);
}

typedef struct
{
  gint64 last;
  gint64 longest;
  guint  n_ticks;
  guint  n_over_16ms;
} Stall;

static gboolean
on_stall_tick (gpointer data)
{
  Stall *stall = data;
  gint64 now = g_get_monotonic_time ();

  if (stall->last != 0)
    {
      stall->longest = MAX (stall->longest, now - stall->last);
      stall->n_over_16ms += now - stall->last > 16000;
    }
  stall->n_ticks++;
  stall->last = now;
  return G_SOURCE_CONTINUE;
}

static double
train_headless (const char *preset)
{
  g_autoptr (GsDataset) data = gs_dataset_find (builtin_data ? "builtin" : NULL, NULL);
  g_autoptr (GsTrainer) trainer = NULL;
  g_autoptr (GError) error = NULL;
  GsConfig config;

  gs_config_init_defaults (&config);
  g_assert_true (gs_config_load_preset (&config, preset, NULL));
  config.epochs = 1;
  trainer = gs_trainer_new (&config, data, &error);
  g_assert_no_error (error);
  g_assert_true (gs_trainer_run (trainer, &error));
  return gs_record_seconds (gs_trainer_get_record (trainer));
}

/* The cost of the live window: the same run headless and in the window,
 * and the longest gap in the main loop while the window trains. These are
 * measurements, printed for the record; only gross failures fail. */
static void
test_live_cost (void)
{
  Stall  stall = { 0, 0, 0, 0 };
  double headless, windowed;
  guint  tick;
  GsRun *run;

  headless = train_headless ("relu");
  tick = g_timeout_add (1, on_stall_tick, &stall);
  action ("show-figure", g_variant_new_string ("heatmap"));
  run = train ("relu", 1);
  g_source_remove (tick);
  windowed = gs_record_seconds (gs_run_get_record (run));

  g_test_message ("relu, 1 epoch: headless %.2f s, in the window %.2f s (%+.0f %%); "
                  "longest main-loop stall %.1f ms, %u of %u gaps over 16 ms",
                  headless, windowed, 100 * (windowed / headless - 1), stall.longest / 1e3, stall.n_over_16ms,
                  stall.n_ticks);
  g_assert_cmpfloat (windowed, <, 2 * headless + 0.5);
  g_assert_cmpint (stall.longest, <, 250 * 1000);
}

/* Every option of the engine's table has a control of the right kind, and
 * editing one as a user would changes the configuration. */
static void
test_controls (void)
{
  GsConfigPanel      *panel = gs_window_get_config_panel (window ());
  guint               n_options;
  const GsOptionSpec *options = gs_config_options (&n_options);
  GtkWidget          *control;

  for (guint i = 0; i < n_options; i++)
    {
      GType expected = G_TYPE_INVALID;

      control = gs_config_panel_get_control (panel, options[i].name);
      g_assert_nonnull (control);
      switch (options[i].type)
        {
        case GS_OPTION_INT:
        case GS_OPTION_DOUBLE:
        case GS_OPTION_UINT64:
          expected = GTK_TYPE_SPIN_BUTTON;
          break;
        case GS_OPTION_CHOICE:
          expected = GTK_TYPE_DROP_DOWN;
          break;
        case GS_OPTION_BOOL:
          expected = GTK_TYPE_SWITCH;
          break;
        case GS_OPTION_INT_LIST:
        default:
          expected = GTK_TYPE_ENTRY;
          break;
        }
      g_assert_true (G_TYPE_CHECK_INSTANCE_TYPE (control, expected));
    }

  action ("load-preset", g_variant_new_string ("baseline"));
  control = gs_config_panel_get_control (panel, "width");
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (control), 64);
  g_assert_cmpint (gs_config_panel_get_config (panel)->width, ==, 64);
  g_assert_true (gs_config_panel_get_custom (panel));

  /* The spin button keeps values inside the table's range. */
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (control), 1e9);
  g_assert_cmpint (gs_config_panel_get_config (panel)->width, ==, GS_MAX_WIDTH);

  control = gs_config_panel_get_control (panel, "activation");
  gtk_drop_down_set_selected (GTK_DROP_DOWN (control), GS_ACT_TANH);
  g_assert_cmpint (gs_config_panel_get_config (panel)->activation, ==, GS_ACT_TANH);

  control = gs_config_panel_get_control (panel, "layerwise");
  gtk_editable_set_text (GTK_EDITABLE (control), "2,x");
  g_assert_false (gs_config_panel_get_valid (panel));
  g_assert_nonnull (gs_config_panel_get_error (panel, "layerwise"));
  gtk_editable_set_text (GTK_EDITABLE (control), "none");
  g_assert_true (gs_config_panel_get_valid (panel));

  action ("load-preset", g_variant_new_string ("relu"));
  g_assert_false (gs_config_panel_get_custom (panel));
}

/* The first label under widget whose text contains text, or NULL. */
static GtkWidget *
find_label (GtkWidget *widget, const char *text)
{
  if (GTK_IS_LABEL (widget) && strstr (gtk_label_get_text (GTK_LABEL (widget)), text) != NULL)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_label (child, text);
      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The n-th entry under widget (from 0), or NULL. */
static GtkWidget *
find_entry (GtkWidget *widget, guint *n)
{
  if (GTK_IS_ENTRY (widget) && (*n)-- == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_entry (child, n);
      if (found != NULL)
        return found;
    }
  return NULL;
}

static GtkDialog *
range_dialog_with (const char *lo, const char *hi)
{
  GtkDialog *d = GTK_DIALOG (find_toplevel (GTK_TYPE_DIALOG));
  guint      first = 0, second = 1;

  g_assert_nonnull (d);
  gtk_editable_set_text (GTK_EDITABLE (find_entry (GTK_WIDGET (d), &first)), lo);
  gtk_editable_set_text (GTK_EDITABLE (find_entry (GTK_WIDGET (d), &second)), hi);
  gtk_dialog_response (d, GTK_RESPONSE_APPLY);
  spin (0.1);
  return d;
}

/* The colour range typed by hand in its dialog: a bad one is said there and
 * changes nothing; a good one is every figure's, shown and exported; the
 * menu's two scales come back. */
static void
test_color_range (void)
{
  GsPlotStyle      style;
  g_autofree char *range = NULL;

  gtk_widget_activate_action (GTK_WIDGET (window ()), "win.color-range-dialog", NULL);
  spin (0.2);
  GtkDialog *d = range_dialog_with ("1e-6", "oops");
  g_assert_true (find_toplevel (GTK_TYPE_DIALOG) == GTK_WINDOW (d));
  g_assert_nonnull (find_label (GTK_WIDGET (d), "expected LO:HI"));
  gs_figure_view_get_style (gs_window_get_visible_figure (window ()), &style);
  g_assert_cmpint (style.color_scale, ==, GS_COLOR_SCALE_ABSOLUTE);

  range_dialog_with ("1e-6", "1");
  g_assert_null (find_toplevel (GTK_TYPE_DIALOG));
  g_object_get (window (), "color-range", &range, NULL);
  g_assert_cmpstr (range, ==, "1e-6:1");
  gs_figure_view_get_style (gs_window_get_visible_figure (window ()), &style);
  g_assert_cmpint (style.color_scale, ==, GS_COLOR_SCALE_CUSTOM);
  g_assert_cmpfloat (style.color_lo, ==, 1e-6);
  g_assert_cmpfloat (style.color_hi, ==, 1);

  gtk_widget_activate_action (GTK_WIDGET (window ()), "win.color-scale", "s", "fit");
  gs_figure_view_get_style (gs_window_get_visible_figure (window ()), &style);
  g_assert_cmpint (style.color_scale, ==, GS_COLOR_SCALE_FITTED);
  gtk_widget_activate_action (GTK_WIDGET (window ()), "win.color-scale", "s", "absolute");
  gs_figure_view_get_style (gs_window_get_visible_figure (window ()), &style);
  g_assert_cmpint (style.color_scale, ==, GS_COLOR_SCALE_ABSOLUTE);
}

/* A preset sets the experiment, not how long to train: the epochs (and the
 * other run options) the user chose survive a preset, a lesson step and a
 * restore, unless the preset sets that option itself; Reset brings back
 * the notebook's. */
static void
test_keep_choices (void)
{
  GsConfigPanel  *panel = gs_window_get_config_panel (window ());
  const GsConfig *c = gs_config_panel_get_config (panel);
  g_autoptr (GSettings) settings = g_settings_new (GS_APP_ID);
  g_autofree char *text = NULL;
  GsConfigPanel   *restored;
  GsConfig         defaults;

  gs_config_init_defaults (&defaults);
  action ("load-preset", g_variant_new_string ("baseline"));
  set_option ("epochs", "2");
  set_option ("batch-size", "32");
  /* still the baseline experiment, not "Custom" */
  g_assert_false (gs_config_panel_get_custom (panel));
  action ("load-preset", g_variant_new_string ("relu"));
  g_assert_cmpint (c->epochs, ==, 2);
  g_assert_cmpint (c->batch_size, ==, 32);
  g_assert_cmpstr (c->preset, ==, "relu");
  g_assert_cmpint (c->activation, ==, GS_ACT_RELU);
  g_assert_false (gs_config_panel_get_custom (panel));

  /* A preset that sets them wins for those; the next one gives them back. */
  action ("load-preset", g_variant_new_string ("glorot-sigmoid"));
  g_assert_cmpint (c->epochs, ==, 5);
  g_assert_cmpint (c->batch_size, ==, 10);
  action ("load-preset", g_variant_new_string ("baseline"));
  g_assert_cmpint (c->epochs, ==, 2);
  g_assert_cmpint (c->batch_size, ==, 32);

  /* Layer-wise training takes the epochs per phase: the 2 kept. */
  action ("load-preset", g_variant_new_string ("layerwise"));
  g_assert_true (gs_config_panel_get_valid (panel));
  g_assert_cmpint (c->epochs, ==, 2);
  g_assert_cmpint (c->batch_size, ==, 32);

  /* Every lesson step. */
  gtk_widget_activate_action (GTK_WIDGET (window ()), "win.lesson", NULL);
  for (guint i = 0; i < gs_lesson_get_n_steps (); i++)
    {
      const GsLessonStep *step = gs_lesson_get_step (i);
      GsConfig            own;

      gs_window_set_lesson_step (window (), i);
      g_assert_cmpstr (c->preset, ==, step->preset);
      gs_config_init_defaults (&own);
      g_assert_true (gs_config_load_preset (&own, step->preset, NULL));
      g_assert_cmpint (c->epochs, ==, own.epochs != defaults.epochs ? own.epochs : 2);
      g_assert_true (gs_config_panel_get_valid (panel));
    }
  gtk_widget_activate_action (GTK_WIDGET (window ()), "win.lesson", NULL);

  /* The next session: restored from GSettings, still the user's. */
  action ("load-preset", g_variant_new_string ("adam"));
  text = g_settings_get_string (settings, "last-config");
  restored = g_object_ref_sink (g_object_new (GS_TYPE_CONFIG_PANEL, NULL));
  gs_config_panel_from_string (restored, text);
  g_assert_true (gs_config_panel_load_preset (restored, "skip", NULL));
  g_assert_cmpint (gs_config_panel_get_config (restored)->epochs, ==, 2);
  g_assert_cmpint (gs_config_panel_get_config (restored)->batch_size, ==, 32);
  g_object_unref (restored);

  /* Reset: the notebook's settings for the preset shown, and after. */
  save_screenshot ("gradscope-keep-choices");
  g_assert_true (gtk_widget_is_visible (find_label (GTK_WIDGET (panel), "Epochs 2, Batch size 32")));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (panel), "config.reset", NULL));
  g_assert_cmpstr (c->preset, ==, "adam");
  g_assert_cmpint (c->epochs, ==, defaults.epochs);
  g_assert_cmpint (c->batch_size, ==, defaults.batch_size);
  g_assert_false (gs_config_panel_get_custom (panel));
  action ("load-preset", g_variant_new_string ("relu"));
  g_assert_cmpint (c->epochs, ==, defaults.epochs);
  action ("load-preset", g_variant_new_string ("glorot-sigmoid"));
  gs_config_panel_reset (panel);
  g_assert_cmpint (c->epochs, ==, 5);
  action ("load-preset", g_variant_new_string ("relu"));
}

/* Choosing a folder with no data set: the error names it, the sidebar
 * shows the data set still in use (not "Loading…"), Start trains on that,
 * and the next start does not try the folder again. */
static void
test_data_failure (void)
{
  GsWindow        *w = window ();
  GsSharedData    *before = w->data;
  g_autofree char *name = g_strdup (gs_shared_data_get (before)->name);
  g_autofree char *empty = g_dir_make_tmp ("gs-no-data-XXXXXX", NULL);
  g_autoptr (GSettings) settings = g_settings_new (GS_APP_ID);
  g_autofree char *remembered = g_settings_get_string (settings, "data-folder");
  g_autofree char *after = NULL;
  GtkWidget       *panel = GTK_WIDGET (gs_window_get_config_panel (w));
  GtkWidget       *hint;
  GsRun           *run;

  action ("set-data", g_variant_new_string (empty));
  g_assert_nonnull (find_label (panel, "Loading data set"));
  g_assert_true (wait_for (data_ready, NULL, 30));
  g_assert_true (w->data == before);
  g_assert_null (find_label (panel, "Loading data set"));
  g_assert_nonnull (find_label (panel, name));
  hint = find_label (panel, empty);
  g_assert_nonnull (hint);
  g_test_message ("after choosing %s: “%s”", empty, gtk_label_get_text (GTK_LABEL (hint)));
  g_assert_true (gtk_widget_get_visible (hint));
  g_assert_true (gtk_widget_has_css_class (hint, "error"));
  after = g_settings_get_string (settings, "data-folder");
  g_assert_cmpstr (after, ==, remembered);
  save_screenshot ("gradscope-data-failure");

  action ("load-preset", g_variant_new_string ("relu"));
  set_option ("epochs", "1");
  set_option ("limit-train", "512");
  action ("start", NULL);
  run = gs_window_get_current_run (w);
  g_assert_nonnull (run);
  g_assert_true (wait_for (no_active_run, NULL, 60));
  g_assert_cmpint (gs_run_get_state (run), ==, GS_RUN_FINISHED);
  g_assert_cmpint (gs_record_n_steps (gs_run_get_record (run)), >, 0);
  g_rmdir (empty);
}

/* The numbers runs have in one session are theirs in the next, saved runs
 * of older Gradscopes (which counted from 1 each session) get numbers of
 * their own, the same every time, and titles keep the file name out. */
static GHashTable *
numbers_by_file (GsWindow *w)
{
  GHashTable *numbers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr (GHashTable) seen = g_hash_table_new (NULL, NULL);

  for (guint n = 1, found = 0; found < gs_window_get_n_runs (w) && n < 10000; n++)
    {
      GsRun *run = gs_window_get_run (w, n);

      if (run == NULL)
        continue;
      found++;
      g_assert_false (g_hash_table_contains (seen, GUINT_TO_POINTER (n)));
      g_hash_table_add (seen, GUINT_TO_POINTER (n));
      /* (a file another window deleted is still named by its run here) */
      if (gs_run_get_file (run) != NULL && g_file_test (gs_run_get_file (run), G_FILE_TEST_EXISTS))
        {
          g_autofree char *base = g_path_get_basename (gs_run_get_file (run));
          g_assert_null (strstr (gs_run_get_title (run), base));
          g_hash_table_insert (numbers, g_strdup (gs_run_get_file (run)), GUINT_TO_POINTER (n));
        }
    }
  return numbers;
}

static GsWindow *
open_next_session (void)
{
  GsWindow *next = gs_window_new (GTK_APPLICATION (app));

  g_assert_true (wait_for (library_idle, next, 30));
  return next;
}

static gboolean
next_idle (gpointer data)
{
  return gs_window_get_current_run (data) == NULL && gs_window_get_library_idle (data);
}

static void
assert_same_numbers (GHashTable *before, GHashTable *after)
{
  GHashTableIter iter;
  gpointer       path, number;

  g_hash_table_iter_init (&iter, before);
  while (g_hash_table_iter_next (&iter, &path, &number))
    g_assert_cmpuint (GPOINTER_TO_UINT (g_hash_table_lookup (after, path)), ==, GPOINTER_TO_UINT (number));
}

static void
test_run_numbers (void)
{
  const char *dir = gs_window_get_library_dir (window ());
  g_autoptr (GHashTable) session = NULL;
  g_autoptr (GHashTable) first = NULL;
  g_autoptr (GHashTable) second = NULL;
  g_autofree char *good = NULL;
  g_autofree char *old_a = g_build_filename (dir, "19990101-000000-relu-1.gsrun", NULL);
  g_autofree char *old_b = g_build_filename (dir, "19990102-000000-relu-1.gsrun", NULL);
  gsize            len;
  GHashTableIter   iter;
  gpointer         path, number;
  guint            highest = 0;
  GsWindow        *next;
  GsRun           *run;

  g_assert_true (wait_for (library_idle, NULL, 30));
  session = numbers_by_file (window ());
  g_assert_cmpuint (g_hash_table_size (session), >=, 2);
  /* Two runs of an older Gradscope, both "run 1" of their session. */
  g_hash_table_iter_init (&iter, session);
  g_assert_true (g_hash_table_iter_next (&iter, &path, &number));
  g_assert_true (g_file_get_contents (path, &good, &len, NULL));
  g_assert_true (g_file_set_contents (old_a, good, len, NULL));
  g_assert_true (g_file_set_contents (old_b, good, len, NULL));

  /* The next session: the same numbers; the second old file gets a new
   * one (and a name that says it). */
  next = open_next_session ();
  first = numbers_by_file (next);
  g_assert_true (g_file_test (old_a, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (old_b, G_FILE_TEST_EXISTS));
  assert_same_numbers (session, first);
  g_assert_cmpuint (g_hash_table_size (first), ==, g_hash_table_size (session) + 2);
  g_hash_table_iter_init (&iter, first);
  while (g_hash_table_iter_next (&iter, &path, &number))
    highest = MAX (highest, GPOINTER_TO_UINT (number));

  /* Its new run continues after every saved one. */
  gs_config_panel_load_preset (gs_window_get_config_panel (next), "relu", NULL);
  gs_config_panel_set_option (gs_window_get_config_panel (next), "epochs", "1", NULL);
  gs_config_panel_set_option (gs_window_get_config_panel (next), "limit-train", "256", NULL);
  g_assert_true (wait_for ((gboolean (*) (gpointer)) gs_window_get_data_ready, next, 30));
  gs_window_start (next);
  run = g_object_ref (gs_window_get_current_run (next));
  g_assert_cmpuint (gs_run_get_number (run), ==, highest + 1);
  g_assert_true (wait_for (next_idle, next, 60));
  g_assert_nonnull (gs_run_get_file (run));
  g_test_message ("saved runs numbered up to %u; the next session's run: %u, saved as %s", highest,
                  gs_run_get_number (run), gs_run_get_file (run));
  g_hash_table_insert (first, g_strdup (gs_run_get_file (run)), GUINT_TO_POINTER (gs_run_get_number (run)));
  gtk_window_destroy (GTK_WINDOW (next));
  spin (0.05);

  /* And the one after: still the same. */
  next = open_next_session ();
  second = numbers_by_file (next);
  assert_same_numbers (first, second);
  gtk_window_destroy (GTK_WINDOW (next));
  spin (0.05);

  g_hash_table_iter_init (&iter, second);
  while (g_hash_table_iter_next (&iter, &path, &number))
    {
      g_autofree char *base = g_path_get_basename (path);
      if (g_str_has_prefix (base, "1999"))
        g_assert_cmpint (g_remove (path), ==, 0);
    }
  g_assert_cmpint (g_remove (gs_run_get_file (run)), ==, 0);
  g_object_unref (run);
}

static gboolean
runs_pane_is (gpointer data)
{
  GsWindow *w = ((gpointer *) data)[0];
  int       height = GPOINTER_TO_INT (((gpointer *) data)[1]);

  return ABS (gtk_widget_get_height (GTK_WIDGET (w->run_list)) - height) <= 1;
}

/* The Runs pane can be made taller by dragging the handle above it, and
 * keeps that height at the next start. */
static void
test_runs_pane (void)
{
  g_autoptr (GSettings) settings = g_settings_new (GS_APP_ID);
  GsWindow *next;
  int       min;
  gpointer  want[2];

  g_settings_set_int (settings, "runs-height", 420);
  next = gs_window_new (GTK_APPLICATION (app));
  gtk_window_present (GTK_WINDOW (next));
  want[0] = next, want[1] = GINT_TO_POINTER (420);
  g_assert_true (wait_for (runs_pane_is, want, 10));
  g_assert_true (wait_for (library_idle, next, 30));
  save_screenshot_of (next, "gradscope-runs-pane");
  gtk_widget_measure (GTK_WIDGET (next->run_list), GTK_ORIENTATION_VERTICAL, -1, &min, NULL, NULL, NULL);
  g_test_message ("Runs pane: %d px (at least %d)", gtk_widget_get_height (GTK_WIDGET (next->run_list)), min);

  /* as a drag of the handle does */
  gtk_paned_set_position (GTK_PANED (next->sidebar),
                          gtk_paned_get_position (GTK_PANED (next->sidebar)) + 100);
  want[1] = GINT_TO_POINTER (320);
  g_assert_true (wait_for (runs_pane_is, want, 10));
  gtk_window_close (GTK_WINDOW (next));
  spin (0.05);
  g_assert_cmpint (g_settings_get_int (settings, "runs-height"), ==, 320);
  g_settings_reset (settings, "runs-height");
}

/* Two runs side by side: the line above the figures, the progress line
 * and the window title name both. */
static void
test_compare_header (void)
{
  GsWindow *w = window ();
  g_autoptr (GPtrArray) all = gs_run_list_dup_runs (w->run_list);
  GsRun           *pair[2] = { NULL, NULL };
  const char      *progress;
  g_autofree char *title = NULL;
  guint            n = 0;

  for (guint i = 0; i < all->len && n < 2; i++)
    if (gs_run_get_record (g_ptr_array_index (all, i)) != NULL)
      pair[n++] = g_ptr_array_index (all, i);
  g_assert_cmpuint (n, ==, 2);
  gs_window_select_runs (w, pair, 2);
  progress = gtk_label_get_text (w->progress_label);
  title = g_strdup (gtk_window_get_title (GTK_WINDOW (w)));
  g_test_message ("comparing: “%s” / “%s” / window “%s”", gtk_label_get_text (w->run_title), progress, title);
  for (guint i = 0; i < 2; i++)
    {
      g_autofree char *run = g_strdup_printf ("Run %u:", gs_run_get_number (pair[i]));
      g_autofree char *named
          = g_strdup_printf ("%u. %s", gs_run_get_number (pair[i]), gs_run_get_title (pair[i]));

      g_assert_nonnull (strstr (progress, run));
      g_assert_nonnull (strstr (gtk_label_get_text (w->run_title), named));
      g_assert_nonnull (strstr (title, named));
    }
  action ("show-figure", g_variant_new_string ("heatmap"));
  save_screenshot ("gradscope-compare-header");
}

/* The window fits a 1280 px wide screen in every language (run in
 * Vietnamese by app-window-vi, whose labels are the longest). */
static void
test_min_width (void)
{
  int min = 0;

  gtk_widget_measure (GTK_WIDGET (window ()), GTK_ORIENTATION_HORIZONTAL, -1, &min, NULL, NULL, NULL);
  g_test_message ("minimum window width: %d px", min);
  g_assert_cmpint (min, <=, 1280);
}

/* The last configuration is kept in GSettings and restores exactly. */
static void
test_settings (void)
{
  GsConfigPanel *panel = gs_window_get_config_panel (window ());
  g_autoptr (GSettings) settings = g_settings_new (GS_APP_ID);
  g_autofree char *text = NULL;
  GsConfigPanel   *restored;

  action ("load-preset", g_variant_new_string ("skip"));
  set_option ("lr", "0.05");
  text = g_settings_get_string (settings, "last-config");
  g_test_message ("last-config: %s", text);
  g_assert_true (g_str_has_prefix (text, "preset=skip custom=true "));

  restored = g_object_ref_sink (g_object_new (GS_TYPE_CONFIG_PANEL, NULL));
  gs_config_panel_from_string (restored, text);
  g_assert_true (gs_config_equal (gs_config_panel_get_config (restored), gs_config_panel_get_config (panel)));
  g_assert_true (gs_config_panel_get_custom (restored));
  g_object_unref (restored);
}

/* Touching a control after a preset makes it "Custom (from X)"; a rule
 * that ties two options is shown beside the option it names, and Start
 * does nothing until it is fixed. */
static void
test_validation (void)
{
  GsConfigPanel *panel = gs_window_get_config_panel (window ());
  const char    *message;

  action ("load-preset", g_variant_new_string ("layerwise"));
  g_assert_false (gs_config_panel_get_custom (panel));
  g_assert_true (gs_config_panel_get_valid (panel));
  g_assert_null (gs_config_panel_get_error (panel, "layerwise"));

  set_option ("depth", "5");
  g_assert_true (gs_config_panel_get_custom (panel));
  g_assert_false (gs_config_panel_get_valid (panel));
  message = gs_config_panel_get_error (panel, "layerwise");
  g_assert_nonnull (message);
  g_test_message ("beside “Layer-wise stages”: %s", message);
  g_assert_nonnull (strstr (message, "Hidden layers"));

  action ("start", NULL);
  g_assert_null (gs_window_get_current_run (window ()));
  save_screenshot ("gradscope-invalid");

  set_option ("depth", "7");
  action ("load-preset", g_variant_new_string ("adam"));
  g_assert_cmpfloat (gs_config_panel_get_config (panel)->lr, ==, 0.001);
  set_option ("lr", "3e-5");
  g_assert_cmpfloat (gs_config_panel_get_config (panel)->lr, ==, 3e-5);
  g_assert_true (gs_config_panel_get_valid (panel));
  g_assert_true (gs_config_panel_get_valid (panel));
  g_assert_null (gs_config_panel_get_error (panel, "layerwise"));
  action ("load-preset", g_variant_new_string ("relu"));
  g_assert_false (gs_config_panel_get_custom (panel));
}

/* The tooltip text of the heatmap names the layer, the step and the value. */
static void
test_hover (void)
{
  GsRun           *run = gs_window_get_run (window (), 1);
  GsFigureView    *view;
  g_autofree char *text = NULL;
  int              width, height;

  gs_window_select_runs (window (), &run, 1);
  action ("show-figure", g_variant_new_string ("heatmap"));
  spin (0.1);
  view = gs_window_get_visible_figure (window ());
  width = gtk_widget_get_width (GTK_WIDGET (view));
  height = gtk_widget_get_height (GTK_WIDGET (view));
  text = gs_figure_view_describe_at (view, width * 0.4, height * 0.5);
  g_test_message ("hover at the heatmap's middle: %s", text);
  g_assert_nonnull (text);
  g_assert_nonnull (strstr (text, "layer"));
  g_assert_null (gs_figure_view_describe_at (view, 1, 1));
}

/* Building a wide orthogonal network takes seconds: it happens in the
 * worker, the window keeps drawing, and Stop during the build works. */
static void
test_slow_build (void)
{
  Stall            stall = { 0, 0, 0, 0 };
  g_autofree char *status = NULL;
  guint            tick;
  GsRun           *run;

  action ("load-preset", g_variant_new_string ("baseline"));
  set_option ("depth", "4");
  set_option ("width", "1024");
  set_option ("init", "orthogonal");
  tick = g_timeout_add (1, on_stall_tick, &stall);
  action ("start", NULL);
  run = gs_window_get_current_run (window ());
  g_assert_nonnull (run);
  g_object_ref (run);
  spin (0.3);
  g_source_remove (tick);
  status = gs_run_dup_status (run);
  g_test_message ("0.3 s after Start: “%s”, longest main-loop stall %.1f ms", status, stall.longest / 1e3);
  /* the build takes seconds: a window blocked by it stalls for seconds;
   * 250 ms leaves room for a sanitizer build on a busy machine */
  g_assert_cmpint (stall.longest, <, 250 * 1000);

  action ("stop", NULL);
  g_assert_true (wait_for (no_active_run, NULL, 60));
  g_assert_cmpint (gs_run_get_state (run), ==, GS_RUN_STOPPED);
  g_object_unref (run);
  action ("load-preset", g_variant_new_string ("relu"));
}

/* Closing the window in the middle of a run stops and joins it. */
static void
test_close_while_training (void)
{
  set_option ("epochs", "5");
  action ("start", NULL);
  g_assert_true (wait_for (run_started, NULL, 10));
  action ("quit", NULL);
  spin (0.1);
  g_assert_null (gtk_application_get_active_window (GTK_APPLICATION (app)));
}

/* GS_TEST_WINDOW_SIZE=WxH: the size the window opens at (default 1280x800),
 * set through GSettings as a user's last session would. */
static void
set_window_size (void)
{
  g_autoptr (GSettings) settings = g_settings_new (GS_APP_ID);
  const char *size = g_getenv ("GS_TEST_WINDOW_SIZE");
  int         width = 1280, height = 800;

  if (size != NULL && sscanf (size, "%dx%d", &width, &height) != 2)
    g_error ("GS_TEST_WINDOW_SIZE=%s: expected WIDTHxHEIGHT", size);
  g_settings_set_int (settings, "window-width", width);
  g_settings_set_int (settings, "window-height", height);
}

static void
remove_tree (const char *path)
{
  g_autoptr (GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);
      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        remove_tree (child);
      else
        g_remove (child);
    }
  g_rmdir (path);
}

int
main (int argc, char *argv[])
{
  g_autoptr (GError) error = NULL;
  int status;

  /* Before GLib reads it: autosaved runs go to a folder of our own. */
  data_home = g_dir_make_tmp ("gradscope-data-XXXXXX", NULL);
  g_setenv ("XDG_DATA_HOME", data_home, TRUE);
  gtk_test_init (&argc, &argv, NULL);
  /* As main.c does (gtk_test_init() sets the "C" locale); GS_TEST_LOCALEDIR
   * points at the build's .mo files. */
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE,
                  g_getenv ("GS_TEST_LOCALEDIR") != NULL ? g_getenv ("GS_TEST_LOCALEDIR") : GS_LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  app = gs_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);
  set_window_size ();
  g_application_activate (G_APPLICATION (app));
  if (g_getenv ("GS_TEST_EPOCHS") != NULL)
    relu_epochs = atoi (g_getenv ("GS_TEST_EPOCHS"));
  /* GS_TEST_DATA: a folder with IDX files or "builtin"; by default the
   * usual search order, as a user's first start. */
  action ("set-data",
          g_variant_new_string (g_getenv ("GS_TEST_DATA") != NULL ? g_getenv ("GS_TEST_DATA") : ""));
  if (g_getenv ("GS_TEST_LIMIT") != NULL)
    limit_train = g_getenv ("GS_TEST_LIMIT");
  g_assert_true (wait_for (data_ready, NULL, 30));
  builtin_data = gs_window_get_data_builtin (window ());

  g_test_add_func ("/app/train-relu", test_train_relu);
  g_test_add_func ("/app/compare", test_compare);
  g_test_add_func ("/app/library", test_library);
  g_test_add_func ("/app/timeline", test_timeline);
  g_test_add_func ("/app/signal-init", test_signal_init);
  g_test_add_func ("/app/open-folder", test_open_folder);
  g_test_add_func ("/app/open-sweep", test_open_sweep);
  g_test_add_func ("/app/run-again", test_run_again);
  g_test_add_func ("/app/live-change", test_live_change);
  g_test_add_func ("/app/lesson", test_lesson);
  g_test_add_func ("/app/save-open-export", test_save_open_export);
  g_test_add_func ("/app/export-video", test_export_video);
  g_test_add_func ("/app/dialogs", test_dialogs);
  g_test_add_func ("/app/color-range", test_color_range);
  g_test_add_func ("/app/controls", test_controls);
  g_test_add_func ("/app/validation", test_validation);
  g_test_add_func ("/app/settings", test_settings);
  g_test_add_func ("/app/keep-choices", test_keep_choices);
  g_test_add_func ("/app/data-failure", test_data_failure);
  g_test_add_func ("/app/run-numbers", test_run_numbers);
  g_test_add_func ("/app/runs-pane", test_runs_pane);
  g_test_add_func ("/app/compare-header", test_compare_header);
  g_test_add_func ("/app/min-width", test_min_width);
  g_test_add_func ("/app/hover", test_hover);
  g_test_add_func ("/app/live-cost", test_live_cost);
  g_test_add_func ("/app/pause-resume-stop", test_pause_resume_stop);
  g_test_add_func ("/app/start-stop-cycles", test_start_stop_cycles);
  g_test_add_func ("/app/slow-build", test_slow_build);
  g_test_add_func ("/app/close-while-training", test_close_while_training);
  status = g_test_run ();

  /* as the app's shutdown does: no exit under a worker thread */
  gs_worker_wait_all ();
  g_clear_object (&app);
  remove_tree (data_home);
  g_free (data_home);
  return status;
}
