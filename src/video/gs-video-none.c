/* gs-video-none.c: a build without FFmpeg (meson -Dvideo=disabled, or its
 * -dev packages missing): every video format is reported unavailable,
 * with the packages that bring it. */
#define G_LOG_DOMAIN "gs-video"

#include "gs-video.h"

gboolean
gs_video_format_available (GsVideoFormat f, GError **error)
{
  g_set_error (error, GS_VIDEO_ERROR, GS_VIDEO_ERROR_UNAVAILABLE,
               "%s: this build of Gradscope has no video export; install libavcodec-dev, libavformat-dev, "
               "libavfilter-dev and libswscale-dev and build again (meson setup -Dvideo=enabled)",
               gs_video_format_name (f));
  return FALSE;
}

GsVideoEncoder *
gs_video_encoder_new (const GsVideoSpec *spec,
                      const char        *path,
                      cairo_surface_t  **palette_frames,
                      guint              n_palette_frames,
                      GError           **error)
{
  gs_video_format_available (spec->format, error);
  return NULL;
}

gboolean
gs_video_encoder_add (GsVideoEncoder *e, cairo_surface_t *frame, GError **error)
{
  g_return_val_if_reached (FALSE);
}

gboolean
gs_video_encoder_finish (GsVideoEncoder *e, GError **error)
{
  g_return_val_if_reached (FALSE);
}

void
gs_video_encoder_free (GsVideoEncoder *e)
{
}
