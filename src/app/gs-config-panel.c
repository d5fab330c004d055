/* gs-config-panel.c: the sidebar that sets up the next run.
 *
 * One GsOptionRow per entry of gs_config_options(), under a heading per
 * group. Every change goes through gs_config_set() and
 * gs_config_validate_full(), whose messages are shown beside the control of
 * the option they name. Choosing a preset sets what the experiment is;
 * touching a control afterwards turns the preset chooser into "Custom (from
 * <preset>)". How long and which run (the GS_ROLE_RUN options: epochs,
 * batch size, seed, training samples) stay as the user set them, unless the
 * preset names the option itself; "Reset to the Notebook's Settings"
 * forgets the user's choices.
 *
 * Labels, help lines and preset names come from the engine's table, in
 * English; they are translated here and in GsOptionRow
 * (po/gs-engine-strings.c lists them for xgettext).
 */
#define G_LOG_DOMAIN "gs-config-panel"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "gs-config-panel.h"
#include "gs-option-row.h"

struct _GsConfigPanel
{
  GtkWidget parent_instance;

  GtkDropDown   *preset_dropdown;
  GtkStringList *preset_list;
  GtkLabel      *preset_description;
  GtkLabel      *kept_label;
  GtkBox        *options_box;
  GtkLabel      *config_error;
  GtkLabel      *data_name;
  GtkLabel      *data_source;
  GtkLabel      *data_hint;

  GsConfig   config;
  GsConfig   run_choices; /* the user's GS_ROLE_RUN options; the rest unused */
  GPtrArray *rows;        /* of GsOptionRow, in table order */
  guint      n_presets;   /* the "Custom" item follows the presets */
  int        syncing;
  gboolean   valid;
  gboolean   live; /* a run trains: only its live options are editable */
};

G_DEFINE_FINAL_TYPE (GsConfigPanel, gs_config_panel, GTK_TYPE_WIDGET)

enum
{
  CHANGED,
  N_SIGNALS
};
static guint signals[N_SIGNALS];

static GsOptionRow *
find_row (GsConfigPanel *self, const char *name)
{
  for (guint i = 0; i < self->rows->len; i++)
    {
      GsOptionRow *row = g_ptr_array_index (self->rows, i);
      if (g_str_equal (gs_option_row_get_spec (row)->name, name))
        return row;
    }
  return NULL;
}

static const char *
group_title (const char *group)
{
  if (g_strcmp0 (group, "network") == 0)
    return _ ("Network");
  if (g_strcmp0 (group, "init") == 0)
    return _ ("Initialisation");
  if (g_strcmp0 (group, "training") == 0)
    return _ ("Training");
  return group;
}

/* Options that only matter for some values of another; insensitive otherwise. */
static gboolean
option_applies (const GsConfig *c, const char *name)
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
    return c->optimizer == GS_OPTIM_RMSPROP || c->optimizer == GS_OPTIM_ADAM
           || c->optimizer == GS_OPTIM_ADAMW;
  if (g_str_equal (name, "finetune"))
    return c->n_stages > 0;
  return TRUE;
}

/* The engine speaks in CLI terms ("--depth is 5"); the sidebar shows
 * the labels its controls carry ("“Hidden layers” is 5"). */
