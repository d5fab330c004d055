/* gs-config-panel.c: the sidebar that sets up the next run.
 *
 * One control per entry of gs_config_options(): a spin button with the
 * option's range for numbers, a drop-down for choices, a switch for booleans
 * and an entry for integer lists. Every change goes through gs_config_set()
 * and gs_config_validate(), whose messages are shown beside the control they
 * name. Choosing a preset sets every control; touching one afterwards turns
 * the preset chooser into "Custom (from <preset>)".
 *
 * Labels, help lines and preset names come from the engine's table, in
 * English; they are translated here (po/gs-engine-strings.c lists them for
 * xgettext).
 */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "gs-config-panel.h"

typedef struct
{
  GsConfigPanel      *panel;
  const GsOptionSpec *spec;
  GtkWidget          *control;
  GtkWidget          *label;
  GtkWidget          *error_label;
  char               *set_error;   /* from gs_config_set(), NULL if valid */
} OptionControl;

struct _GsConfigPanel
{
  GtkWidget       parent_instance;

  GtkDropDown    *preset_dropdown;
  GtkStringList  *preset_list;
  GtkLabel       *preset_description;
  GtkBox         *options_box;
  GtkLabel       *config_error;
  GtkLabel       *data_name;
  GtkLabel       *data_source;
  GtkLabel       *data_hint;

  GsConfig        config;
  GPtrArray      *controls;        /* of OptionControl */
  guint           n_presets;       /* the "Custom" item follows the presets */
  int             syncing;
  gboolean        valid;
};

G_DEFINE_FINAL_TYPE (GsConfigPanel, gs_config_panel, GTK_TYPE_WIDGET)

enum { CHANGED, N_SIGNALS };
static guint signals[N_SIGNALS];

static void
option_control_free (gpointer data)
{
  OptionControl *oc = data;

  g_free (oc->set_error);
  g_free (oc);
}

static OptionControl *
find_control (GsConfigPanel *self,
              const char    *name)
{
  for (guint i = 0; i < self->controls->len; i++)
    {
      OptionControl *oc = g_ptr_array_index (self->controls, i);
      if (g_str_equal (oc->spec->name, name))
        return oc;
    }
  return NULL;
}

static const char *
group_title (const char *group)
{
  if (g_strcmp0 (group, "network") == 0)
    return _("Network");
  if (g_strcmp0 (group, "init") == 0)
    return _("Initialisation");
  if (g_strcmp0 (group, "training") == 0)
    return _("Training");
  if (g_strcmp0 (group, "data") == 0)
    return _("Data");
  return group;
}

/* Options that only matter for some values of another; insensitive otherwise. */
static gboolean
option_applies (const GsConfig *c,
                const char     *name)
{
  if (g_str_equal (name, "init-std"))
    return c->init == GS_INIT_NORMAL;
  if (g_str_equal (name, "skip-every"))
    return c->skip == GS_SKIP_EVERY;
  if (g_str_equal (name, "momentum"))
    return c->optimizer == GS_OPTIM_MOMENTUM || c->optimizer == GS_OPTIM_NESTEROV;
  if (g_str_equal (name, "alpha"))
    return c->optimizer == GS_OPTIM_RMSPROP;
  if (g_str_equal (name, "beta1") || g_str_equal (name, "beta2"))
    return c->optimizer == GS_OPTIM_ADAM || c->optimizer == GS_OPTIM_ADAMW;
  if (g_str_equal (name, "eps"))
    return c->optimizer == GS_OPTIM_RMSPROP || c->optimizer == GS_OPTIM_ADAM ||
           c->optimizer == GS_OPTIM_ADAMW;
  if (g_str_equal (name, "finetune"))
    return c->n_stages > 0;
  return TRUE;
}

/* Control -> string value, in the form gs_config_set() reads. */
static char *
control_get_value (OptionControl *oc)
{
  const GsOptionSpec *spec = oc->spec;
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  switch (spec->type)
    {
    case GS_OPTION_INT:
      return g_strdup_printf ("%d", gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (oc->control)));
    case GS_OPTION_UINT64:
      return g_strdup_printf ("%" G_GUINT64_FORMAT,
                              (guint64) gtk_spin_button_get_value (GTK_SPIN_BUTTON (oc->control)));
    case GS_OPTION_DOUBLE:
      return g_strdup (g_ascii_formatd (buf, sizeof buf, "%.6g",
                                        gtk_spin_button_get_value (GTK_SPIN_BUTTON (oc->control))));
    case GS_OPTION_CHOICE:
      return g_strdup (spec->choices[gtk_drop_down_get_selected (GTK_DROP_DOWN (oc->control))]);
    case GS_OPTION_BOOL:
      return g_strdup (gtk_switch_get_active (GTK_SWITCH (oc->control)) ? "true" : "false");
    case GS_OPTION_INT_LIST:
    default:
      return g_strdup (gtk_editable_get_text (GTK_EDITABLE (oc->control)));
    }
}

