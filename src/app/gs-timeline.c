/* gs-timeline.c: scrub through a run's steps, and replay it.
 *
 * The timeline holds one number, the step every figure shows (0 = the
 * latest, which follows a run while it trains). Dragging the scale to its
 * end goes back to "latest". Replay advances the step on a 30 Hz timer at
 * the chosen speed and stops at the end.
 */
#define G_LOG_DOMAIN "gs-timeline"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "gs-format.h"
#include "gs-timeline.h"

#define TICK_MS 33

static const guint speeds[] = { 20, 100, 500, 2000, 10000 };
#define DEFAULT_SPEED 2

struct _GsTimeline
{
  GtkWidget parent_instance;

  GtkToggleButton *play_button;
  GtkScale        *scale;
  GtkAdjustment   *adjustment;
  GtkLabel        *step_label;
  GtkDropDown     *speed_dropdown;
  GtkStringList   *speed_list;

  guint    n_steps;
  guint    steps_per_epoch;
  gboolean live;
  guint    step;     /* 0 = latest */
  double   position; /* replay position, fractional steps */
  guint    tick_id;
  gint64   last_tick;
  int      syncing;
};

G_DEFINE_FINAL_TYPE (GsTimeline, gs_timeline, GTK_TYPE_WIDGET)

enum
{
  PROP_0,
  PROP_STEP,
  PROP_PLAYING,
  N_PROPS
};
static GParamSpec *properties[N_PROPS];

static void
sync_view (GsTimeline *self)
{
  guint            shown = self->step == 0 || self->step > self->n_steps ? self->n_steps : self->step;
  g_autofree char *step = gs_format_count (shown);
  g_autofree char *total = gs_format_count (self->n_steps);
  g_autofree char *text = NULL;
  guint            epoch = shown == 0 ? 0 : (shown - 1) / MAX (self->steps_per_epoch, 1) + 1;

  self->syncing++;
  gtk_adjustment_configure (self->adjustment, MAX (shown, 1), 1, MAX (self->n_steps, 1) + 0.0, 1,
                            MAX (self->n_steps / 100, 1), 0);
  self->syncing--;

  if (self->n_steps == 0)
    text = g_strdup (_ ("No steps yet"));
  else if (self->step == 0 && self->live)
    /* Translators: the latest step of a run that still trains, e.g. "Step 1 200 · epoch 3 · live" */
    text = g_strdup_printf (_ ("Step %s · epoch %u · live"), step, epoch);
  else
    /* Translators: "Step 1 200 of 4 690 · epoch 3" */
    text = g_strdup_printf (_ ("Step %s of %s · epoch %u"), step, total, epoch);
  gtk_label_set_text (self->step_label, text);
  gtk_widget_set_sensitive (GTK_WIDGET (self->scale), self->n_steps > 1);
  gtk_widget_set_sensitive (GTK_WIDGET (self->play_button), self->n_steps > 1);
}

static void
set_step_internal (GsTimeline *self, guint step)
{
  if (step >= self->n_steps && !self->live)
    step = 0;
  if (self->step == step)
    {
      sync_view (self);
      return;
    }
  self->step = step;
  sync_view (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STEP]);
}

static void
sync_playing (GsTimeline *self)
{
  gboolean playing = self->tick_id != 0;

  self->syncing++;
  gtk_toggle_button_set_active (self->play_button, playing);
  self->syncing--;
  gtk_button_set_icon_name (GTK_BUTTON (self->play_button),
                            playing ? "media-playback-pause-symbolic" : "media-playback-start-symbolic");
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PLAYING]);
}

static gboolean
tick (gpointer data)
{
  GsTimeline *self = data;
  gint64      now = g_get_monotonic_time ();
  guint speed = speeds[MIN (gtk_drop_down_get_selected (self->speed_dropdown), G_N_ELEMENTS (speeds) - 1)];

  self->position += speed * (now - self->last_tick) / (double) G_USEC_PER_SEC;
  self->last_tick = now;
  if (self->position >= self->n_steps)
    {
      self->tick_id = 0;
      sync_playing (self);
      set_step_internal (self, 0);
      return G_SOURCE_REMOVE;
    }
  set_step_internal (self, MAX ((guint) self->position, 1));
  return G_SOURCE_CONTINUE;
}

static void
on_value_changed (GsTimeline *self)
{
  double value = gtk_adjustment_get_value (self->adjustment);

  if (self->syncing)
    return;
  self->position = value;
  set_step_internal (self, value >= self->n_steps ? 0 : (guint) round (value));
}

static void
on_play_toggled (GsTimeline *self)
{
  if (self->syncing)
    return;
  gs_timeline_set_playing (self, gtk_toggle_button_get_active (self->play_button));
}

static void
gs_timeline_dispose (GObject *object)
{
  GsTimeline *self = GS_TIMELINE (object);

  g_clear_handle_id (&self->tick_id, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), GS_TYPE_TIMELINE);
  /* Children without an id in the template are ours to unparent. */
  for (GtkWidget *child; (child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL;)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (gs_timeline_parent_class)->dispose (object);
}

