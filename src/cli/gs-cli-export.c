/* gs-cli-export.c: `gradscope-cli export`, the same renderer as the window. */
#define G_LOG_DOMAIN "gs-cli-export"

#include "gs-cli.h"
#include "gs-cli-video.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>

#include "gs-file.h"
#include "gs-plot.h"
#include "gs-runfile.h"

#define EXPORT_MAX_PX 16384 /* the most gs_plot_export () draws */

typedef struct
{
  GPtrArray     *runs; /* char *, run files; several = side by side */
  const char    *figure, *format, *out, *hist, *color_range;
  int            width, height;
  double         dpi;
  int            step;         /* stills: the state at this step; 0 = the end */
  gboolean       video_option; /* --fps, --duration or --steps-per-frame given */
  GsCliVideoArgs video;
  gboolean       dark, presentation, help;
  gboolean       all; /* --figure all */
  GsFigure       fig;
  const char    *kind;     /* the format: --format, else --out's suffix */
  gboolean       is_video; /* then of vformat */
  GsVideoFormat  vformat;
} ExportArgs;

static void
export_usage (FILE *out)
{
  g_autofree char *names = gs_figure_list ();

  fprintf (out,
           "Usage: gradscope-cli export --run FILE [--run FILE...] --figure NAME --out FILE [OPTIONS]\n"
           "Draws a figure of saved runs (several runs: side by side or overlaid).\n\n"
           "  --run FILE           a run file (repeat to compare runs)\n"
           "  --figure NAME        %s, or all (every figure into the folder --out names)\n"
           "  --out FILE           the file to write (with --figure all: a folder)\n"
           "  --format FMT         png, svg, pdf, csv (the numbers behind the figure),\n"
           "                       webm, mp4 or gif (training as it went, step 1 to the last);\n"
           "                       default: the --out suffix, else png\n"
           "  --width PX, --height PX   size, 16..%d (default 1600 x 900)\n"
           "  --dpi N              resolution, 10..2400 (default 96)\n"
           "  --step K             a still: the figure as it was at step K (default: the end)\n"
           "  --fps N              a video's frames a second, 1..%d (default 30; GIF 10, and N\n"
           "                       must divide 100)\n"
           "  --duration S         a video's length in seconds (default 10), or\n"
           "  --steps-per-frame K  a frame every K steps\n"
           "  --color-range R      heatmap colours: absolute (default, 1e-08:10 for every run),\n"
           "                       fit (the runs given) or LO:HI\n"
           "  --histogram KIND     weights, gradients, activations or signal\n"
           "  --dark, --presentation   dark theme; large type for slides\n"
           "  --help               this text\n"
           "Old figure names (gradnorm, bands, signal-init) still work. FILE is replaced\n"
           "atomically; a symbolic link is followed (its target replaced); devices and\n"
           "FIFOs are refused.\n",
           names, EXPORT_MAX_PX, GS_VIDEO_MAX_FPS);
  for (guint f = 0; f < GS_N_VIDEO_FORMATS; f++)
    {
      g_autoptr (GError) why = NULL;
      if (!gs_video_format_available (f, &why))
        fprintf (out, "Unavailable: %s\n", why->message);
    }
}

static gboolean
parse_int (const char *opt, const char *value, int min, int max, int *out, GError **error)
{
  gint64 v;

  if (!g_ascii_string_to_signed (value, 10, min, max, &v, NULL))
    return gs_cli_usage_error (error, "%s: expected a whole number from %d to %d, got '%s'", opt, min, max,
                               value);
  *out = (int) v;
  return TRUE;
}

static gboolean
parse_seconds (const char *opt, const char *value, double *out, GError **error)
{
  char  *end = NULL;
  double v = g_ascii_strtod (value, &end);

  if (end == value || *end != '\0' || !(v > 0 && v <= 600))
    return gs_cli_usage_error (error, "%s: expected seconds, more than 0 and at most 600, got '%s'", opt,
                               value);
  *out = v;
  return TRUE;
}

/* The options of a video; FALSE if o is none of them. */
static gboolean
parse_video (const char *o, const char *v, ExportArgs *a, gboolean *ok, GError **error)
{
  if (g_strcmp0 (o, "--fps") == 0)
    *ok = parse_int (o, v, 1, GS_VIDEO_MAX_FPS, &a->video.fps, error);
  else if (g_strcmp0 (o, "--duration") == 0)
    *ok = a->video.duration_set = parse_seconds (o, v, &a->video.duration, error);
  else if (g_strcmp0 (o, "--steps-per-frame") == 0)
    *ok = parse_int (o, v, 1, G_MAXINT, &a->video.steps_per_frame, error);
  else
    return FALSE;
  a->video_option = TRUE;
  return TRUE;
}

