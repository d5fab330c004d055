/* gs-cli-video.c: `gradscope-cli export --format webm|mp4|gif`, a figure
 * as it looked at each moment of training (gs-video.h), with a bar. */
#define G_LOG_DOMAIN "gs-cli-export"

#include "gs-cli-video.h"

#include <math.h>
#include <unistd.h>

/* The number of frames, from --duration (10 s unless said) or
 * --steps-per-frame. */
static gboolean
frames (const GsCliVideoArgs *v, GsVideoSpec *spec, GError **error)
{
  double duration = v->duration_set ? v->duration : 10.0;

  if (v->duration_set && v->steps_per_frame > 0)
    return gs_cli_usage_error (error, "--duration and --steps-per-frame: say one of them, not both");
  if (v->steps_per_frame > 0)
    return spec->steps_per_frame = (guint) v->steps_per_frame, TRUE;
  spec->n_frames = (guint) MAX (1, lround (duration * spec->fps));
  return TRUE;
}

typedef struct
{
  gboolean tty;
  int      last_percent;
} Bar;

/* A bar on a terminal only: logs and scripts get the result alone. */
static gboolean
show_progress (guint done, guint total, gpointer user_data)
{
  Bar      *bar = user_data;
  const int width = 30, filled = (int) ((guint64) done * width / total);
  int       percent = (int) ((guint64) done * 100 / total);

  if (bar->tty && percent != bar->last_percent)
    fprintf (stderr, "\r[%.*s%*s] %3d%%  frame %u of %u", filled, "##############################",
             width - filled, "", percent, done, total);
  bar->last_percent = percent;
  return TRUE;
}

gboolean
gs_cli_export_video (GsFigure              fig,
                     GPtrArray            *records,
                     const GsPlotStyle    *style,
                     GsVideoFormat         format,
                     const char           *path,
                     int                   width,
                     int                   height,
                     double                dpi,
                     const GsCliVideoArgs *v,
                     GError              **error)
{
  GsVideoSpec spec
      = { format, width, height, v->fps > 0 ? v->fps : format == GS_VIDEO_GIF ? 10 : 30, 0, 0, dpi };
  Bar bar = { isatty (STDERR_FILENO), -1 };
  g_autoptr (GError) local = NULL;
  gboolean ok;

  if (!frames (v, &spec, error))
    return FALSE;
  ok = gs_video_spec_check (&spec, &local)
       && gs_video_export (fig, (GsRecord *const *) records->pdata, records->len, style, &spec, path,
                           show_progress, &bar, &local);
  if (bar.tty && bar.last_percent >= 0)
    fputc ('\n', stderr);
  /* A size, rate or length out of range is the caller's: exit status 2. */
  if (!ok && g_error_matches (local, GS_VIDEO_ERROR, GS_VIDEO_ERROR_ARGS))
    return gs_cli_usage_error (error, "%s", local->message);
  if (!ok)
    g_propagate_error (error, g_steal_pointer (&local));
  return ok;
}
