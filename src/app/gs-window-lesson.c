/* gs-window-lesson.c: lesson mode: the window walks through the seed
 * experiments one step at a time.
 *
 * Each step loads its preset in the sidebar (unless a run trains), shows
 * the newest finished run of that experiment if there is one, and brings
 * its figure forward; the hint under the lesson text says which run is
 * shown or how to get one.
 */
#define G_LOG_DOMAIN "gs-window-lesson"

#include "config.h"

#include <glib/gi18n.h>

#include "gs-window-private.h"

/* The newest run of the list (this session's first, then saved ones)
 * that is a run of the step's preset. */
static GsRun *
find_lesson_run (GsWindow *self, const GsLessonStep *step)
{
  g_autoptr (GPtrArray) runs = gs_run_list_dup_runs (self->run_list);
  GsConfig config;

  gs_config_init_defaults (&config);
  if (!gs_config_load_preset (&config, step->preset, NULL))
    return NULL;
  for (guint i = 0; i < runs->len; i++)
    {
      GsRun *run = g_ptr_array_index (runs, i);
      if (gs_run_get_record (run) != NULL && !gs_run_is_active (run)
          && gs_config_same_experiment (gs_run_get_config (run), &config))
        return run;
    }
  return NULL;
}

static void
highlight_figure (GsWindow *self, const char *name)
{
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->figure_stack)); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkStackPage *page = gtk_stack_get_page (self->figure_stack, child);

      if (name != NULL && g_strcmp0 (gtk_stack_page_get_name (page), name) == 0)
        gtk_widget_add_css_class (child, "lesson-focus");
      else
        gtk_widget_remove_css_class (child, "lesson-focus");
    }
}

void
_gs_window_update_lesson_hint (GsWindow *self)
{
  const GsLessonStep *step = gs_lesson_get_step (gs_lesson_get_index (self->lesson));
  GsRun              *run = find_lesson_run (self, step);
  g_autofree char    *hint = NULL;

  if (run != NULL)
    /* Translators: %u is a run number, %s its name */
    hint = g_strdup_printf (_ ("Showing run %u, %s. Ctrl+click another run to compare."),
                            gs_run_get_number (run), gs_run_get_title (run));
  else
    hint = g_strdup (_ ("No run of this experiment yet: press Start to train it, or open a saved "
                        "run with Ctrl+O."));
  gs_lesson_set_hint (self->lesson, hint);
}

void
_gs_window_apply_lesson_step (GsWindow *self)
{
  const GsLessonStep *step = gs_lesson_get_step (gs_lesson_get_index (self->lesson));
  GsRun              *run;

  if (!self->lesson_active)
    return;
  if (self->current == NULL)
    gs_config_panel_load_preset (self->config_panel, step->preset, NULL);
  run = find_lesson_run (self, step);
  if (run != NULL)
    gs_window_select_runs (self, &run, 1);
  gs_window_show_figure (self, step->figure);
  if (step->hist_kind >= 0)
    gtk_drop_down_set_selected (self->hist_kind_dropdown, step->hist_kind);
  highlight_figure (self, step->figure);
  _gs_window_update_lesson_hint (self);
  _gs_window_update_actions (self);
}

void
_gs_window_set_lesson_active (GsWindow *self, gboolean active)
{
  active = !!active;
  if (self->lesson_active == active)
    return;
  self->lesson_active = active;
  gtk_revealer_set_reveal_child (self->lesson_revealer, active);
  if (active)
    _gs_window_apply_lesson_step (self);
  else
    highlight_figure (self, NULL);
  _gs_window_update_actions (self);
  g_object_notify (G_OBJECT (self), "lesson");
}

static void
move_lesson (GsWindow *self, gboolean forward)
{
  guint index = gs_lesson_get_index (self->lesson);

  if (forward)
    index++;
  else if (index > 0)
    index--;
  gs_lesson_set_index (self->lesson, index);
  _gs_window_apply_lesson_step (self);
}

void
_gs_window_lesson_next (GsWindow *self)
{
  move_lesson (self, TRUE);
}

void
_gs_window_lesson_previous (GsWindow *self)
{
  move_lesson (self, FALSE);
}

/* Opens the lesson at a step (0-based), or ends it (index < 0). */
void
gs_window_set_lesson_step (GsWindow *self, int index)
{
  g_return_if_fail (GS_IS_WINDOW (self));

  if (index < 0)
    {
      _gs_window_set_lesson_active (self, FALSE);
      return;
    }
  gs_lesson_set_index (self->lesson, index);
  if (self->lesson_active)
    _gs_window_apply_lesson_step (self);
  else
    _gs_window_set_lesson_active (self, TRUE);
}

int
gs_window_get_lesson_step (GsWindow *self)
{
  g_return_val_if_fail (GS_IS_WINDOW (self), -1);
  return self->lesson_active ? (int) gs_lesson_get_index (self->lesson) : -1;
}
