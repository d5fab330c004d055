/* gs-option-row.c: one engine option in the sidebar: label, control and
 * error line. */
#define G_LOG_DOMAIN "gs-option-row"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "gs-option-row.h"

struct _GsOptionRow
{
  const GsOptionSpec *spec;
  GtkWidget          *control;
  GtkWidget          *label;
  GtkWidget          *error_label;
  char               *refusal; /* from gs_config_set(), NULL if valid */
  GsOptionRowChanged  changed;
  gpointer            user_data;
};

/* Doubles read and print as %g, so that 1e-08 and 0.001 both fit. */
static int
on_spin_input (GtkSpinButton *spin, double *new_value)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (spin));
  char       *end = NULL;

  *new_value = g_ascii_strtod (text, &end);
  if (end == text || !isfinite (*new_value))
    return GTK_INPUT_ERROR;
  return TRUE;
}

static gboolean
on_spin_output (GtkSpinButton *spin)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  g_ascii_formatd (buf, sizeof buf, "%g", gtk_spin_button_get_value (spin));
  if (g_strcmp0 (buf, gtk_editable_get_text (GTK_EDITABLE (spin))) != 0)
    gtk_editable_set_text (GTK_EDITABLE (spin), buf);
  return TRUE;
}

/* Steps of one unit in the leading digit: 0.01 -> 0.02, 3e-4 -> 4e-4. */
static void
on_double_changed (GtkSpinButton *spin)
{
  double         value = fabs (gtk_spin_button_get_value (spin));
  GtkAdjustment *adj = gtk_spin_button_get_adjustment (spin);
  double         step;

  if (value > 0)
    step = pow (10, floor (log10 (value)));
  else
    step = (gtk_adjustment_get_upper (adj) - gtk_adjustment_get_lower (adj)) / 1000;
  gtk_spin_button_set_increments (spin, step, step * 10);
}

static GtkWidget *
make_spin (const GsOptionSpec *spec)
{
  /* A table range of [0, 0] means "any value" (the seed). */
  double     max = spec->max > spec->min ? spec->max : (double) G_MAXUINT32;
  GtkWidget *spin = gtk_spin_button_new_with_range (spec->min, max, 1);

  gtk_spin_button_set_numeric (GTK_SPIN_BUTTON (spin), FALSE);
  gtk_spin_button_set_update_policy (GTK_SPIN_BUTTON (spin), GTK_UPDATE_IF_VALID);
  if (spec->type == GS_OPTION_DOUBLE)
    {
      /* Digits only size the entry here: "output" prints with %g. */
      gtk_spin_button_set_digits (GTK_SPIN_BUTTON (spin), 0);
      g_signal_connect (spin, "input", G_CALLBACK (on_spin_input), NULL);
      g_signal_connect (spin, "output", G_CALLBACK (on_spin_output), NULL);
      g_signal_connect (spin, "value-changed", G_CALLBACK (on_double_changed), NULL);
    }
  else
    {
      gtk_spin_button_set_digits (GTK_SPIN_BUTTON (spin), 0);
      gtk_spin_button_set_increments (GTK_SPIN_BUTTON (spin), 1, 10);
    }
  gtk_editable_set_width_chars (GTK_EDITABLE (spin), 7);
  return spin;
}

static void
on_changed (GsOptionRow *row)
{
  row->changed (row, row->user_data);
}

/* The values as the CLI spells them, shown translated where they are
 * words ("none", "default"; po/gs-engine-strings.c marks them with the
 * context "option value"); names such as "sigmoid" or "adam" stay. The
 * row still reads and writes them by position. */
static GtkWidget *
make_choice (const GsOptionSpec *spec)
{
  g_autoptr (GPtrArray) shown = g_ptr_array_new ();

  for (guint i = 0; spec->choices[i] != NULL; i++)
    g_ptr_array_add (shown, (gpointer) g_dpgettext2 (GETTEXT_PACKAGE, "option value", spec->choices[i]));
  g_ptr_array_add (shown, NULL);
  return gtk_drop_down_new_from_strings ((const char *const *) shown->pdata);
}

static GtkWidget *
make_control (GsOptionRow *row)
{
  const GsOptionSpec *spec = row->spec;
  GtkWidget          *control;

  switch (spec->type)
    {
    case GS_OPTION_INT:
    case GS_OPTION_UINT64:
    case GS_OPTION_DOUBLE:
      control = make_spin (spec);
      g_signal_connect_swapped (control, "value-changed", G_CALLBACK (on_changed), row);
      break;
    case GS_OPTION_CHOICE:
      control = make_choice (spec);
      g_signal_connect_swapped (control, "notify::selected", G_CALLBACK (on_changed), row);
      break;
    case GS_OPTION_BOOL:
      control = gtk_switch_new ();
      gtk_widget_set_halign (control, GTK_ALIGN_END);
      gtk_widget_set_valign (control, GTK_ALIGN_CENTER);
      g_signal_connect_swapped (control, "notify::active", G_CALLBACK (on_changed), row);
      break;
    case GS_OPTION_INT_LIST:
    default:
      control = gtk_entry_new ();
      gtk_editable_set_width_chars (GTK_EDITABLE (control), 8);
      gtk_entry_set_placeholder_text (GTK_ENTRY (control), _ ("none or 2,2,2,1"));
      g_signal_connect_swapped (control, "changed", G_CALLBACK (on_changed), row);
      break;
    }
  gtk_widget_set_tooltip_text (control, _ (spec->help));
  return control;
}