/* Options that take no value. */
static gboolean
parse_flag (const char *o, ExportArgs *a)
{
  if (g_strcmp0 (o, "--dark") == 0)
    a->dark = TRUE;
  else if (g_strcmp0 (o, "--presentation") == 0)
    a->presentation = TRUE;
  else if (g_strcmp0 (o, "--help") == 0 || g_strcmp0 (o, "-h") == 0)
    a->help = TRUE;
  else
    return FALSE;
  return TRUE;
}

static gboolean
parse_value (const char *o, const char *v, ExportArgs *a, GError **error)
{
  int      dpi = 0;
  gboolean ok;

  if (parse_video (o, v, a, &ok, error))
    return ok;
  if (g_strcmp0 (o, "--run") == 0)
    g_ptr_array_add (a->runs, (gpointer) v);
  else if (g_strcmp0 (o, "--figure") == 0)
    a->figure = v;
  else if (g_strcmp0 (o, "--format") == 0)
    a->format = v;
  else if (g_strcmp0 (o, "--out") == 0)
    a->out = v;
  else if (g_strcmp0 (o, "--histogram") == 0)
    a->hist = v;
  else if (g_strcmp0 (o, "--color-range") == 0)
    a->color_range = v;
  else if (g_strcmp0 (o, "--width") == 0)
    return parse_int (o, v, 16, EXPORT_MAX_PX, &a->width, error);
  else if (g_strcmp0 (o, "--height") == 0)
    return parse_int (o, v, 16, EXPORT_MAX_PX, &a->height, error);
  else if (g_strcmp0 (o, "--step") == 0)
    return parse_int (o, v, 1, G_MAXINT, &a->step, error);
  else if (g_strcmp0 (o, "--dpi") == 0)
    {
      if (!parse_int (o, v, 10, 2400, &dpi, error))
        return FALSE;
      a->dpi = dpi;
    }
  else
    return gs_cli_usage_error (error, "export: unknown option '%s' (export --help lists them)", o);
  return TRUE;
}

static gboolean
parse_args (int argc, char **argv, ExportArgs *a, GError **error)
{
  for (int i = 0; i < argc; i++)
    {
      const char *o = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
      if (parse_flag (o, a))
        continue;
      if (v == NULL)
        return gs_cli_usage_error (error, "%s needs a value", o);
      i++;
      if (!parse_value (o, v, a, error))
        return FALSE;
    }
  if (a->help)
    return TRUE;
  if (a->runs->len == 0 || !a->figure || !a->out)
    return gs_cli_usage_error (error,
                               "export needs --run FILE, --figure NAME and --out FILE (see export --help)");
  a->all = g_ascii_strcasecmp (a->figure, "all") == 0;
  if (!a->all && !gs_figure_from_name (a->figure, &a->fig))
    {
      g_autofree char *names = gs_figure_list ();
      return gs_cli_usage_error (error, "--figure: unknown figure '%s' (%s, or all)", a->figure, names);
    }
  return TRUE;
}

static gboolean
parse_hist_kind (const char *name, GsHistKind *out)
{
  static const char *const names[] = { "weights", "gradients", "activations", "signal" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (g_strcmp0 (name, names[i]) == 0)
      return *out = (GsHistKind) i, TRUE;
  return FALSE;
}

/* The style the options ask for; the error names the option. */
static gboolean
export_style (const ExportArgs *a, GsPlotStyle *style, GError **error)
{
  g_autoptr (GError) local = NULL;

  gs_plot_style_init (style, a->dark, a->presentation);
  if (a->hist && !parse_hist_kind (a->hist, &style->hist_kind))
    return gs_cli_usage_error (
        error, "--histogram: expected weights, gradients, activations or signal, got '%s'", a->hist);
  if (a->color_range && !gs_plot_style_set_color_range (style, "--color-range", a->color_range, &local))
    return gs_cli_usage_error (error, "%s", local->message);
  return TRUE;
}

/* The output, checked before any run is read, and the path to give the
 * renderer: a link's target, so the link stays a link. The renderer
 * replaces a file by rename, so a device or a FIFO would become a file. */
static char *
export_target (const char *out, GError **error)
{
  GStatBuf st;

  if (!gs_file_check_output (out, error))
    return NULL;
  if (g_stat (out, &st) == 0 && !S_ISREG (st.st_mode))
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                   "%s: export writes a regular file; this is a device or a FIFO", out);
      return NULL;
    }
  return gs_file_resolve_output (out);
}

