/* gs-window-lesson.c: lesson mode: the window walks through the seed
 * experiments one step at a time.
 *
 * Each step loads its preset in the sidebar (unless a run trains), brings
 * its figure forward and shows the run it talks about: the live run when
 * that experiment is training, else the newest finished one, beside the
 * run its text compares with (step->beside). A step whose run is missing
 * shows no figure of another experiment: a notice over the figures says
 * so, with a button that trains it now. The At Init steps probe the
 * sidebar's network and need no run. "Prepare Lesson" trains every run
 * the lesson needs in the background (gs-lesson-plan.h), saved among the
 * saved runs for the next class.
 */
#define G_LOG_DOMAIN "gs-window-lesson"

#include "config.h"

#include <glib/gi18n.h>

#include "gs-lesson-plan.h"
#include "gs-window-private.h"
#include "gs-worker.h"

/* What the window's training reaches on two cores at the seed
 * experiments' sizes (6 x parameters FLOPs a sample), when no run of this
 * session has measured it yet: bench/RESULTS.md has 131K samples/s for
 * 200K parameters. */
#define DEFAULT_FLOPS_PER_S 1.5e11

static gboolean
is_run_of (GsRun *run, const GsConfig *config)
{
  return gs_config_same_experiment (gs_run_get_config (run), config);
}

/* The run a step shows of a preset: the live one when this experiment is
 * training, else the newest finished one (this session's first, then the
 * saved ones). */
static GsRun *
find_run_of (GsWindow *self, const char *preset)
{
  g_autoptr (GPtrArray) runs = gs_run_list_dup_runs (self->run_list);
  GsConfig config;

  gs_config_init_defaults (&config);
  if (!gs_config_load_preset (&config, preset, NULL))
    return NULL;
  if (self->current != NULL && is_run_of (self->current, &config))
    return self->current;
  for (guint i = 0; i < runs->len; i++)
    {
      GsRun *run = g_ptr_array_index (runs, i);
      if (gs_run_get_record (run) != NULL && !gs_run_is_active (run) && is_run_of (run, &config))
        return run;
    }
  return NULL;
}

