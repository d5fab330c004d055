/* gs-run-row.c: one run in the window's run list: its name (the preset and
 * the options that differ from it), what it is doing or how it ended, its
 * accuracy, and a mark when it diverged. */
#define G_LOG_DOMAIN "gs-run-row"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "gs-run-row.h"

struct _GsRunRow
{
  GtkListBoxRow parent_instance;

  GtkImage  *status_icon;
  GtkLabel  *title_label;
  GtkLabel  *status_label;
  GtkLabel  *accuracy_label;
  GtkWidget *delete_button;

  GsRun *run;
};

G_DEFINE_FINAL_TYPE (GsRunRow, gs_run_row, GTK_TYPE_LIST_BOX_ROW)

static const char *
state_icon (GsRunState state)
{
  switch (state)
    {
    case GS_RUN_RUNNING:
      return "media-playback-start-symbolic";
    case GS_RUN_PAUSED:
      return "media-playback-pause-symbolic";
    case GS_RUN_STOPPED:
      return "media-playback-stop-symbolic";
    case GS_RUN_DIVERGED:
    case GS_RUN_FAILED:
      return "dialog-warning-symbolic";
    case GS_RUN_FINISHED:
    case GS_RUN_READY:
    default:
      return NULL; /* a check mark would read as "selected" */
    }
}

static void
gs_run_row_update (GsRunRow *self)
{
  GsRunState       state = gs_run_get_state (self->run);
  g_autofree char *title = NULL;
  g_autofree char *status = gs_run_dup_status (self->run);
  g_autofree char *accuracy = NULL;
  double           acc = gs_run_get_accuracy (self->run);
  gboolean         bad = state == GS_RUN_DIVERGED || state == GS_RUN_FAILED;
  GsRecord        *record;

  title = g_strdup_printf ("%u. %s", gs_run_get_number (self->run), gs_run_get_title (self->run));
  gtk_label_set_text (self->title_label, title);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->title_label), title);
  gtk_label_set_text (self->status_label, status);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->status_label),
                               gs_run_get_error (self->run) != NULL ? gs_run_get_error (self->run) : status);
  gtk_image_set_from_icon_name (self->status_icon, state_icon (state));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->status_icon), status);

  if (isfinite (acc))
    accuracy = g_strdup_printf ("%.1f %%", 100 * acc);
  gtk_label_set_text (self->accuracy_label, accuracy != NULL ? accuracy : "–");
  record = gs_run_get_record (self->run);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->accuracy_label),
                               record != NULL && gs_record_has_test (record)
                                   ? _ ("Test accuracy")
                                   : _ ("Validation accuracy, last epoch"));

  /* Only files of the run library can be deleted from here. */
  gtk_widget_set_visible (self->delete_button,
                          gs_run_get_file (self->run) != NULL && !gs_run_is_active (self->run));
  gtk_actionable_set_action_target (GTK_ACTIONABLE (self->delete_button), "u", gs_run_get_number (self->run));
  if (gs_run_get_file (self->run) != NULL)
    {
      g_autofree char *tip = g_strdup_printf ("%s\n%s", title, gs_run_get_file (self->run));
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->title_label), tip);
    }

  if (bad)
    gtk_widget_add_css_class (GTK_WIDGET (self), "diverged");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self), "diverged");
}

static void
gs_run_row_dispose (GObject *object)
{
  GsRunRow *self = GS_RUN_ROW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), GS_TYPE_RUN_ROW);
  g_clear_object (&self->run);

  G_OBJECT_CLASS (gs_run_row_parent_class)->dispose (object);
}

static void
gs_run_row_class_init (GsRunRowClass *klass)
{
  GObjectClass   *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = gs_run_row_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/gradscope/Gradscope/ui/gs-run-row.ui");
  gtk_widget_class_bind_template_child (widget_class, GsRunRow, status_icon);
  gtk_widget_class_bind_template_child (widget_class, GsRunRow, title_label);
  gtk_widget_class_bind_template_child (widget_class, GsRunRow, status_label);
  gtk_widget_class_bind_template_child (widget_class, GsRunRow, accuracy_label);
  gtk_widget_class_bind_template_child (widget_class, GsRunRow, delete_button);
}

static void
gs_run_row_init (GsRunRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
gs_run_row_new (GsRun *run)
{
  GsRunRow *self;

  g_return_val_if_fail (GS_IS_RUN (run), NULL);

  self = g_object_new (GS_TYPE_RUN_ROW, NULL);
  self->run = g_object_ref (run);
  g_signal_connect_object (run, "updated", G_CALLBACK (gs_run_row_update), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (run, "notify::state", G_CALLBACK (gs_run_row_update), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (run, "notify::file", G_CALLBACK (gs_run_row_update), self, G_CONNECT_SWAPPED);
  gs_run_row_update (self);
  return GTK_WIDGET (self);
}

GsRun *
gs_run_row_get_run (GsRunRow *self)
{
  g_return_val_if_fail (GS_IS_RUN_ROW (self), NULL);
  return self->run;
}