static char *
humanize (const char *message)
{
  g_autoptr (GString) text = g_string_new (message);
  guint               n_options;
  const GsOptionSpec *options = gs_config_options (&n_options);

  for (guint i = 0; i < n_options; i++)
    {
      g_autofree char *flag = g_strconcat ("--", options[i].name, NULL);
      g_autofree char *label = g_strdup_printf ("“%s”", _ (options[i].label));
      gsize            len = strlen (flag);

      for (char *p = strstr (text->str, flag); p != NULL; p = strstr (text->str + (p - text->str) + 1, flag))
        {
          gsize pos = p - text->str;
          char  next = text->str[pos + len];

          if (g_ascii_isalnum (next) || next == '-')
            continue;
          g_string_erase (text, pos, len);
          g_string_insert (text, pos, label);
          p = text->str + pos;
        }
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* Shows every error beside its control, and the first one again at the
 * top of the panel (the control may be scrolled out of view); decides
 * self->valid. */
static void
validate (GsConfigPanel *self)
{
  g_autoptr (GError) error = NULL;
  g_autofree char    *summary = NULL;
  g_autofree char    *reason = NULL;
  const GsOptionSpec *bad = NULL;

  if (!gs_config_validate_full (&self->config, &bad, &error))
    reason = humanize (gs_config_error_reason (error, bad));

  for (guint i = 0; i < self->rows->len; i++)
    {
      GsOptionRow        *row = g_ptr_array_index (self->rows, i);
      const GsOptionSpec *spec = gs_option_row_get_spec (row);
      const char         *message = gs_option_row_get_refusal (row);

      if (message == NULL && spec == bad)
        message = reason;
      gs_option_row_show_error (row, message);
      if (message != NULL && summary == NULL)
        summary = g_strdup_printf ("%s: %s", _ (spec->label), message);
      gs_option_row_set_sensitive (row,
                                   option_applies (&self->config, spec->name) && (spec->live || !self->live));
    }
  if (summary == NULL && error != NULL)
    summary = g_strdup (reason);

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
  for (guint i = 0; i < self->rows->len; i++)
    {
      GsOptionRow     *row = g_ptr_array_index (self->rows, i);
      g_autofree char *value = gs_config_get (&self->config, gs_option_row_get_spec (row)->name);

      gs_option_row_set_value (row, value);
    }
  self->syncing--;
  validate (self);
}

static const GsPreset *
current_preset (GsConfigPanel *self)
{
  return self->config.preset[0] != '\0' ? gs_preset_find (self->config.preset) : NULL;
}

/* Whether a preset's own settings name this option ("epochs=5"). */
static gboolean
preset_sets (const GsPreset *preset, const char *name)
{
  g_auto (GStrv) entries = g_strsplit (preset->settings, " ", -1);
  gsize len = strlen (name);

  for (guint i = 0; entries[i] != NULL; i++)
    if (strncmp (entries[i], name, len) == 0 && entries[i][len] == '=')
      return TRUE;
  return FALSE;
}

static void
copy_option (GsConfig *to, const GsConfig *from, const char *name)
{
  g_autofree char *value = gs_config_get (from, name);

  gs_config_set (to, name, value, NULL);
}

/* A run option of the user's that the preset cannot run with (layer-wise
 * training needs an epoch per stage) moves towards the preset's own value
 * just as far as it must: a count up to the smallest that works, anything
 * else to the preset's. */
static void
fit_run_choices (GsConfig *config, const GsConfig *own)
{
  const GsOptionSpec *bad = NULL;

  for (int tries = 0; tries < 10000 && !gs_config_validate_full (config, &bad, NULL); tries++)
    {
      g_autofree char *value = NULL;
      g_autofree char *wanted = NULL;
      gint64           n;

      if (bad == NULL || bad->role != GS_ROLE_RUN)
        return; /* not ours to fix: the sidebar shows it */
      value = gs_config_get (config, bad->name);
      wanted = gs_config_get (own, bad->name);
      n = g_ascii_strtoll (value, NULL, 10);
      if (bad->type == GS_OPTION_INT && n < g_ascii_strtoll (wanted, NULL, 10))
        {
          g_autofree char *next = g_strdup_printf ("%" G_GINT64_FORMAT, n + 1);
          gs_config_set (config, bad->name, next, NULL);
        }
      else
        copy_option (config, own, bad->name);
    }
}

/* The user's run options over a freshly loaded preset, except those the
 * preset sets itself (a paper's batch size of 10 is part of it). */
static void
apply_run_choices (GsConfigPanel *self, GsConfig *config)
{
  const GsPreset     *preset = config->preset[0] != '\0' ? gs_preset_find (config->preset) : NULL;
  guint               n_options;
  const GsOptionSpec *options = gs_config_options (&n_options);
  GsConfig            own = *config;

  for (guint i = 0; i < n_options; i++)
    if (options[i].role == GS_ROLE_RUN && (preset == NULL || !preset_sets (preset, options[i].name)))
      copy_option (config, &self->run_choices, options[i].name);
  fit_run_choices (config, &own);
}

/* Reads the user's run options back from a whole config (a restore, Run
 * Again): those the preset leaves alone, and those set to another value
 * than the preset's. */
static void
take_run_choices (GsConfigPanel *self, const GsConfig *config)
{
  const GsPreset     *preset = config->preset[0] != '\0' ? gs_preset_find (config->preset) : NULL;
  guint               n_options;
  const GsOptionSpec *options = gs_config_options (&n_options);
  GsConfig            own;

  gs_config_init_defaults (&self->run_choices);
  gs_config_init_defaults (&own);
  if (preset != NULL)
    gs_config_load_preset (&own, preset->id, NULL);
  for (guint i = 0; i < n_options; i++)
    {
      g_autofree char *value = gs_config_get (config, options[i].name);
      g_autofree char *preset_value = gs_config_get (&own, options[i].name);

      if (options[i].role != GS_ROLE_RUN)
        continue;
      if (preset == NULL || !preset_sets (preset, options[i].name) || !g_str_equal (value, preset_value))
        gs_config_set (&self->run_choices, options[i].name, value, NULL);
    }
}

/* "Epochs 2, Batch size 32": the run options that are the user's, not
 * the notebook's; NULL if none. */
static char *
describe_kept (GsConfigPanel *self, const GsConfig *own)
{
  g_autoptr (GString) text = g_string_new (NULL);
  guint               n_options;
  const GsOptionSpec *options = gs_config_options (&n_options);

  for (guint i = 0; i < n_options; i++)
    {
      g_autofree char *value = gs_config_get (&self->config, options[i].name);
      g_autofree char *notebook = gs_config_get (own, options[i].name);

      if (options[i].role == GS_ROLE_RUN && !g_str_equal (value, notebook))
        g_string_append_printf (text, "%s%s %s", text->len > 0 ? ", " : "", _ (options[i].label), value);
    }
  return text->len > 0 ? g_string_free (g_steal_pointer (&text), FALSE) : NULL;
}

/* Says which run options are the user's; Reset is possible while anything
 * differs from the preset as the notebook runs it. */
static void
update_reset (GsConfigPanel *self)
{
  g_autofree char *kept = NULL;
  g_autofree char *line = NULL;
  GsConfig         own;

  gs_config_init_defaults (&own);
  if (self->config.preset[0] != '\0')
    gs_config_load_preset (&own, self->config.preset, NULL);
  kept = describe_kept (self, &own);
  /* Translators: %s is a list such as "Epochs 2, Batch size 32" */
  line = kept != NULL ? g_strdup_printf (_ ("Kept from your settings: %s"), kept) : NULL;
  gtk_label_set_text (self->kept_label, line != NULL ? line : "");
  gtk_widget_set_visible (GTK_WIDGET (self->kept_label), line != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "config.reset",
                                 !self->live && !gs_config_equal (&own, &self->config));
}

/* Shows the preset (or "Custom (from X)") and its description. */
static void
sync_preset (GsConfigPanel *self, gboolean custom)
{
  const GsPreset  *preset = current_preset (self);
  g_autofree char *custom_label = NULL;
  guint            selected = self->n_presets;

  if (preset != NULL && custom)
    custom_label = g_strdup_printf (_ ("Custom (from %s)"), preset->id);
  else
    custom_label = g_strdup (_ ("Custom"));

  if (preset != NULL && !custom)
    {
      guint           n;
      const GsPreset *presets = gs_presets (&n);
      selected = preset - presets;
    }

  self->syncing++;
  gtk_string_list_splice (self->preset_list, self->n_presets, 1, (const char *const[]){ custom_label, NULL });
  gtk_drop_down_set_selected (self->preset_dropdown, selected);
  self->syncing--;

  gtk_label_set_text (self->preset_description, preset != NULL && !custom ? _ (preset->description)
                                                : preset != NULL
                                                    ? _ ("Options changed after choosing the preset.")
                                                    : _ ("Options chosen by hand."));
  update_reset (self);
}

/* A control or a script set this option: a run option is the user's
 * choice and leaves the experiment as it was; any other makes it "Custom". */
static void
remember_choice (GsConfigPanel *self, const GsOptionSpec *spec)
{
  gboolean custom = spec->role != GS_ROLE_RUN || gs_config_panel_get_custom (self);

  if (spec->role == GS_ROLE_RUN)
    copy_option (&self->run_choices, &self->config, spec->name);
  validate (self);
  sync_preset (self, custom);
}

static void
emit_changed (GsConfigPanel *self)
{
  g_signal_emit (self, signals[CHANGED], 0);
}

static void
on_row_changed (GsOptionRow *row, gpointer user_data)
{
  GsConfigPanel      *self = user_data;
  const GsOptionSpec *spec = gs_option_row_get_spec (row);
  g_autoptr (GError) error = NULL;
  g_autofree char *value = NULL;
  g_autofree char *refusal = NULL;

  if (self->syncing)
    return;

  value = gs_option_row_get_value (row);
  if (!gs_config_set (&self->config, spec->name, value, &error))
    refusal = humanize (gs_config_error_reason (error, spec));
  gs_option_row_set_refusal (row, refusal);
  remember_choice (self, spec);
  emit_changed (self);
}

static GtkWidget *
add_group (GsConfigPanel *self, const char *group)
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

/* One heading and grid per group, in table order. */
static void
build_options (GsConfigPanel *self)
{
  guint               n_options;
  const GsOptionSpec *options = gs_config_options (&n_options);
  g_autoptr (GPtrArray) groups = g_ptr_array_new ();

  for (guint i = 0; i < n_options; i++)
    if (!g_ptr_array_find_with_equal_func (groups, options[i].group, g_str_equal, NULL))
      g_ptr_array_add (groups, (gpointer) options[i].group);

  for (guint g = 0; g < groups->len; g++)
    {
      GtkWidget *grid = add_group (self, g_ptr_array_index (groups, g));
      int        row = 0;

      for (guint i = 0; i < n_options; i++)
        if (g_str_equal (options[i].group, g_ptr_array_index (groups, g)))
          {
            g_ptr_array_add (self->rows,
                             gs_option_row_new (&options[i], GTK_GRID (grid), row, on_row_changed, self));
            row += 2;
          }
    }
}

static void
on_preset_selected (GsConfigPanel *self)
{
  guint           selected = gtk_drop_down_get_selected (self->preset_dropdown);
  guint           n;
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
    gtk_string_list_append (self->preset_list, _ (presets[i].title));
  gtk_string_list_append (self->preset_list, _ ("Custom"));
  g_signal_connect_swapped (self->preset_dropdown, "notify::selected", G_CALLBACK (on_preset_selected), self);
}

/* "Reset to the Notebook's Settings": the preset (baseline if none) as the
 * notebook runs it, 100 epochs and all; the user's run options are
 * forgotten. */
void
gs_config_panel_reset (GsConfigPanel *self)
{
  g_autofree char *id = NULL;

  g_return_if_fail (GS_IS_CONFIG_PANEL (self));

  id = g_strdup (self->config.preset[0] != '\0' ? self->config.preset : "baseline");
  gs_config_init_defaults (&self->run_choices);
  gs_config_panel_load_preset (self, id, NULL);
}

static void
reset_activated (GtkWidget *widget, const char *action_name, GVariant *param)
{
  gs_config_panel_reset (GS_CONFIG_PANEL (widget));
}

static void
gs_config_panel_dispose (GObject *object)
{
  GsConfigPanel *self = GS_CONFIG_PANEL (object);
  GtkWidget     *child;

  gtk_widget_dispose_template (GTK_WIDGET (self), GS_TYPE_CONFIG_PANEL);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (gs_config_panel_parent_class)->dispose (object);
}

static void
gs_config_panel_finalize (GObject *object)
{
  GsConfigPanel *self = GS_CONFIG_PANEL (object);

  g_ptr_array_unref (self->rows);

  G_OBJECT_CLASS (gs_config_panel_parent_class)->finalize (object);
}

static void
gs_config_panel_class_init (GsConfigPanelClass *klass)
{
  GObjectClass   *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = gs_config_panel_dispose;
  object_class->finalize = gs_config_panel_finalize;

  /* The configuration changed (a control, a preset or a restore). */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                                   NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/gradscope/Gradscope/ui/gs-config-panel.ui");
  gtk_widget_class_bind_template_child (widget_class, GsConfigPanel, preset_dropdown);
  gtk_widget_class_bind_template_child (widget_class, GsConfigPanel, preset_list);
  gtk_widget_class_bind_template_child (widget_class, GsConfigPanel, preset_description);
  gtk_widget_class_bind_template_child (widget_class, GsConfigPanel, kept_label);
  gtk_widget_class_bind_template_child (widget_class, GsConfigPanel, options_box);
  gtk_widget_class_bind_template_child (widget_class, GsConfigPanel, config_error);
  gtk_widget_class_bind_template_child (widget_class, GsConfigPanel, data_name);
  gtk_widget_class_bind_template_child (widget_class, GsConfigPanel, data_source);
  gtk_widget_class_bind_template_child (widget_class, GsConfigPanel, data_hint);

  gtk_widget_class_install_action (widget_class, "config.reset", NULL, reset_activated);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "configpanel");
}

static void
gs_config_panel_init (GsConfigPanel *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) gs_option_row_free);
  gs_config_init_defaults (&self->config);
  gs_config_init_defaults (&self->run_choices);
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
gs_config_panel_load_preset (GsConfigPanel *self, const char *id, GError **error)
{
  GsConfig config;

  g_return_val_if_fail (GS_IS_CONFIG_PANEL (self), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);

  gs_config_init_defaults (&config);
  if (!gs_config_load_preset (&config, id, error))
    return FALSE;
  apply_run_choices (self, &config);
  self->config = config;
  sync_controls (self);
  sync_preset (self, FALSE);
  emit_changed (self);
  return TRUE;
}