static gboolean
parse_bool (const char *value)
{
  return g_ascii_strcasecmp (value, "true") == 0 || g_str_equal (value, "1") ||
         g_ascii_strcasecmp (value, "yes") == 0 || g_ascii_strcasecmp (value, "on") == 0;
}

/* String value -> control, without emitting anything (self->syncing). */
static void
control_set_value (OptionControl *oc,
                   const char    *value)
{
  const GsOptionSpec *spec = oc->spec;

  switch (spec->type)
    {
    case GS_OPTION_INT:
    case GS_OPTION_UINT64:
    case GS_OPTION_DOUBLE:
      gtk_spin_button_set_value (GTK_SPIN_BUTTON (oc->control), g_ascii_strtod (value, NULL));
      break;
    case GS_OPTION_CHOICE:
      for (guint i = 0; spec->choices[i] != NULL; i++)
        if (g_ascii_strcasecmp (spec->choices[i], value) == 0)
          gtk_drop_down_set_selected (GTK_DROP_DOWN (oc->control), i);
      break;
    case GS_OPTION_BOOL:
      gtk_switch_set_active (GTK_SWITCH (oc->control), parse_bool (value));
      break;
    case GS_OPTION_INT_LIST:
    default:
      gtk_editable_set_text (GTK_EDITABLE (oc->control), value);
      break;
    }
}

static void
show_option_error (OptionControl *oc,
                   const char    *message)
{
  gtk_label_set_text (GTK_LABEL (oc->error_label), message != NULL ? message : "");
  gtk_widget_set_visible (oc->error_label, message != NULL);
  if (message != NULL)
    gtk_widget_add_css_class (oc->control, "error");
  else
    gtk_widget_remove_css_class (oc->control, "error");
}

/* The engine's messages start with "--name: "; returns the control named
 * and, in *rest, the message without that prefix. */
static OptionControl *
control_named_in (GsConfigPanel  *self,
                  const char     *message,
                  const char    **rest)
{
  *rest = message;
  if (!g_str_has_prefix (message, "--"))
    return NULL;
  for (guint i = 0; i < self->controls->len; i++)
    {
      OptionControl *oc = g_ptr_array_index (self->controls, i);
      gsize len = strlen (oc->spec->name);

      if (strncmp (message + 2, oc->spec->name, len) == 0 && message[2 + len] == ':')
        {
          *rest = message + 2 + len + 1;
          while (**rest == ' ')
            (*rest)++;
          return oc;
        }
    }
  return NULL;
}

/* The engine speaks in CLI terms ("--depth is 5"); the sidebar shows
 * the labels its controls carry ("“Hidden layers” is 5"). */
