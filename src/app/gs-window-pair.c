/* gs-window-pair.c: Run Again with one change.
 *
 * Run Again loads a finished run's configuration, seed included, into the
 * sidebar; the banner above the figures names what the sidebar changes
 * from it. The next Start trains the new run and shows both side by side:
 * same initial weights, same mini-batches, one difference.
 */
#define G_LOG_DOMAIN "gs-window-pair"

#include "config.h"

#include <glib/gi18n.h>

#include "gs-window-private.h"

/* "Learning rate 0.01 → 0.1": what the sidebar changes from the pair run. */
void
_gs_window_update_pair_label (GsWindow *self)
{
  const GsConfig     *before, *now;
  guint               n_options, n_changed = 0;
  const GsOptionSpec *options = gs_config_options (&n_options);
  g_autoptr (GString) changes = g_string_new (NULL);
  g_autofree char *text = NULL;

  if (self->pair_run == NULL)
    return;
  before = gs_run_get_config (self->pair_run);
  now = gs_config_panel_get_config (self->config_panel);
  for (guint i = 0; i < n_options; i++)
    {
      g_autofree char *a = gs_config_get (before, options[i].name);
      g_autofree char *b = gs_config_get (now, options[i].name);

      if (g_strcmp0 (a, b) == 0)
        continue;
      n_changed++;
      g_string_append_printf (changes, "%s%s %s → %s", changes->len > 0 ? ", " : "", _ (options[i].label), a,
                              b);
    }
  if (n_changed == 0)
    text = g_strdup_printf (_ ("Run %u again with one change: change one option in the sidebar, "
                               "then Start. Same seed and same mini-batches; the two runs open "
                               "side by side."),
                            gs_run_get_number (self->pair_run));
  else if (n_changed == 1)
    /* Translators: %u is a run number, %s a change such as "Learning rate 0.01 → 0.1" */
    text = g_strdup_printf (_ ("Run %u again with %s. Same seed and same mini-batches."),
                            gs_run_get_number (self->pair_run), changes->str);
  else
    text = g_strdup_printf (ngettext ("Run %u again with %u changes: %s. More than one "
                                      "change makes the comparison harder to read.",
                                      "Run %u again with %u changes: %s. More than one "
                                      "change makes the comparison harder to read.",
                                      n_changed),
                            gs_run_get_number (self->pair_run), n_changed, changes->str);
  gtk_label_set_text (self->pair_label, text);
}

void
_gs_window_set_pair_run (GsWindow *self, GsRun *run)
{
  g_set_object (&self->pair_run, run);
  gtk_revealer_set_reveal_child (self->pair_revealer, run != NULL);
  _gs_window_update_pair_label (self);
  _gs_window_update_actions (self);
}

/* Sets the sidebar to this run's configuration (same seed: same initial
 * weights and mini-batch order) and waits for one change and Start; the
 * new run then opens beside this one. */
void
_gs_window_run_again (GsWindow *self, GsRun *run)
{
  if (gs_run_get_record (run) == NULL)
    return;
  _gs_window_set_pair_run (self, run);
  gs_config_panel_set_config (self->config_panel, gs_run_get_config (run));
  gs_window_select_runs (self, &run, 1);
}

GsRun *
gs_window_get_pair_run (GsWindow *self)
{
  g_return_val_if_fail (GS_IS_WINDOW (self), NULL);
  return self->pair_run;
}
