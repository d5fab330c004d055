/* gs-video-export.c: the frames of a video, drawn one at a time by the
 * figures' own renderer and handed to the encoder module, which writes the
 * safe writer's temporary (gs-file.h). */
#define G_LOG_DOMAIN "gs-video"

#include "gs-video.h"

#include "gs-file.h"
#include "gs-video-module.h"

#define N_PALETTE_SAMPLES 16 /* frames a GIF's palette is made from */
#define MODULE_NAME       "libgs-video-ffmpeg.so"

GQuark
gs_video_error_quark (void)
{
  return g_quark_from_static_string (GS_VIDEO_ERROR_NAME);
}

static const char *const format_names[GS_N_VIDEO_FORMATS] = { "webm", "mp4", "gif" };

gboolean
gs_video_format_from_name (const char *name, GsVideoFormat *out)
{
  for (guint i = 0; name && i < GS_N_VIDEO_FORMATS; i++)
    if (g_ascii_strcasecmp (name, format_names[i]) == 0)
      return *out = (GsVideoFormat) i, TRUE;
  return FALSE;
}

const char *
gs_video_format_name (GsVideoFormat f)
{
  return f < GS_N_VIDEO_FORMATS ? format_names[f] : "?";
}

static gboolean args_error (GError **error, const char *fmt, ...) G_GNUC_PRINTF (2, 3);

/* The module of $GS_VIDEO_MODULE_DIR (the tests' build tree), else next
 * to the program in the build tree (src/cli/../video), else where the
 * program's install put it (BINDIR/../LIBDIR/gradscope, so an install
 * under DESTDIR or moved works), else the configured place; loaded once,
 * kept for the process. */
static char *
module_path (void)
{
  const char      *env = g_getenv ("GS_VIDEO_MODULE_DIR");
  g_autofree char *exe = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *dir = exe ? g_path_get_dirname (exe) : g_strdup (".");
  char            *candidates[] = {
               env && *env ? g_build_filename (env, MODULE_NAME, NULL) : NULL,
    g_build_filename (dir, "..", "video", MODULE_NAME, NULL),
    g_build_filename (dir, "..", GS_VIDEO_MODULE_RELDIR, MODULE_NAME, NULL),
  };
  char *path = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (candidates); i++)
    {
      if (path == NULL && candidates[i] && g_file_test (candidates[i], G_FILE_TEST_EXISTS))
        path = g_steal_pointer (&candidates[i]);
      g_free (candidates[i]);
    }
  return path ? path : g_build_filename (GS_VIDEO_MODULE_DIR, MODULE_NAME, NULL);
}

static const GsVideoModule *
try_load (char **failure)
{
  g_autofree char  *path = module_path ();
  GModule          *module = g_module_open (path, G_MODULE_BIND_LAZY | G_MODULE_BIND_LOCAL);
  GsVideoModuleFunc entry = NULL;

  if (module == NULL || !g_module_symbol (module, GS_VIDEO_MODULE_SYMBOL, (gpointer *) &entry)
      || entry == NULL || entry ()->abi != GS_VIDEO_MODULE_ABI)
    {
      g_autofree char *why = module ? g_strdup_printf ("%s: not Gradscope's, or of another version", path)
                                    : g_strdup (g_module_error ()); /* names the path */
      *failure = g_strdup_printf ("cannot load the video encoder (%s); install Debian's %s", why,
                                  GS_VIDEO_PACKAGES);
      g_clear_pointer (&module, g_module_close);
      return NULL;
    }
  g_module_make_resident (module);
  return entry ();
}

static const GsVideoModule *
load_module (GsVideoFormat f, GError **error)
{
  static GMutex               lock;
  static const GsVideoModule *module;
  static char                *failure;

  if (!GS_HAVE_VIDEO)
    {
      g_set_error (
          error, GS_VIDEO_ERROR, GS_VIDEO_ERROR_UNAVAILABLE,
          "%s: this build of Gradscope has no video export; install libavcodec-dev, libavformat-dev, "
          "libavfilter-dev and libswscale-dev and build again (meson setup -Dvideo=enabled)",
          gs_video_format_name (f));
      return NULL;
    }
  g_mutex_lock (&lock);
  if (module == NULL && failure == NULL)
    module = try_load (&failure);
  g_mutex_unlock (&lock);
  if (module == NULL)
    g_set_error (error, GS_VIDEO_ERROR, GS_VIDEO_ERROR_UNAVAILABLE, "%s: %s", gs_video_format_name (f),
                 failure);
  return module;
}