static char *
humanize (GsConfigPanel *self,
          const char    *message)
{
  g_autoptr(GString) text = g_string_new (message);

  for (guint i = 0; i < self->controls->len; i++)
    {
      OptionControl *oc = g_ptr_array_index (self->controls, i);
      g_autofree char *flag = g_strconcat ("--", oc->spec->name, NULL);
      g_autofree char *label = g_strdup_printf ("“%s”", _(oc->spec->label));
      gsize len = strlen (flag);

      for (char *p = strstr (text->str, flag); p != NULL; p = strstr (text->str + (p - text->str) + 1, flag))
        {
          gsize pos = p - text->str;
          char next = text->str[pos + len];

          if (g_ascii_isalnum (next) || next == '-')
            continue;
          g_string_erase (text, pos, len);
          g_string_insert (text, pos, label);
          p = text->str + pos;
        }
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static char *
strip_option_prefix (GsConfigPanel *self,
                     const char    *message)
{
  const char *rest;

  control_named_in (self, message, &rest);
  return humanize (self, rest);
}

/* Shows every error beside its control, and the first one again at the
 * top of the panel (the control may be scrolled out of view); decides
 * self->valid. */
static void
validate (GsConfigPanel *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *summary = NULL;
  g_autofree char *rest = NULL;
  OptionControl *named = NULL;

  if (!gs_config_validate (&self->config, &error))
    {
      const char *tail;

      named = control_named_in (self, error->message, &tail);
      rest = humanize (self, tail);
    }

  for (guint i = 0; i < self->controls->len; i++)
    {
      OptionControl *oc = g_ptr_array_index (self->controls, i);
      const char *message = oc->set_error;
      gboolean applies = option_applies (&self->config, oc->spec->name);

      if (message == NULL && oc == named)
        message = rest;
      show_option_error (oc, message);
      if (message != NULL && summary == NULL)
        summary = g_strdup_printf ("%s: %s", _(oc->spec->label), message);
      gtk_widget_set_sensitive (oc->control, applies);
      gtk_widget_set_sensitive (oc->label, applies);
    }
  if (summary == NULL && error != NULL)
    summary = g_strdup (rest);

  gtk_label_set_text (self->config_error, summary != NULL ? summary : "");
  gtk_widget_set_visible (GTK_WIDGET (self->config_error), summary != NULL);
  self->valid = summary == NULL;
}

/* Why Start is not possible, or NULL. */
const char *
gs_config_panel_get_problem (GsConfigPanel *self)
{
  g_return_val_if_fail (GS_IS_CONFIG_PANEL (self), NULL);
  return self->valid ? NULL : gtk_label_get_text (self->config_error);
}

static void
sync_controls (GsConfigPanel *self)
{
  self->syncing++;
  for (guint i = 0; i < self->controls->len; i++)
    {
      OptionControl *oc = g_ptr_array_index (self->controls, i);
      g_autofree char *value = gs_config_get (&self->config, oc->spec->name);

      g_clear_pointer (&oc->set_error, g_free);
      if (value != NULL)
        control_set_value (oc, value);
    }
  self->syncing--;
  validate (self);
}

static const GsPreset *
current_preset (GsConfigPanel *self)
{
  return self->config.preset[0] != '\0' ? gs_preset_find (self->config.preset) : NULL;
}

/* Shows the preset (or "Custom (from X)") and its description. */
static void
sync_preset (GsConfigPanel *self,
             gboolean       custom)
{
  const GsPreset *preset = current_preset (self);
  g_autofree char *custom_label = NULL;
  guint selected = self->n_presets;

  if (preset != NULL && custom)
    custom_label = g_strdup_printf (_("Custom (from %s)"), preset->id);
  else
    custom_label = g_strdup (_("Custom"));

  if (preset != NULL && !custom)
    {
      guint n;
      const GsPreset *presets = gs_presets (&n);
      selected = preset - presets;
    }

  self->syncing++;
  gtk_string_list_splice (self->preset_list, self->n_presets, 1,
                          (const char *const[]) { custom_label, NULL });
  gtk_drop_down_set_selected (self->preset_dropdown, selected);
  self->syncing--;

  gtk_label_set_text (self->preset_description,
                      preset != NULL && !custom ? _(preset->description)
                      : preset != NULL ? _("Options changed after choosing the preset.")
                      : _("Options chosen by hand."));
}

static void
emit_changed (GsConfigPanel *self)
{
  g_signal_emit (self, signals[CHANGED], 0);
}

static void
on_control_changed (OptionControl *oc)
{
  GsConfigPanel *self = oc->panel;
  g_autoptr(GError) error = NULL;
  g_autofree char *value = NULL;

  if (self->syncing)
    return;

  value = control_get_value (oc);
  g_clear_pointer (&oc->set_error, g_free);
  if (!gs_config_set (&self->config, oc->spec->name, value, &error))
    oc->set_error = strip_option_prefix (self, error->message);

  validate (self);
  sync_preset (self, TRUE);
  emit_changed (self);
}

/* Doubles read and print as %g, so that 1e-08 and 0.001 both fit. */
static int
on_spin_input (GtkSpinButton *spin,
               double        *new_value)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (spin));
  char *end = NULL;

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
  double value = fabs (gtk_spin_button_get_value (spin));
  GtkAdjustment *adj = gtk_spin_button_get_adjustment (spin);
  double step;

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
  double max = spec->max > spec->min ? spec->max : (double) G_MAXUINT32;
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

static GtkWidget *
make_control (OptionControl *oc)
{
  const GsOptionSpec *spec = oc->spec;
  GtkWidget *control;

  switch (spec->type)
    {
    case GS_OPTION_INT:
    case GS_OPTION_UINT64:
    case GS_OPTION_DOUBLE:
      control = make_spin (spec);
      g_signal_connect_swapped (control, "value-changed", G_CALLBACK (on_control_changed), oc);
      break;
    case GS_OPTION_CHOICE:
      control = gtk_drop_down_new_from_strings (spec->choices);
      g_signal_connect_swapped (control, "notify::selected", G_CALLBACK (on_control_changed), oc);
      break;
    case GS_OPTION_BOOL:
      control = gtk_switch_new ();
      gtk_widget_set_halign (control, GTK_ALIGN_END);
      gtk_widget_set_valign (control, GTK_ALIGN_CENTER);
      g_signal_connect_swapped (control, "notify::active", G_CALLBACK (on_control_changed), oc);
      break;
    case GS_OPTION_INT_LIST:
    default:
      control = gtk_entry_new ();
      gtk_editable_set_width_chars (GTK_EDITABLE (control), 8);
      gtk_entry_set_placeholder_text (GTK_ENTRY (control), _("none or 2,2,2,1"));
      g_signal_connect_swapped (control, "changed", G_CALLBACK (on_control_changed), oc);
      break;
    }
  gtk_widget_set_tooltip_text (control, _(spec->help));
  return control;
}

static GtkWidget *
add_group (GsConfigPanel *self,
           const char    *group)
{
  GtkWidget *heading = gtk_label_new (group_title (group));
  GtkWidget *grid = gtk_grid_new ();

  gtk_label_set_xalign (GTK_LABEL (heading), 0);
  gtk_widget_add_css_class (heading, "heading");
  gtk_widget_add_css_class (heading, "group-heading");
  gtk_box_append (self->options_box, heading);

  gtk_grid_set_row_spacing (GTK_GRID (grid), 6);
  gtk_grid_set_column_spacing (GTK_GRID (grid), 12);
  gtk_box_append (self->options_box, grid);
  return grid;
}

static void
add_option (GsConfigPanel      *self,
            GtkWidget          *grid,
            const GsOptionSpec *spec,
            int                 row)
{
  OptionControl *oc = g_new0 (OptionControl, 1);

  oc->panel = self;
  oc->spec = spec;
  oc->label = gtk_label_new (_(spec->label));
  gtk_label_set_xalign (GTK_LABEL (oc->label), 0);
  gtk_widget_set_hexpand (oc->label, TRUE);
  gtk_label_set_ellipsize (GTK_LABEL (oc->label), PANGO_ELLIPSIZE_END);
  gtk_widget_set_tooltip_text (oc->label, _(spec->help));
  oc->control = make_control (oc);
  gtk_widget_set_size_request (oc->control, spec->type == GS_OPTION_BOOL ? -1 : 140, -1);
  gtk_accessible_update_relation (GTK_ACCESSIBLE (oc->control),
                                  GTK_ACCESSIBLE_RELATION_LABELLED_BY, oc->label, NULL, -1);

  oc->error_label = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (oc->error_label), 0);
  gtk_label_set_wrap (GTK_LABEL (oc->error_label), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (oc->error_label), 30);
  gtk_widget_add_css_class (oc->error_label, "error");
  gtk_widget_add_css_class (oc->error_label, "caption");
  gtk_widget_set_visible (oc->error_label, FALSE);

  gtk_grid_attach (GTK_GRID (grid), oc->label, 0, row, 1, 1);
  gtk_grid_attach (GTK_GRID (grid), oc->control, 1, row, 1, 1);
  gtk_grid_attach (GTK_GRID (grid), oc->error_label, 0, row + 1, 2, 1);
  g_ptr_array_add (self->controls, oc);
}