/* As if the user had set the control; for actions and scripts. */
gboolean
gs_config_panel_set_option (GsConfigPanel *self, const char *name, const char *value, GError **error)
{
  GsOptionRow *row;

  g_return_val_if_fail (GS_IS_CONFIG_PANEL (self), FALSE);

  if (!gs_config_set (&self->config, name, value, error))
    return FALSE;
  row = find_row (self, name);
  if (row != NULL)
    {
      g_autofree char *normalized = gs_config_get (&self->config, name);

      self->syncing++;
      gs_option_row_set_value (row, normalized);
      self->syncing--;
    }
  remember_choice (self, gs_config_find_option (name));
  emit_changed (self);
  return TRUE;
}

void
gs_config_panel_set_live (GsConfigPanel *self, gboolean live)
{
  g_return_if_fail (GS_IS_CONFIG_PANEL (self));

  self->live = !!live;
  gtk_widget_set_sensitive (GTK_WIDGET (self->preset_dropdown), !self->live);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "config.reset", !self->live);
  validate (self);
  if (!self->live)
    update_reset (self);
}

gboolean
gs_config_panel_get_live (GsConfigPanel *self)
{
  g_return_val_if_fail (GS_IS_CONFIG_PANEL (self), FALSE);
  return self->live;
}

/* The widget that edits an option (a GtkSpinButton, GtkDropDown, GtkSwitch
 * or GtkEntry), or NULL. */
