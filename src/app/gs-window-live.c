/* gs-window-live.c: changing the training while it runs.
 *
 * While a run trains or is paused the sidebar shows it: the options that
 * cannot change live are locked, and a change of another becomes an
 * intervention from the run's next step (gs_run_change ()), the path
 * gradscope-cli train --at takes too, so the run is the one --at at that
 * step gives. self->live_config is the run's configuration as changed so
 * far: the sidebar differs from it in what was just changed. Run Again
 * repeats the run's interventions.
 */
#define G_LOG_DOMAIN "gs-window"

#include "config.h"


#include "gs-window-private.h"

void
_gs_window_begin_live (GsWindow *self)
{
  self->live_config = *gs_config_panel_get_config (self->config_panel);
  gs_config_panel_set_live (self->config_panel, TRUE);
}

void
_gs_window_end_live (GsWindow *self)
{
  gs_config_panel_set_live (self->config_panel, FALSE);
}

/* A sidebar whose locked options no longer are the run's (a preset loaded
 * from a script) sets up the next run: it stops showing this one. */
static gboolean
still_shows_run (GsWindow *self, const GsConfig *want)
{
  guint               n;
  const GsOptionSpec *o = gs_config_options (&n);

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *have = gs_config_get (&self->live_config, o[i].name);
      g_autofree char *value = gs_config_get (want, o[i].name);
      if (!o[i].live && !g_str_equal (have, value))
        return FALSE;
    }
  return TRUE;
}

/* Each live option the sidebar changed becomes an intervention; one the
 * run refuses is named in the banner and the sidebar shows the run's value
 * again. */
void
_gs_window_apply_live_changes (GsWindow *self)
{
  const GsConfig     *want = gs_config_panel_get_config (self->config_panel);
  guint               n;
  const GsOptionSpec *o = gs_config_options (&n);

  if (self->current == NULL || !gs_config_panel_get_live (self->config_panel))
    return;
  if (!still_shows_run (self, want))
    {
      _gs_window_end_live (self);
      return;
    }
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *have = gs_config_get (&self->live_config, o[i].name);
      g_autofree char *value = gs_config_get (want, o[i].name);
      g_autoptr (GError) error = NULL;
      if (!o[i].live || g_str_equal (have, value))
        continue;
      if (gs_run_change (self->current, o[i].name, value, &error))
        gs_config_set (&self->live_config, o[i].name, value, NULL);
      else
        {
          _gs_window_show_banner (self, error->message);
          gs_config_panel_set_option (self->config_panel, o[i].name, have, NULL);
        }
    }
}

/* What gs_window_set_option () (app.set-option) refuses while a run
 * trains: an option that cannot change live, or a value it cannot take. */
gboolean
_gs_window_check_live_option (GsWindow *self, const char *name, const char *value, GError **error)
{
  GsConfig scratch = self->live_config;

  if (self->current == NULL || !gs_config_panel_get_live (self->config_panel))
    return TRUE;
  return gs_intervention_set (&scratch, name, value, error);
}

/* Run Again: the new run makes the changes the old one made, at the same
 * steps (an intervention of the sidebar's own then comes on top). */
void
_gs_window_repeat_schedule (GsWindow *self, GsRun *run, GsRun *from)
{
  GsRecord *rec = from != NULL ? gs_run_get_record (from) : NULL;
  g_autoptr (GArray) list = NULL;

  if (rec == NULL || gs_record_n_interventions (rec) == 0)
    return;
  list = g_array_new (FALSE, FALSE, sizeof (GsIntervention));
  for (guint i = 0; i < gs_record_n_interventions (rec); i++)
    {
      GsIntervention iv = *gs_record_intervention (rec, i);
      iv.from[0] = '\0';
      g_array_append_val (list, iv);
    }
  gs_run_set_schedule (run, (const GsIntervention *) (gpointer) list->data, list->len);
}