/* One heading and grid per group, in table order. */
static void
build_options (GsConfigPanel *self)
{
  guint n_options;
  const GsOptionSpec *options = gs_config_options (&n_options);
  g_autoptr(GPtrArray) groups = g_ptr_array_new ();

  for (guint i = 0; i < n_options; i++)
    if (!g_ptr_array_find_with_equal_func (groups, options[i].group, g_str_equal, NULL))
      g_ptr_array_add (groups, (gpointer) options[i].group);

  for (guint g = 0; g < groups->len; g++)
    {
      GtkWidget *grid = add_group (self, g_ptr_array_index (groups, g));
      int row = 0;

      for (guint i = 0; i < n_options; i++)
        if (g_str_equal (options[i].group, g_ptr_array_index (groups, g)))
          {
            add_option (self, grid, &options[i], row);
            row += 2;
          }
    }
}

static void
on_preset_selected (GsConfigPanel *self)
{
  guint selected = gtk_drop_down_get_selected (self->preset_dropdown);
  guint n;
  const GsPreset *presets = gs_presets (&n);

  if (self->syncing || selected >= self->n_presets)
    return;
  gs_config_panel_load_preset (self, presets[selected].id, NULL);
}

static void
build_presets (GsConfigPanel *self)
{
  const GsPreset *presets = gs_presets (&self->n_presets);

  for (guint i = 0; i < self->n_presets; i++)
    gtk_string_list_append (self->preset_list, _(presets[i].title));
  gtk_string_list_append (self->preset_list, _("Custom"));
  g_signal_connect_swapped (self->preset_dropdown, "notify::selected",
                            G_CALLBACK (on_preset_selected), self);
}