GtkWidget *
gs_config_panel_get_control (GsConfigPanel *self, const char *name)
{
  GsOptionRow *row;

  g_return_val_if_fail (GS_IS_CONFIG_PANEL (self), NULL);

  row = find_row (self, name);
  return row != NULL ? gs_option_row_get_control (row) : NULL;
}

/* The message shown beside an option's control, or NULL. */
const char *
gs_config_panel_get_error (GsConfigPanel *self, const char *name)
{
  GsOptionRow *row;

  g_return_val_if_fail (GS_IS_CONFIG_PANEL (self), NULL);

  row = find_row (self, name);
  return row != NULL ? gs_option_row_get_error (row) : NULL;
}

/* "preset=relu custom=false name=value ...": the preset, whether the
 * options were changed after choosing it, then every option. */
static char *
config_string (const GsConfig *config, gboolean custom)
{
  g_autofree char *options = gs_config_to_text (config);

  return g_strdup_printf ("preset=%s custom=%s %s", config->preset, custom ? "true" : "false", options);
}

/* For GSettings. */
char *
gs_config_panel_to_string (GsConfigPanel *self)
{
  g_return_val_if_fail (GS_IS_CONFIG_PANEL (self), NULL);
  return config_string (&self->config, gs_config_panel_get_custom (self));
}

