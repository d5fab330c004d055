/* gs-lesson.h: the guided lesson through the seed experiments. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

typedef struct
{
  const char *preset;    /* the preset this step loads */
  const char *figure;    /* the figure that shows it (gs_figure_name) */
  int         hist_kind; /* for "histograms": a GsHistKind, else -1 */
  const char *title;     /* translatable (N_) */
  const char *text;      /* translatable (N_) */
} GsLessonStep;

guint               gs_lesson_get_n_steps (void);
const GsLessonStep *gs_lesson_get_step (guint index);

#define GS_TYPE_LESSON (gs_lesson_get_type ())
G_DECLARE_FINAL_TYPE (GsLesson, gs_lesson, GS, LESSON, GtkWidget)

guint gs_lesson_get_index (GsLesson *self);
void  gs_lesson_set_index (GsLesson *self, guint index);
/* A line under the text: which run is shown, or how to get one. */
void gs_lesson_set_hint (GsLesson *self, const char *hint);

G_END_DECLS
