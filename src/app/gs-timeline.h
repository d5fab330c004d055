/* gs-timeline.h: scrub through a run's steps, and replay it. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define GS_TYPE_TIMELINE (gs_timeline_get_type ())
G_DECLARE_FINAL_TYPE (GsTimeline, gs_timeline, GS, TIMELINE, GtkWidget)

/* n_steps: steps recorded by the longest run shown; live: a run still
 * trains (the end follows it). */
void gs_timeline_set_range (GsTimeline *self, guint n_steps, guint steps_per_epoch, gboolean live);
/* 0 = the latest step. */
guint gs_timeline_get_step (GsTimeline *self);
void  gs_timeline_set_step (GsTimeline *self, guint step);
/* Moves by about a hundredth of the run per unit (arrow keys). */
void     gs_timeline_move (GsTimeline *self, int hundredths);
gboolean gs_timeline_get_playing (GsTimeline *self);
void     gs_timeline_set_playing (GsTimeline *self, gboolean playing);
/* Steps per second of the replay. */
void gs_timeline_set_speed (GsTimeline *self, guint steps_per_s);

G_END_DECLS