/* "custom=" is the panel's own entry; the engine skips it as unknown. */
static gboolean
says_custom (const char *text)
{
  g_auto (GStrv) entries = g_strsplit (text, " ", -1);
  gboolean custom = FALSE;

  for (guint i = 0; entries[i] != NULL; i++)
    if (g_str_has_prefix (entries[i], "custom="))
      {
        const char *value = entries[i] + strlen ("custom=");
        custom = g_ascii_strcasecmp (value, "true") == 0 || g_str_equal (value, "1")
                 || g_ascii_strcasecmp (value, "yes") == 0 || g_ascii_strcasecmp (value, "on") == 0;
      }
  return custom;
}

/* Restores what gs_config_panel_to_string() wrote; bad entries are skipped. */
void
gs_config_panel_from_string (GsConfigPanel *self, const char *text)
{
  GsConfig config;

  g_return_if_fail (GS_IS_CONFIG_PANEL (self));

  gs_config_init_defaults (&config);
  gs_config_from_text (&config, text, GS_CONFIG_TEXT_SKIP_BAD, NULL);
  take_run_choices (self, &config);
  self->config = config;
  sync_controls (self);
  sync_preset (self, says_custom (text != NULL ? text : ""));
  emit_changed (self);
}

/* As if the user had chosen the config's preset and then set every option
 * ("Custom" unless they are the preset's own); read back from its text, as
 * a restore would. */
void
gs_config_panel_set_config (GsConfigPanel *self, const GsConfig *config)
{
  GsConfig         preset;
  gboolean         custom;
  g_autofree char *text = NULL;

  g_return_if_fail (GS_IS_CONFIG_PANEL (self));

  gs_config_init_defaults (&preset);
  custom = !(config->preset[0] != '\0' && gs_config_load_preset (&preset, config->preset, NULL)
             && gs_config_equal (&preset, config));
  text = config_string (config, custom);
  gs_config_panel_from_string (self, text);
}

/* The data set line: its name, where it came from, and a hint or error. */
void
gs_config_panel_set_data (
    GsConfigPanel *self, const char *name, const char *source, const char *hint, gboolean is_error)
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
gs_config_panel_set_data_tooltip (GsConfigPanel *self, const char *tooltip)
{
  g_return_if_fail (GS_IS_CONFIG_PANEL (self));

  gtk_widget_set_tooltip_text (GTK_WIDGET (self->data_name), tooltip);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->data_source), tooltip);
}
