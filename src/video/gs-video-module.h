/* gs-video-module.h: the encoder module's one entry point (private to
 * src/video). The module (gs-video-encode.c, libgs-video-ffmpeg.so) links
 * FFmpeg and nothing of Gradscope's, so it needs no symbol of the program
 * that loads it; it writes the file it is given (the safe writer's
 * temporary, see gs-video-export.c). */
#pragma once

#include <gmodule.h>

#include "gs-video.h"

G_BEGIN_DECLS

#define GS_VIDEO_MODULE_ABI    1
#define GS_VIDEO_MODULE_SYMBOL "gs_video_module"
#define GS_VIDEO_ERROR_NAME    "gs-video-error-quark" /* the module makes the same quark */

typedef struct _GsVideoEncoder GsVideoEncoder;

typedef struct
{
  int abi; /* GS_VIDEO_MODULE_ABI */
  /* Whether FFmpeg here has the muxer and encoder of f. */
  gboolean (*available) (GsVideoFormat f, GError **error);
  /* Opens file (what = the name errors give); for a GIF, palette_frames
   * are ARGB32 frames the palette is made from (a sample of the video). */
  GsVideoEncoder *(*open) (const GsVideoSpec *spec,
                           const char        *what,
                           const char        *file,
                           cairo_surface_t  **palette_frames,
                           guint              n_palette_frames,
                           GError           **error);
  /* An opaque ARGB32 surface of the spec's size. */
  gboolean (*add) (GsVideoEncoder *e, cairo_surface_t *frame, GError **error);
  /* Flushes, writes the trailer and closes the file. */
  gboolean (*finish) (GsVideoEncoder *e, GError **error);
  void (*free) (GsVideoEncoder *e);
} GsVideoModule;

typedef const GsVideoModule *(*GsVideoModuleFunc) (void);
G_MODULE_EXPORT const GsVideoModule *gs_video_module (void);

G_END_DECLS