GsOptionRow *
gs_option_row_new (
    const GsOptionSpec *spec, GtkGrid *grid, int row_index, GsOptionRowChanged changed, gpointer user_data)
{
  GsOptionRow *row = g_new0 (GsOptionRow, 1);

  row->spec = spec;
  row->changed = changed;
  row->user_data = user_data;
  row->label = gtk_label_new (_ (spec->label));
  gtk_label_set_xalign (GTK_LABEL (row->label), 0);
  gtk_widget_set_hexpand (row->label, TRUE);
  gtk_label_set_ellipsize (GTK_LABEL (row->label), PANGO_ELLIPSIZE_END);
  gtk_widget_set_tooltip_text (row->label, _ (spec->help));
  row->control = make_control (row);
  gtk_widget_set_size_request (row->control, spec->type == GS_OPTION_BOOL ? -1 : 140, -1);
  gtk_accessible_update_relation (GTK_ACCESSIBLE (row->control), GTK_ACCESSIBLE_RELATION_LABELLED_BY,
                                  row->label, NULL, -1);

  row->error_label = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (row->error_label), 0);
  gtk_label_set_wrap (GTK_LABEL (row->error_label), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (row->error_label), 30);
  gtk_widget_add_css_class (row->error_label, "error");
  gtk_widget_add_css_class (row->error_label, "caption");
  gtk_widget_set_visible (row->error_label, FALSE);

  gtk_grid_attach (grid, row->label, 0, row_index, 1, 1);
  gtk_grid_attach (grid, row->control, 1, row_index, 1, 1);
  gtk_grid_attach (grid, row->error_label, 0, row_index + 1, 2, 1);
  return row;
}

/* The widgets belong to the grid. */
void
gs_option_row_free (GsOptionRow *row)
{
  g_free (row->refusal);
  g_free (row);
}

const GsOptionSpec *
gs_option_row_get_spec (GsOptionRow *row)
{
  return row->spec;
}

GtkWidget *
gs_option_row_get_control (GsOptionRow *row)
{
  return row->control;
}

char *
gs_option_row_get_value (GsOptionRow *row)
{
  const GsOptionSpec *spec = row->spec;
  char                buf[G_ASCII_DTOSTR_BUF_SIZE];

  switch (spec->type)
    {
    case GS_OPTION_INT:
      return g_strdup_printf ("%d", gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (row->control)));
    case GS_OPTION_UINT64:
      return g_strdup_printf ("%" G_GUINT64_FORMAT,
                              (guint64) gtk_spin_button_get_value (GTK_SPIN_BUTTON (row->control)));
    case GS_OPTION_DOUBLE:
      return g_strdup (g_ascii_formatd (buf, sizeof buf, "%.6g",
                                        gtk_spin_button_get_value (GTK_SPIN_BUTTON (row->control))));
    case GS_OPTION_CHOICE:
      return g_strdup (spec->choices[gtk_drop_down_get_selected (GTK_DROP_DOWN (row->control))]);
    case GS_OPTION_BOOL:
      return g_strdup (gtk_switch_get_active (GTK_SWITCH (row->control)) ? "true" : "false");
    case GS_OPTION_INT_LIST:
    default:
      return g_strdup (gtk_editable_get_text (GTK_EDITABLE (row->control)));
    }
}

void
gs_option_row_set_value (GsOptionRow *row, const char *value)
{
  const GsOptionSpec *spec = row->spec;

  g_clear_pointer (&row->refusal, g_free);
  switch (spec->type)
    {
    case GS_OPTION_INT:
    case GS_OPTION_UINT64:
    case GS_OPTION_DOUBLE:
      gtk_spin_button_set_value (GTK_SPIN_BUTTON (row->control), g_ascii_strtod (value, NULL));
      break;
    case GS_OPTION_CHOICE:
      for (guint i = 0; spec->choices[i] != NULL; i++)
        if (g_ascii_strcasecmp (spec->choices[i], value) == 0)
          gtk_drop_down_set_selected (GTK_DROP_DOWN (row->control), i);
      break;
    case GS_OPTION_BOOL:
      gtk_switch_set_active (GTK_SWITCH (row->control), g_str_equal (value, "true"));
      break;
    case GS_OPTION_INT_LIST:
    default:
      gtk_editable_set_text (GTK_EDITABLE (row->control), value);
      break;
    }
}

void
gs_option_row_set_refusal (GsOptionRow *row, const char *reason)
{
  g_free (row->refusal);
  row->refusal = g_strdup (reason);
}

const char *
gs_option_row_get_refusal (GsOptionRow *row)
{
  return row->refusal;
}

void
gs_option_row_show_error (GsOptionRow *row, const char *message)
{
  gtk_label_set_text (GTK_LABEL (row->error_label), message != NULL ? message : "");
  gtk_widget_set_visible (row->error_label, message != NULL);
  if (message != NULL)
    gtk_widget_add_css_class (row->control, "error");
  else
    gtk_widget_remove_css_class (row->control, "error");
}

const char *
gs_option_row_get_error (GsOptionRow *row)
{
  if (!gtk_widget_get_visible (row->error_label))
    return NULL;
  return gtk_label_get_text (GTK_LABEL (row->error_label));
}

void
gs_option_row_set_sensitive (GsOptionRow *row, gboolean sensitive)
{
  gtk_widget_set_sensitive (row->control, sensitive);
  gtk_widget_set_sensitive (row->label, sensitive);
}