static const GsLessonStep *
current_step (GsWindow *self)
{
  return gs_lesson_get_step (gs_lesson_get_index (self->lesson));
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

static double
n_parameters (const GsConfig *c, guint n_inputs, guint n_classes)
{
  return (double) n_inputs * c->width + (double) (c->depth - 1) * c->width * c->width
         + (double) c->width * n_classes;
}

/* FLOP/s that this session's finished runs reached, or the default. */
static double
measured_flops (GsWindow *self)
{
  g_autoptr (GPtrArray) runs = gs_run_list_dup_runs (self->run_list);
  const GsDataset *data = gs_shared_data_get (self->data);

  for (guint i = 0; i < runs->len; i++)
    {
      GsRun    *run = g_ptr_array_index (runs, i);
      GsRecord *rec = gs_run_get_record (run);
      if (rec != NULL && !gs_run_get_from_library (run) && !gs_run_is_active (run)
          && gs_record_seconds (rec) > 1)
        {
          const GsConfig *c = gs_record_config (rec);
          return 6 * n_parameters (c, data->rows * data->cols, data->n_classes) * gs_record_n_steps (rec)
                 * c->batch_size / gs_record_seconds (rec);
        }
    }
  return DEFAULT_FLOPS_PER_S;
}

/* Seconds to train the step's run at the lesson's length, roughly. */
static double
estimate_seconds (GsWindow *self, const GsConfig *c)
{
  const GsDataset *data = gs_shared_data_get (self->data);
  double           phases = MAX (1, c->n_stages) * (c->finetune ? 2 : 1);
  double           samples = data->train.n * 0.9 * c->epochs * phases;

  return 6 * n_parameters (c, data->rows * data->cols, data->n_classes) * samples / measured_flops (self);
}

static gboolean
lesson_config (GsWindow *self, const GsLessonStep *step, GsConfig *config)
{
  return gs_lesson_config (config, step->preset, gs_lesson_get_prepare_epochs (self->lesson), NULL);
}

/* The notice over the figures when the step's run is missing, or none. */
static void
show_missing (GsWindow *self, const GsLessonStep *step)
{
  const GsPreset  *preset = step != NULL ? gs_preset_find (step->preset) : NULL;
  g_autofree char *title = NULL, *detail = NULL;
  GsConfig         config;

  gtk_widget_set_visible (self->lesson_missing, preset != NULL);
  if (preset == NULL)
    return;
  /* Translators: %s is an experiment, e.g. "Larger weights (std 1)" */
  title = g_strdup_printf (_ ("No run of “%s” yet"), _ (preset->title));
  if (self->data != NULL && lesson_config (self, step, &config))
    detail = g_strdup_printf (
        /* Translators: %d epochs, %.0f seconds */
        _ ("Train it now: %d epochs, about %.0f s on this machine. Or prepare the whole lesson once "
           "(Prepare Lesson, above): every run is saved for the next class."),
        config.epochs, MAX (1, estimate_seconds (self, &config)));
  else
    detail = g_strdup (_ ("The data set is still loading."));
  gtk_label_set_text (self->missing_title, title);
  gtk_label_set_text (self->missing_detail, detail);
}

static void
update_hint (GsWindow *self, const GsLessonStep *step, GsRun *run, GsRun *beside)
{
  g_autofree char *hint = NULL;

  if (!gs_lesson_step_needs_run (step))
    hint = g_strdup (_ ("This figure needs no training: it probes the network set up in the sidebar at "
                        "initialisation. Change the depth or the initialisation and watch it follow."));
  else if (run == NULL)
    hint = NULL; /* the notice over the figures says it, in large type */
  else if (gs_run_is_active (run))
    hint = g_strdup_printf (_ ("Run %u is training: the figure follows it live."), gs_run_get_number (run));
  else if (beside != NULL)
    /* Translators: run numbers and names; the first is shown on the left */
    hint = g_strdup_printf (_ ("Run %u, %s, beside run %u, %s."), gs_run_get_number (beside),
                            gs_run_get_title (beside), gs_run_get_number (run), gs_run_get_title (run));
  else
    /* Translators: %u is a run number, %s its name */
    hint = g_strdup_printf (_ ("Showing run %u, %s. Ctrl+click another run to compare."),
                            gs_run_get_number (run), gs_run_get_title (run));
  gs_lesson_set_hint (self->lesson, hint);
}

/* Shows the runs the step talks about, or the notice that one is missing;
 * called on every step and whenever runs come and go. */
void
_gs_window_refresh_lesson (GsWindow *self)
{
  const GsLessonStep *step = current_step (self);
  GsRun              *run = NULL, *beside = NULL;

  if (!self->lesson_active)
    return;
  if (gs_lesson_step_needs_run (step))
    {
      run = find_run_of (self, step->preset);
      beside = run != NULL && step->beside != NULL ? find_run_of (self, step->beside) : NULL;
      if (beside != NULL)
        {
          GsRun *both[2] = { beside, run };
          gs_window_select_runs (self, both, 2);
        }
      else
        gs_window_select_runs (self, &run, run != NULL);
    }
  show_missing (self, run == NULL && gs_lesson_step_needs_run (step) ? step : NULL);
  update_hint (self, step, run, beside);
  _gs_window_update_actions (self);
}

void
_gs_window_apply_lesson_step (GsWindow *self)
{
  const GsLessonStep *step = current_step (self);

  if (!self->lesson_active)
    return;
  if (self->current == NULL)
    gs_config_panel_load_preset (self->config_panel, step->preset, NULL);
  gs_window_show_figure (self, step->figure);
  highlight_figure (self, step->figure);
  _gs_window_refresh_lesson (self);
  g_object_notify (G_OBJECT (self), "lesson-step");
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
    {
      highlight_figure (self, NULL);
      show_missing (self, NULL);
    }
  _gs_window_update_actions (self);
  g_object_notify (G_OBJECT (self), "lesson");
  g_object_notify (G_OBJECT (self), "lesson-step");
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

/* "Train It Now" on the notice: the step's run at the lesson's length. */
void
_gs_window_train_lesson_step (GsWindow *self)
{
  const GsLessonStep *step = current_step (self);
  g_autofree char    *epochs = g_strdup_printf ("%d", gs_lesson_get_prepare_epochs (self->lesson));

  if (!self->lesson_active || self->current != NULL)
    return;
  if (!gs_config_panel_load_preset (self->config_panel, step->preset, NULL)
      || !gs_config_panel_set_option (self->config_panel, "epochs", epochs, NULL))
    return;
  gs_window_start (self);
  _gs_window_refresh_lesson (self);
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
