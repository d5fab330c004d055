/* gs-cli-export.c: `gradscope-cli export`, the same renderer as the window. */
#define G_LOG_DOMAIN "gs-cli-export"

#include "gs-cli.h"

#include <string.h>

#include "gs-plot.h"
#include "gs-runfile.h"

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
          if (!parse_int (o, v, 16, 20000, &a->width, error))
            return FALSE;
        }
      else if (g_strcmp0 (o, "--height") == 0)
        {
          if (!parse_int (o, v, 16, 20000, &a->height, error))
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
    a->format = strrchr (a->out, '.') ? strrchr (a->out, '.') + 1 : "png";
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
  GsPlotStyle style;
  GsFigure    fig;
  int         status = 0;

  if (!parse_args (argc, argv, &a, &error))
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
  gs_plot_export (fig, (GsRecord *const *) records->pdata, records->len, a.format, a.out, a.width, a.height,
                  a.dpi, &style, &error);
out:
  if (error)
    status = gs_cli_fail (error);
  g_ptr_array_unref (a.runs);
  return status;
}