gboolean
gs_video_format_available (GsVideoFormat f, GError **error)
{
  const GsVideoModule *m = load_module (f, error);

  return m != NULL && m->available (f, error);
}

static gboolean
args_error (GError **error, const char *fmt, ...)
{
  va_list ap;

  va_start (ap, fmt);
  g_autofree char *msg = g_strdup_vprintf (fmt, ap);
  va_end (ap);
  g_set_error_literal (error, GS_VIDEO_ERROR, GS_VIDEO_ERROR_ARGS, msg);
  return FALSE;
}

gboolean
gs_video_spec_check (const GsVideoSpec *spec, GError **error)
{
  const char *name = gs_video_format_name (spec->format);

  if (spec->format >= GS_N_VIDEO_FORMATS)
    return args_error (error, "unknown video format %d", spec->format);
  if (spec->fps < 1 || spec->fps > GS_VIDEO_MAX_FPS)
    return args_error (error, "--fps: expected 1 to %d frames a second, got %d", GS_VIDEO_MAX_FPS, spec->fps);
  /* A GIF frame lasts a whole number of hundredths of a second. */
  if (spec->format == GS_VIDEO_GIF && 100 % spec->fps != 0)
    return args_error (error,
                       "--fps: a GIF frame lasts whole hundredths of a second, so fps must divide 100 "
                       "(1, 2, 4, 5, 10, 20, 25 or 50), got %d",
                       spec->fps);
  if (spec->width < 16 || spec->height < 16 || spec->width > 8192 || spec->height > 8192)
    return args_error (error, "--width, --height: %s is 16 to 8192 px a side, got %d x %d", name, spec->width,
                       spec->height);
  if (spec->format != GS_VIDEO_GIF && (spec->width % 2 || spec->height % 2))
    return args_error (error,
                       "--width, --height: %s needs an even width and height (4:2:0 colour), got %d x %d",
                       name, spec->width, spec->height);
  if (spec->steps_per_frame == 0 && (spec->n_frames < 1 || spec->n_frames > GS_VIDEO_MAX_FRAMES))
    return args_error (error, "--duration: gives %u frames; a video has 1 to %d", spec->n_frames,
                       GS_VIDEO_MAX_FRAMES);
  return TRUE;
}

guint
gs_video_n_frames (const GsVideoSpec *spec, guint n_steps)
{
  guint k = spec->steps_per_frame;

  if (k == 0)
    return spec->n_frames;
  if (n_steps <= 1)
    return 1;
  return (n_steps - 2) / k + 2; /* 1, 1 + k, ... and the last step */
}

guint
gs_video_frame_step (const GsVideoSpec *spec, guint n_steps, guint frame)
{
  guint n = gs_video_n_frames (spec, n_steps);

  if (n_steps <= 1 || frame + 1 >= n)
    return MAX (n_steps, 1);
  if (spec->steps_per_frame > 0)
    return MIN (1 + frame * spec->steps_per_frame, n_steps);
  return 1 + (guint) ((guint64) frame * (n_steps - 1) * 2 / (n - 1) + 1) / 2; /* rounded */
}

static guint
longest_run (GsRecord *const *runs, guint n_runs)
{
  guint n = 0;

  for (guint i = 0; i < n_runs; i++)
    n = MAX (n, gs_record_n_steps (runs[i]));
  return n;
}

typedef struct
{
  GsFigure             fig;
  GsRecord *const     *runs;
  guint                n_runs;
  const GsPlotStyle   *style;
  const GsVideoSpec   *spec;
  guint                n_steps, n_frames;
  const GsVideoModule *m;
} Job;