static void
gs_config_panel_dispose (GObject *object)
{
  GsConfigPanel *self = GS_CONFIG_PANEL (object);
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (self), GS_TYPE_CONFIG_PANEL);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (gs_config_panel_parent_class)->dispose (object);
}

static void
gs_config_panel_finalize (GObject *object)
{
  GsConfigPanel *self = GS_CONFIG_PANEL (object);

  g_ptr_array_unref (self->controls);

  G_OBJECT_CLASS (gs_config_panel_parent_class)->finalize (object);
}

static void
gs_config_panel_class_init (GsConfigPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = gs_config_panel_dispose;
  object_class->finalize = gs_config_panel_finalize;

  /* The configuration changed (a control, a preset or a restore). */
  signals[CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/gradscope/Gradscope/ui/gs-config-panel.ui");
  gtk_widget_class_bind_template_child (widget_class, GsConfigPanel, preset_dropdown);
  gtk_widget_class_bind_template_child (widget_class, GsConfigPanel, preset_list);
  gtk_widget_class_bind_template_child (widget_class, GsConfigPanel, preset_description);
  gtk_widget_class_bind_template_child (widget_class, GsConfigPanel, options_box);
  gtk_widget_class_bind_template_child (widget_class, GsConfigPanel, config_error);
  gtk_widget_class_bind_template_child (widget_class, GsConfigPanel, data_name);
  gtk_widget_class_bind_template_child (widget_class, GsConfigPanel, data_source);
  gtk_widget_class_bind_template_child (widget_class, GsConfigPanel, data_hint);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "configpanel");
}

static void
gs_config_panel_init (GsConfigPanel *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->controls = g_ptr_array_new_with_free_func (option_control_free);
  gs_config_init_defaults (&self->config);
  build_presets (self);
  build_options (self);
  sync_controls (self);
  sync_preset (self, FALSE);
}

const GsConfig *
gs_config_panel_get_config (GsConfigPanel *self)
{
  g_return_val_if_fail (GS_IS_CONFIG_PANEL (self), NULL);
  return &self->config;
}

/* FALSE while any control shows an error. */
gboolean
gs_config_panel_get_valid (GsConfigPanel *self)
{
  g_return_val_if_fail (GS_IS_CONFIG_PANEL (self), FALSE);
  return self->valid;
}

gboolean
gs_config_panel_get_custom (GsConfigPanel *self)
{
  g_return_val_if_fail (GS_IS_CONFIG_PANEL (self), FALSE);
  return gtk_drop_down_get_selected (self->preset_dropdown) >= self->n_presets;
}

gboolean
gs_config_panel_load_preset (GsConfigPanel  *self,
                             const char     *id,
                             GError        **error)
{
  GsConfig config;

  g_return_val_if_fail (GS_IS_CONFIG_PANEL (self), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);

  gs_config_init_defaults (&config);
  if (!gs_config_load_preset (&config, id, error))
    return FALSE;
  self->config = config;
  sync_controls (self);
  sync_preset (self, FALSE);
  emit_changed (self);
  return TRUE;
}

/* As if the user had set the control; for actions and scripts. */
gboolean
gs_config_panel_set_option (GsConfigPanel  *self,
                            const char     *name,
                            const char     *value,
                            GError        **error)
{
  OptionControl *oc;

  g_return_val_if_fail (GS_IS_CONFIG_PANEL (self), FALSE);

  if (!gs_config_set (&self->config, name, value, error))
    return FALSE;
  oc = find_control (self, name);
  if (oc != NULL)
    {
      g_autofree char *normalized = gs_config_get (&self->config, name);

      self->syncing++;
      g_clear_pointer (&oc->set_error, g_free);
      control_set_value (oc, normalized != NULL ? normalized : value);
      self->syncing--;
    }
  validate (self);
  sync_preset (self, TRUE);
  emit_changed (self);
  return TRUE;
}

