/* gs-lesson.h: the guided lesson through the seed experiments. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

typedef struct
{
  const char *preset; /* the preset this step loads */
  const char *figure; /* the figure that shows it (gs_figure_name) */
  const char *beside; /* a preset to show on the left for comparison, or NULL */
  const char *title;  /* translatable (N_) */
  const char *text;   /* translatable (N_) */
} GsLessonStep;

guint               gs_lesson_get_n_steps (void);
const GsLessonStep *gs_lesson_get_step (guint index);
/* FALSE for the At Init steps: their figure probes the sidebar's network at
 * initialisation, no run needed. */
gboolean gs_lesson_step_needs_run (const GsLessonStep *step);

#define GS_TYPE_LESSON (gs_lesson_get_type ())
G_DECLARE_FINAL_TYPE (GsLesson, gs_lesson, GS, LESSON, GtkWidget)

guint gs_lesson_get_index (GsLesson *self);
void  gs_lesson_set_index (GsLesson *self, guint index);
/* A line under the text: which run is shown, or how to get one. */
void gs_lesson_set_hint (GsLesson *self, const char *hint);
/* The class length "Prepare Lesson" trains each run for. */
int  gs_lesson_get_prepare_epochs (GsLesson *self);
void gs_lesson_set_prepare_epochs (GsLesson *self, int epochs);
/* Shows the preparation's progress (0..1, with a text), or hides it
 * (fraction < 0). */
void gs_lesson_set_preparing (GsLesson *self, double fraction, const char *text);

G_END_DECLS
