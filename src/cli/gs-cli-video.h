/* gs-cli-video.h: the video half of `gradscope-cli export`. */
#pragma once

#include "gs-cli.h"
#include "gs-video.h"

G_BEGIN_DECLS

typedef struct
{
  int      fps; /* 0: 30, or 10 for a GIF */
  gboolean duration_set;
  double   duration;        /* s */
  int      steps_per_frame; /* 0: from the duration */
} GsCliVideoArgs;

gboolean gs_cli_export_video (GsFigure              fig,
                              GPtrArray            *records,
                              const GsPlotStyle    *style,
                              GsVideoFormat         format,
                              const char           *path,
                              int                   width,
                              int                   height,
                              double                dpi,
                              const GsCliVideoArgs *v,
                              GError              **error);

G_END_DECLS