static void
gs_timeline_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  GsTimeline *self = GS_TIMELINE (object);

  switch (prop_id)
    {
    case PROP_STEP:
      g_value_set_uint (value, self->step);
      break;
    case PROP_PLAYING:
      g_value_set_boolean (value, self->tick_id != 0);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gs_timeline_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  GsTimeline *self = GS_TIMELINE (object);

  switch (prop_id)
    {
    case PROP_STEP:
      gs_timeline_set_step (self, g_value_get_uint (value));
      break;
    case PROP_PLAYING:
      gs_timeline_set_playing (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gs_timeline_class_init (GsTimelineClass *klass)
{
  GObjectClass   *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = gs_timeline_dispose;
  object_class->get_property = gs_timeline_get_property;
  object_class->set_property = gs_timeline_set_property;

  properties[PROP_STEP]
      = g_param_spec_uint ("step", NULL, NULL, 0, G_MAXUINT, 0,
                           G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PLAYING] = g_param_spec_boolean (
      "playing", NULL, NULL, FALSE, G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/gradscope/Gradscope/ui/gs-timeline.ui");
  gtk_widget_class_bind_template_child (widget_class, GsTimeline, play_button);
  gtk_widget_class_bind_template_child (widget_class, GsTimeline, scale);
  gtk_widget_class_bind_template_child (widget_class, GsTimeline, adjustment);
  gtk_widget_class_bind_template_child (widget_class, GsTimeline, step_label);
  gtk_widget_class_bind_template_child (widget_class, GsTimeline, speed_dropdown);
  gtk_widget_class_bind_template_child (widget_class, GsTimeline, speed_list);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "timeline");
}

static void
gs_timeline_init (GsTimeline *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_box_layout_set_spacing (GTK_BOX_LAYOUT (gtk_widget_get_layout_manager (GTK_WIDGET (self))), 6);

  for (guint i = 0; i < G_N_ELEMENTS (speeds); i++)
    {
      g_autofree char *count = gs_format_count (speeds[i]);
      /* Translators: replay speed, e.g. "500 steps/s" */
      g_autofree char *label = g_strdup_printf (_ ("%s steps/s"), count);
      gtk_string_list_append (self->speed_list, label);
    }
  gtk_drop_down_set_selected (self->speed_dropdown, DEFAULT_SPEED);
  self->steps_per_epoch = 1;

  g_signal_connect_swapped (self->adjustment, "value-changed", G_CALLBACK (on_value_changed), self);
  g_signal_connect_swapped (self->play_button, "toggled", G_CALLBACK (on_play_toggled), self);
  sync_view (self);
}

void
gs_timeline_set_range (GsTimeline *self, guint n_steps, guint steps_per_epoch, gboolean live)
{
  g_return_if_fail (GS_IS_TIMELINE (self));

  self->n_steps = n_steps;
  self->steps_per_epoch = MAX (steps_per_epoch, 1);
  self->live = live;
  if (self->step > n_steps)
    set_step_internal (self, 0);
  else
    sync_view (self);
}

guint
gs_timeline_get_step (GsTimeline *self)
{
  g_return_val_if_fail (GS_IS_TIMELINE (self), 0);
  return self->step;
}

void
gs_timeline_set_step (GsTimeline *self, guint step)
{
  g_return_if_fail (GS_IS_TIMELINE (self));

  self->position = step;
  set_step_internal (self, step);
}

void
gs_timeline_move (GsTimeline *self, int hundredths)
{
  gint64 from, delta, to;

  g_return_if_fail (GS_IS_TIMELINE (self));

  if (self->n_steps == 0)
    return;
  from = self->step == 0 ? self->n_steps : self->step;
  delta = MAX (self->n_steps / 100, 1) * (gint64) hundredths;
  to = CLAMP (from + delta, 1, (gint64) self->n_steps);
  gs_timeline_set_step (self, to >= self->n_steps ? 0 : (guint) to);
}

gboolean
gs_timeline_get_playing (GsTimeline *self)
{
  g_return_val_if_fail (GS_IS_TIMELINE (self), FALSE);
  return self->tick_id != 0;
}

void
gs_timeline_set_playing (GsTimeline *self, gboolean playing)
{
  g_return_if_fail (GS_IS_TIMELINE (self));

  playing = !!playing && self->n_steps > 1;
  if (playing == (self->tick_id != 0))
    {
      sync_playing (self);
      return;
    }
  if (playing)
    {
      /* From the start when at the end. */
      self->position = self->step == 0 ? 1 : self->step;
      set_step_internal (self, (guint) self->position);
      self->last_tick = g_get_monotonic_time ();
      self->tick_id = g_timeout_add (TICK_MS, tick, self);
    }
  else
    g_clear_handle_id (&self->tick_id, g_source_remove);
  sync_playing (self);
}

void
gs_timeline_set_speed (GsTimeline *self, guint steps_per_s)
{
  guint best = 0;

  g_return_if_fail (GS_IS_TIMELINE (self));

  for (guint i = 1; i < G_N_ELEMENTS (speeds); i++)
    if (fabs (log ((double) speeds[i] / steps_per_s)) < fabs (log ((double) speeds[best] / steps_per_s)))
      best = i;
  gtk_drop_down_set_selected (self->speed_dropdown, best);
}
