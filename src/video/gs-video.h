/* gs-video.h: a run's training as a video or an animated GIF.
 *
 * Each frame is drawn by gs_plot_render () with style->cursor_step set to
 * the frame's step, so a frame equals a still export at that step. Frames
 * are rendered and encoded one at a time (memory does not grow with the
 * run's length) into the temporary of gs-file.h, which replaces the output
 * only when the whole file is written. The encoders are FFmpeg's
 * (libavcodec, libavformat, libavfilter; bench/RESULTS.md says why), in a
 * module loaded at the first video (gs-video-module.h): a program that
 * draws no video does not map FFmpeg's hundred-odd libraries, and a
 * machine without them gets an error naming the packages. No GTK.
 */
#pragma once

#include "gs-plot.h"

G_BEGIN_DECLS

typedef enum /*< skip >*/
{
  GS_VIDEO_WEBM, /* VP9 in WebM */
  GS_VIDEO_MP4,  /* H.264 in MP4 */
  GS_VIDEO_GIF,  /* animated GIF, one palette made from the frames */
  GS_N_VIDEO_FORMATS
} GsVideoFormat;

#define GS_VIDEO_ERROR (gs_video_error_quark ())
typedef enum /*< skip >*/
{
  GS_VIDEO_ERROR_UNAVAILABLE, /* not built in, or the encoder is missing */
  GS_VIDEO_ERROR_ARGS,        /* a size, rate or length out of range */
  GS_VIDEO_ERROR_ENCODE,      /* the encoder or the file failed */
  GS_VIDEO_ERROR_CANCELLED,
} GsVideoError;
GQuark gs_video_error_quark (void);

/* "webm", "mp4", "gif" (any case). */
gboolean    gs_video_format_from_name (const char *name, GsVideoFormat *out);
const char *gs_video_format_name (GsVideoFormat f);
/* Whether this build and this machine can write f; if not, the error names
 * the format and the Debian package that brings its encoder. */
gboolean gs_video_format_available (GsVideoFormat f, GError **error);

#define GS_VIDEO_MAX_FPS    60
#define GS_VIDEO_MAX_FRAMES 36000 /* 10 minutes at 60 fps */

typedef struct
{
  GsVideoFormat format;
  int           width, height;   /* px, even for WebM and MP4 */
  int           fps;             /* GIF: 100 / fps a whole number */
  guint         n_frames;        /* spread from step 1 to the last step; or */
  guint         steps_per_frame; /* > 0: a frame every this many steps */
  double        dpi;             /* text and lines as a still at this dpi; 0 = 96 */
} GsVideoSpec;

/* Checks the spec (not the runs); the error names the option at fault. */
gboolean gs_video_spec_check (const GsVideoSpec *spec, GError **error);

/* The frames spec asks for of runs with n_steps steps (the longest run),
 * and the step frame i shows: 1 first, n_steps last. */
guint gs_video_n_frames (const GsVideoSpec *spec, guint n_steps);
guint gs_video_frame_step (const GsVideoSpec *spec, guint n_steps, guint frame);

/* Called after each frame; FALSE cancels (the output is then untouched). */
typedef gboolean (*GsVideoProgress) (guint done, guint total, gpointer user_data);

gboolean gs_video_export (GsFigure           fig,
                          GsRecord *const   *runs,
                          guint              n_runs,
                          const GsPlotStyle *style,
                          const GsVideoSpec *spec,
                          const char        *path,
                          GsVideoProgress    progress,
                          gpointer           user_data,
                          GError           **error);

G_END_DECLS