/* "png" for out.png; the dot of a folder (DIR.d/noext) is no suffix. */
static const char *
format_from_name (const char *out)
{
  const char *slash = strrchr (out, '/');
  const char *base = slash ? slash + 1 : out;
  const char *dot = strrchr (base, '.');

  return dot && dot != base ? dot + 1 : "png";
}

/* The path one figure is written to: --out itself, or with --figure all
 * NAME.FORMAT inside the folder --out (made if missing). */
static char *
output_path (const ExportArgs *a, gboolean all, GsFigure fig, const char *format, GError **error)
{
  if (!all)
    return export_target (a->out, error);
  if (g_mkdir_with_parents (a->out, 0755) != 0)
    {
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (errno), "Cannot create the folder '%s': %s",
                   a->out, g_strerror (errno));
      return NULL;
    }
  g_autofree char *name = g_strdup_printf ("%s.%s", gs_figure_name (fig), format);
  g_autofree char *path = g_build_filename (a->out, name, NULL);
  return export_target (path, error);
}

/* The format and the options that go with it, checked before any run is
 * read; a video format also that its encoder is there. */
static gboolean
check_format (ExportArgs *a, GError **error)
{
  static const char *const stills[] = { "png", "svg", "pdf", "csv", NULL };

  a->kind = a->format ? a->format : a->all ? "png" : format_from_name (a->out);
  a->is_video = gs_video_format_from_name (a->kind, &a->vformat);
  if (!a->is_video && !g_strv_contains (stills, a->kind))
    return gs_cli_usage_error (error, "--format: unknown format '%s' (png, svg, pdf, csv, webm, mp4 or gif)",
                               a->kind);
  if (!a->is_video && a->video_option)
    return gs_cli_usage_error (error, "--fps, --duration, --steps-per-frame: for webm, mp4 and gif, not %s",
                               a->kind);
  if (a->is_video && a->all)
    return gs_cli_usage_error (error, "--figure all: writes stills; a %s shows one figure", a->kind);
  if (a->is_video && a->step > 0)
    return gs_cli_usage_error (error, "--step: for stills; a %s shows every step", a->kind);
  return !a->is_video || gs_video_format_available (a->vformat, error);
}

static gboolean
export_figures (
    const ExportArgs *a, GPtrArray *records, const GsPlotStyle *style, const char *checked, GError **error)
{
  const char *format = a->kind;

  if (a->is_video)
    return gs_cli_export_video (a->fig, records, style, a->vformat, checked, a->width, a->height, a->dpi,
                                &a->video, error);
  for (guint f = a->all ? 0 : a->fig; f < (a->all ? GS_N_FIGURES : a->fig + 1u); f++)
    {
      g_autofree char *path = output_path (a, a->all, f, format, error);
      if (path == NULL
          || !gs_plot_export (f, (GsRecord *const *) records->pdata, records->len, format, path, a->width,
                              a->height, a->dpi, style, error))
        return FALSE;
    }
  return TRUE;
}

int
gs_cli_export (int argc, char **argv)
{
  ExportArgs a = { .runs = g_ptr_array_new (), .width = 1600, .height = 900, .dpi = 96 };
  g_autoptr (GPtrArray) records = g_ptr_array_new_with_free_func ((GDestroyNotify) gs_record_unref);
  g_autoptr (GError) error = NULL;
  GsPlotStyle      style;
  int              status = 0;
  g_autofree char *checked = NULL;

  if (!parse_args (argc, argv, &a, &error))
    goto out;
  if (a.help)
    {
      export_usage (stdout);
      goto out;
    }
  if (!export_style (&a, &style, &error))
    goto out;
  style.cursor_step = (guint) a.step;
  if ((!a.all && (checked = export_target (a.out, &error)) == NULL) || !check_format (&a, &error))
    goto out; /* before any run is read */
  for (guint i = 0; i < a.runs->len; i++)
    {
      GsRecord *r = gs_runfile_load (g_ptr_array_index (a.runs, i), &error);
      if (r == NULL)
        goto out;
      g_ptr_array_add (records, r);
    }
  export_figures (&a, records, &style, checked, &error);
out:
  if (error)
    status = gs_cli_fail (error);
  g_ptr_array_unref (a.runs);
  return status;
}