/* The widget that edits an option (a GtkSpinButton, GtkDropDown, GtkSwitch
 * or GtkEntry), or NULL. */
GtkWidget *
gs_config_panel_get_control (GsConfigPanel *self,
                             const char    *name)
{
  OptionControl *oc;

  g_return_val_if_fail (GS_IS_CONFIG_PANEL (self), NULL);

  oc = find_control (self, name);
  return oc != NULL ? oc->control : NULL;
}

/* The message shown beside an option's control, or NULL. */
const char *
gs_config_panel_get_error (GsConfigPanel *self,
                           const char    *name)
{
  OptionControl *oc;

  g_return_val_if_fail (GS_IS_CONFIG_PANEL (self), NULL);

  oc = find_control (self, name);
  if (oc == NULL || !gtk_widget_get_visible (oc->error_label))
    return NULL;
  return gtk_label_get_text (GTK_LABEL (oc->error_label));
}

/* "preset=relu name=value ...": every option, for GSettings. */
char *
gs_config_panel_to_string (GsConfigPanel *self)
{
  g_autoptr(GString) str = g_string_new (NULL);

  g_return_val_if_fail (GS_IS_CONFIG_PANEL (self), NULL);

  g_string_append_printf (str, "preset=%s custom=%s", self->config.preset,
                          gs_config_panel_get_custom (self) ? "true" : "false");
  for (guint i = 0; i < self->controls->len; i++)
    {
      OptionControl *oc = g_ptr_array_index (self->controls, i);
      g_autofree char *value = gs_config_get (&self->config, oc->spec->name);

      if (value != NULL && strchr (value, ' ') == NULL)
        g_string_append_printf (str, " %s=%s", oc->spec->name, value);
    }
  return g_string_free (g_steal_pointer (&str), FALSE);
}

/* Restores what gs_config_panel_to_string() wrote; bad entries are skipped. */
void
gs_config_panel_from_string (GsConfigPanel *self,
                             const char    *text)
{
  g_auto(GStrv) words = NULL;
  GsConfig config;
  gboolean custom = FALSE;

  g_return_if_fail (GS_IS_CONFIG_PANEL (self));

  gs_config_init_defaults (&config);
  words = g_strsplit (text != NULL ? text : "", " ", -1);
  for (guint i = 0; words[i] != NULL; i++)
    {
      g_auto(GStrv) kv = g_strsplit (words[i], "=", 2);

      if (kv[0] == NULL || kv[1] == NULL)
        continue;
      if (g_str_equal (kv[0], "preset"))
        {
          if (kv[1][0] != '\0')
            gs_config_load_preset (&config, kv[1], NULL);
        }
      else if (g_str_equal (kv[0], "custom"))
        custom = parse_bool (kv[1]);
      else
        gs_config_set (&config, kv[0], kv[1], NULL);
    }
  self->config = config;
  sync_controls (self);
  sync_preset (self, custom);
  emit_changed (self);
}

/* The data set line: its name, where it came from, and a hint or error. */
void
gs_config_panel_set_data (GsConfigPanel *self,
                          const char    *name,
                          const char    *source,
                          const char    *hint,
                          gboolean       is_error)
{
  g_return_if_fail (GS_IS_CONFIG_PANEL (self));

  gtk_label_set_text (self->data_name, name);
  gtk_label_set_text (self->data_source, source != NULL ? source : "");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->data_name), NULL);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->data_source), source);
  gtk_label_set_text (self->data_hint, hint != NULL ? hint : "");
  gtk_widget_set_visible (GTK_WIDGET (self->data_hint), hint != NULL);
  if (is_error)
    gtk_widget_add_css_class (GTK_WIDGET (self->data_hint), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->data_hint), "error");
}

void
gs_config_panel_set_data_tooltip (GsConfigPanel *self,
                                  const char    *tooltip)
{
  g_return_if_fail (GS_IS_CONFIG_PANEL (self));

  gtk_widget_set_tooltip_text (GTK_WIDGET (self->data_name), tooltip);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->data_source), tooltip);
}