/* Frame i as a still export at its step: the same scale for the dpi. */
static void
draw_frame (const Job *j, cairo_surface_t *surface, guint frame)
{
  GsPlotStyle s = *j->style;
  cairo_t    *cr = cairo_create (surface);
  double      scale = j->spec->dpi > 0 ? j->spec->dpi / 96.0 : 1.0;

  s.cursor_step = gs_video_frame_step (j->spec, j->n_steps, frame);
  s.fill_background = TRUE; /* a video has no transparency */
  cairo_scale (cr, scale, scale);
  gs_plot_render (j->fig, j->runs, j->n_runs, cr, j->spec->width / scale, j->spec->height / scale, &s);
  cairo_destroy (cr);
  cairo_surface_flush (surface);
}

/* A GIF's palette: frames sampled evenly from first to last. */
static GsVideoEncoder *
open_encoder (const Job *j, const char *path, GsFileTemp *file, GError **error)
{
  cairo_surface_t *samples[N_PALETTE_SAMPLES];
  guint            n = j->spec->format == GS_VIDEO_GIF ? MIN (j->n_frames, N_PALETTE_SAMPLES) : 0;
  GsVideoEncoder  *e;

  for (guint i = 0; i < n; i++)
    {
      guint frame = n == 1 ? 0 : (guint) ((guint64) i * (j->n_frames - 1) / (n - 1));
      samples[i] = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, j->spec->width, j->spec->height);
      draw_frame (j, samples[i], frame);
    }
  e = j->m->open (j->spec, path, gs_file_temp_path (file), samples, n, error);
  for (guint i = 0; i < n; i++)
    cairo_surface_destroy (samples[i]);
  return e;
}

static gboolean
encode_frames (const Job *j, GsVideoEncoder *e, GsVideoProgress progress, gpointer user_data, GError **error)
{
  cairo_surface_t *surface
      = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, j->spec->width, j->spec->height);
  gboolean ok = TRUE;

  for (guint i = 0; ok && i < j->n_frames; i++)
    {
      draw_frame (j, surface, i);
      ok = j->m->add (e, surface, error);
      if (ok && progress && !progress (i + 1, j->n_frames, user_data))
        {
          g_set_error_literal (error, GS_VIDEO_ERROR, GS_VIDEO_ERROR_CANCELLED, "the export was cancelled");
          ok = FALSE;
        }
    }
  cairo_surface_destroy (surface);
  return ok;
}

gboolean
gs_video_export (GsFigure           fig,
                 GsRecord *const   *runs,
                 guint              n_runs,
                 const GsPlotStyle *style,
                 const GsVideoSpec *spec,
                 const char        *path,
                 GsVideoProgress    progress,
                 gpointer           user_data,
                 GError           **error)
{
  Job             j = { fig, runs, n_runs, style, spec, longest_run (runs, n_runs), 0, NULL };
  GsVideoEncoder *e;
  GsPlotStyle     fallback;
  gboolean        ok;

  g_return_val_if_fail (fig < GS_N_FIGURES && path != NULL, FALSE);
  if (!gs_video_spec_check (spec, error) || !gs_video_format_available (spec->format, error))
    return FALSE;
  j.m = load_module (spec->format, error);
  if (style == NULL)
    gs_plot_style_init (&fallback, FALSE, FALSE), j.style = &fallback;
  j.n_frames = gs_video_n_frames (spec, j.n_steps);
  if (j.n_frames > GS_VIDEO_MAX_FRAMES)
    return args_error (error,
                       "--steps-per-frame %u: gives %u frames of a run of %u steps; a video has at most %d",
                       spec->steps_per_frame, j.n_frames, j.n_steps, GS_VIDEO_MAX_FRAMES);
  g_autoptr (GsFileTemp) file = gs_file_temp_new (path, error);
  if (file == NULL || (e = open_encoder (&j, path, file, error)) == NULL)
    return FALSE;
  ok = encode_frames (&j, e, progress, user_data, error) && j.m->finish (e, error);
  j.m->free (e);
  return ok && gs_file_temp_commit (g_steal_pointer (&file), error);
}
