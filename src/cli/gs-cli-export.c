/* gs-cli-export.c: `gradscope-cli export`, the same renderer as the window. */
#define G_LOG_DOMAIN "gs-cli-export"

#include "gs-cli.h"

#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>

#include "gs-file.h"
#include "gs-plot.h"
#include "gs-runfile.h"

#define EXPORT_MAX_PX 16384 /* the most gs_plot_export () draws */

static void
export_usage (FILE *out)
{
  fprintf (out,
           "Usage: gradscope-cli export --run FILE [--run FILE ...] --figure NAME --out FILE\n"
           "         [--format png|svg|pdf] [--width PX --height PX] [--dpi N] [--dark]\n"
           "         [--presentation] [--histogram weights|gradients|activations|signal]\n"
           "\nDraws a figure of saved runs (several: side by side) into FILE, with the\n"
           "renderer the window uses. The format is --format, else FILE's suffix, else png.\n"
           "Sizes 16..%d px, 10..2400 dpi. FILE is replaced atomically; a symbolic link\n"
           "is followed (its target replaced); devices and FIFOs are refused.\n",
           EXPORT_MAX_PX);
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

typedef struct
{
  GPtrArray  *runs; /* char *, run files; several = side by side */
  const char *figure, *format, *out, *hist;
  int         width, height;
  double      dpi;
  gboolean    dark, presentation;
} ExportArgs;

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

/* "png" for out.png; the dot of a folder (DIR.d/noext) is no suffix. */
static const char *
format_from_name (const char *out)
{
  const char *slash = strrchr (out, '/');
  const char *base = slash ? slash + 1 : out;
  const char *dot = strrchr (base, '.');

  return dot && dot != base ? dot + 1 : "png";
}

static gboolean
parse_args (int argc, char **argv, ExportArgs *a, GError **error)
{
  for (int i = 0; i < argc; i++)
    {
      const char *o = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
      int         dpi = 0;
      if (g_strcmp0 (o, "--dark") == 0 || g_strcmp0 (o, "--presentation") == 0)
        {
          *(o[2] == 'd' ? &a->dark : &a->presentation) = TRUE;
          continue;
        }
      if (v == NULL)
        return gs_cli_usage_error (error, "%s needs a value", o);
      i++;
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
      else if (g_strcmp0 (o, "--width") == 0)
        {
          if (!parse_int (o, v, 16, EXPORT_MAX_PX, &a->width, error))
            return FALSE;
        }
      else if (g_strcmp0 (o, "--height") == 0)
        {
          if (!parse_int (o, v, 16, EXPORT_MAX_PX, &a->height, error))
            return FALSE;
        }
      else if (g_strcmp0 (o, "--dpi") == 0)
        {
          if (!parse_int (o, v, 10, 2400, &dpi, error))
            return FALSE;
          a->dpi = dpi;
        }
      else
        return gs_cli_usage_error (error, "export: unknown option '%s'", o);
    }
  if (a->runs->len == 0 || !a->figure || !a->out)
    return gs_cli_usage_error (error, "export needs --run FILE, --figure NAME and --out FILE");
  if (a->format == NULL)
    a->format = format_from_name (a->out);
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

int
gs_cli_export (int argc, char **argv)
{
  ExportArgs a = { g_ptr_array_new (), NULL, NULL, NULL, NULL, 1600, 900, 96, FALSE, FALSE };
  g_autoptr (GPtrArray) records = g_ptr_array_new_with_free_func ((GDestroyNotify) gs_record_unref);
  g_autoptr (GError) error = NULL;
  GsPlotStyle      style;
  GsFigure         fig;
  int              status = 0;
  g_autofree char *target = NULL;

  for (int i = 0; i < argc; i++)
    if (g_strcmp0 (argv[i], "--help") == 0 || g_strcmp0 (argv[i], "-h") == 0)
      {
        export_usage (stdout);
        g_ptr_array_unref (a.runs);
        return 0;
      }
  if (!parse_args (argc, argv, &a, &error) || (target = export_target (a.out, &error)) == NULL)
    goto out;
  if (!gs_figure_from_name (a.figure, &fig))
    {
      gs_cli_usage_error (&error,
                          "--figure: unknown figure '%s' (heatmap, histograms, gradnorm, "
                          "activations, curves, dashboard)",
                          a.figure);
      goto out;
    }
  gs_plot_style_init (&style, a.dark, a.presentation);
  if (a.hist && !parse_hist_kind (a.hist, &style.hist_kind))
    {
      gs_cli_usage_error (&error, "--histogram: expected weights, gradients, activations or signal, got '%s'",
                          a.hist);
      goto out;
    }
  for (guint i = 0; i < a.runs->len; i++)
    {
      GsRecord *r = gs_runfile_load (g_ptr_array_index (a.runs, i), &error);
      if (r == NULL)
        goto out;
      g_ptr_array_add (records, r);
    }
  gs_plot_export (fig, (GsRecord *const *) records->pdata, records->len, a.format, target, a.width, a.height,
                  a.dpi, &style, &error);
out:
  if (error)
    status = gs_cli_fail (error);
  g_ptr_array_unref (a.runs);
  return status;
}
