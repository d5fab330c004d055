/* bench-window.c: what the live window costs training (issue: under 10%),
 * and the longest main-loop stall while it trains (goal: under 16 ms).
 *
 * Runs the real application (under Xvfb: bench/run-window.sh), trains the
 * baseline preset for EPOCHS epochs with the dashboard on screen, and the
 * same configuration headless, alternating, REPS times each; prints the
 * medians as one JSON line. Arguments: EPOCHS REPS FIGURE PRESET. */
#include <gtk/gtk.h>
#include <stdio.h>
#include <stdlib.h>

#include "gs-application.h"
#include "gs-trainer.h"
#include "gs-window-private.h"

static GsApplication *app;
static int            epochs = 2, reps = 3;
static const char    *figure = "dashboard", *preset = "baseline";

typedef struct
{
  gint64 last, longest;
} Stall;

static gboolean
on_tick (gpointer data)
{
  Stall *s = data;
  gint64 now = g_get_monotonic_time ();

  if (s->last && now - s->last > s->longest)
    s->longest = now - s->last;
  s->last = now;
  return G_SOURCE_CONTINUE;
}

static GsWindow *
window (void)
{
  return GS_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (app)));
}

static void
action (const char *name, GVariant *param)
{
  g_action_group_activate_action (G_ACTION_GROUP (app), name, param);
}

static void
iterate_until (gboolean (*done) (void))
{
  while (!done ())
    g_main_context_iteration (NULL, TRUE);
}

static gboolean
ready (void)
{
  return window () != NULL && gs_window_get_data_ready (window ());
}

static gboolean
idle (void)
{
  return gs_window_get_current_run (window ()) == NULL;
}

static double
windowed (gint64 *stall_us)
{
  g_autofree char *e = g_strdup_printf ("%d", epochs);
  Stall            stall = { 0, 0 };
  guint            tick;
  GsRun           *run;

  action ("load-preset", g_variant_new_string (preset));
  action ("set-option", g_variant_new ("(ss)", "epochs", e));
  action ("show-figure", g_variant_new_string (figure));
  tick = g_timeout_add (1, on_tick, &stall);
  action ("start", NULL);
  run = g_object_ref (gs_window_get_current_run (window ()));
  iterate_until (idle);
  g_source_remove (tick);
  *stall_us = stall.longest;
  {
    double s = gs_record_seconds (gs_run_get_record (run));
    g_object_unref (run);
    return s;
  }
}

static double
headless (void)
{
  g_autoptr (GsDataset) data = gs_dataset_find (NULL, NULL);
  g_autoptr (GsTrainer) t = NULL;
  GsConfig c;

  gs_config_load_preset (&c, preset, NULL);
  c.epochs = epochs;
  t = gs_trainer_new (&c, data, NULL);
  gs_trainer_run (t, NULL);
  return gs_record_seconds (gs_trainer_get_record (t));
}

static int
cmp (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return (x > y) - (x < y);
}

static double
median (double *v, int n)
{
  qsort (v, n, sizeof *v, cmp);
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static void
on_activate (GApplication *application, gpointer data)
{
  double *h = g_new (double, reps), *w = g_new (double, reps), *st = g_new (double, reps);

  iterate_until (ready);
  for (int r = 0; r < reps; r++)
    {
      gint64 stall;
      h[r] = headless ();
      w[r] = windowed (&stall);
      st[r] = stall / 1e3;
      fprintf (stderr, "rep %d: headless %.2f s, window %.2f s, longest stall %.1f ms\n", r + 1, h[r], w[r],
               st[r]);
    }
  printf ("{\"bench\": \"window\", \"preset\": \"%s\", \"epochs\": %d, \"figure\": \"%s\", "
          "\"headless_s\": %.3f, \"window_s\": %.3f, \"cost\": %.3f, \"longest_stall_ms\": %.1f}\n",
          preset, epochs, figure, median (h, reps), median (w, reps), median (w, reps) / median (h, reps) - 1,
          median (st, reps));
  g_free (h), g_free (w), g_free (st);
  action ("quit", NULL);
}

int
main (int argc, char **argv)
{
  int status;

  if (argc > 1)
    epochs = atoi (argv[1]);
  if (argc > 2)
    reps = atoi (argv[2]);
  if (argc > 3)
    figure = argv[3];
  if (argc > 4)
    preset = argv[4];
  app = gs_application_new ();
  g_signal_connect_after (app, "activate", G_CALLBACK (on_activate), NULL);
  status = g_application_run (G_APPLICATION (app), 1, argv);
  g_object_unref (app);
  return status;
}
