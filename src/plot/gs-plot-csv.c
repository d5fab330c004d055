/* gs-plot-csv.c: the numbers behind each figure, as one tidy table (one
 * observation a row, one variable a column) per figure. Column names carry
 * their units; floats are written with 9 significant digits, so a float32
 * of the record reads back bit for bit. docs/figures.md lists the tables.
 */
#define G_LOG_DOMAIN "gs-plot-csv"

#include <math.h>

#include "gs-plot-private.h"

static void
put_value (GString *s, double v)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  if (isnan (v))
    g_string_append (s, ",NaN");
  else if (isinf (v))
    g_string_append (s, v > 0 ? ",Inf" : ",-Inf");
  else
    g_string_append_printf (s, ",%s", g_ascii_formatd (buf, sizeof buf, "%.9g", v));
}

/* The run column: its label in the figure, quoted. */
static void
put_run (GString *s, GsPlotCtx *ctx, guint r)
{
  g_autofree char *label = _gs_run_label (ctx, r);
  g_autofree char *quoted = NULL;
  g_auto (GStrv) parts = g_strsplit (label, "\"", -1);

  quoted = g_strjoinv ("\"\"", parts);
  g_string_append_printf (s, "\"%s\"", quoted);
}

/* Per layer and stored column: the probes the heat images draw. */
static void
steps_table (GsPlotCtx *ctx, GString *s, const GsProbe *probes, const char *const *names, guint n)
{
  g_string_append (s, "run,layer,first_step,last_step");
  for (guint k = 0; k < n; k++)
    g_string_append_printf (s, ",%s", names[k]);
  g_string_append_c (s, '\n');
  for (guint r = 0; r < ctx->n_runs; r++)
    {
      GsRecord *rec = ctx->runs[r];
      guint     stride = MAX (gs_record_stride (rec), 1), n_steps = gs_record_n_steps (rec);
      for (guint l = 0; l < gs_record_n_layers (rec); l++)
        for (guint c = 0; c < gs_record_n_columns (rec); c++)
          {
            put_run (s, ctx, r);
            g_string_append_printf (s, ",%u,%u,%u", l + 1, c * stride + 1, MIN ((c + 1) * stride, n_steps));
            for (guint k = 0; k < n; k++)
              put_value (s, gs_record_series (rec, probes[k], l)[c]);
            g_string_append_c (s, '\n');
          }
    }
}

static void
heatmap_table (GsPlotCtx *ctx, GString *s)
{
  static const GsProbe     p[] = { GS_PROBE_GRAD_NORM };
  static const char *const n[] = { "grad_norm_l2" };
  steps_table (ctx, s, p, n, 1);
}

static void
activations_table (GsPlotCtx *ctx, GString *s)
{
  static const GsProbe     p[] = { GS_PROBE_ACT_MEAN, GS_PROBE_ACT_STD, GS_PROBE_ACT_SAT };
  static const char *const n[] = { "act_mean", "act_std", "saturated_fraction" };
  steps_table (ctx, s, p, n, 3);
}

/* Every probe: the numbers behind the dashboard. */
static void
all_probes_table (GsPlotCtx *ctx, GString *s)
{
  static const char *const n[GS_N_PROBES] = {
    "grad_norm_l2", "grad_mean_abs",  "signal_norm_l2", "act_mean",     "act_std",    "saturated_fraction",
    "update_ratio", "weight_norm_l2", "act_in_norm_l2", "dact_norm_l2", "dz_norm_l2", "wt_norm_l2",
  };
  GsProbe p[GS_N_PROBES];
  for (guint k = 0; k < GS_N_PROBES; k++)
    p[k] = k;
  steps_table (ctx, s, p, n, GS_N_PROBES);
}

/* Per layer at the shown step and at step 1, as the norms figure draws. */
static void
norms_table (GsPlotCtx *ctx, GString *s)
{
  g_string_append (s, "run,layer,step,grad_norm_l2\n");
  for (guint r = 0; r < ctx->n_runs; r++)
    {
      GsRecord *rec = ctx->runs[r];
      guint     shown = _gs_cursor_step (rec, ctx->style->cursor_step);
      for (guint l = 0; l < gs_record_n_layers (rec) && gs_record_n_steps (rec) > 0; l++)
        for (int first = 1; first >= 0; first--)
          {
            if (!first && shown == 1)
              continue;
            put_run (s, ctx, r);
            g_string_append_printf (s, ",%u,%u", l + 1, first ? 1 : shown);
            put_value (s, first ? gs_record_first_step_probe (rec, GS_PROBE_GRAD_NORM, l)
                                : _gs_probe_at (rec, GS_PROBE_GRAD_NORM, l, ctx->style->cursor_step));
            g_string_append_c (s, '\n');
          }
    }
}

static void
shrink_table (GsPlotCtx *ctx, GString *s)
{
  g_string_append (s, "run,layer,step,activation_factor,norm_factor,weights_factor,skip_factor,"
                      "layer_factor,signal_relative_to_output\n");
  for (guint r = 0; r < ctx->n_runs; r++)
    {
      GsRecord               *rec = ctx->runs[r];
      g_autofree GsShrinkRow *rows = g_new (GsShrinkRow, gs_record_n_layers (rec));
      guint                   n = _gs_shrink_rows (rec, ctx->style->cursor_step, rows);
      for (guint l = 0; l < n && gs_record_n_steps (rec) > 0; l++)
        {
          const GsShrinkRow *w = &rows[l];
          put_run (s, ctx, r);
          g_string_append_printf (s, ",%u,%u", l + 1, _gs_cursor_step (rec, ctx->style->cursor_step));
          put_value (s, w->act);
          put_value (s, w->norm);
          put_value (s, w->weights);
          put_value (s, w->skip);
          put_value (s, w->crossing);
          put_value (s, w->reach);
          g_string_append_c (s, '\n');
        }
    }
}

static void
curves_row (GsPlotCtx  *ctx,
            GString    *s,
            guint       r,
            const char *epoch,
            guint       step,
            const char *split,
            double      loss,
            double      acc)
{
  put_run (s, ctx, r);
  g_string_append_printf (s, ",%s,%u,%s", epoch, step, split);
  put_value (s, loss);
  put_value (s, acc);
  g_string_append_c (s, '\n');
}

static void
curves_table (GsPlotCtx *ctx, GString *s)
{
  g_string_append (s, "run,epoch,last_step,split,loss_nats,accuracy_fraction\n");
  for (guint r = 0; r < ctx->n_runs; r++)
    {
      GsRecord *rec = ctx->runs[r];
      for (guint i = 0; i < gs_record_n_epochs (rec); i++)
        {
          const GsEpochStats *e = gs_record_epoch (rec, i);
          char                ep[16];
          g_snprintf (ep, sizeof ep, "%d", e->epoch);
          curves_row (ctx, s, r, ep, e->last_step, "train", e->train_loss, e->train_acc);
          curves_row (ctx, s, r, ep, e->last_step, "validation", e->val_loss, e->val_acc);
        }
      if (gs_record_has_test (rec))
        curves_row (ctx, s, r, "", gs_record_n_steps (rec), "test", gs_record_test_loss (rec),
                    gs_record_test_accuracy (rec));
    }
}

/* Histogram bins of every checkpoint (the histograms, percentiles and
 * init-hist figures read theirs off these); init_only: step 1 only. */
static void
bins_table (GsPlotCtx *ctx, GString *s, gboolean init_only)
{
  static const char *const kinds[GS_N_HIST_KINDS] = { "weight", "weight_gradient", "activation", "signal" };

  g_string_append (s, "run,step,layer,kind,bin_low,bin_high,count\n");
  for (guint r = 0; r < ctx->n_runs; r++)
    {
      GsRecord *rec = ctx->runs[r];
      guint     n_cp = init_only ? (_gs_init_checkpoint (rec) == 0) : gs_record_n_checkpoints (rec);
      for (guint cp = 0; cp < n_cp; cp++)
        for (guint l = 0; l < gs_record_n_layers (rec); l++)
          for (guint k = 0; k < GS_N_HIST_KINDS; k++)
            {
              const GsHist *h = gs_record_hist (rec, cp, k, l);
              double        w = h ? ((double) h->hi - h->lo) / GS_HIST_BINS : 0;
              for (guint b = 0; h && isfinite (w) && b < GS_HIST_BINS; b++)
                {
                  put_run (s, ctx, r);
                  g_string_append_printf (s, ",%u,%u,%s", gs_record_checkpoint_step (rec, cp), l + 1,
                                          kinds[k]);
                  put_value (s, h->lo + w * b);
                  put_value (s, h->lo + w * (b + 1));
                  g_string_append_printf (s, ",%u\n", h->counts[b]);
                }
            }
    }
}

static void
at_init_table (GsPlotCtx *ctx, GString *s)
{
  g_string_append (s, "run,layer,step,act_std,grad_norm_l2,signal_norm_l2\n");
  for (guint r = 0; r < ctx->n_runs; r++)
    for (guint l = 0; l < gs_record_n_layers (ctx->runs[r]); l++)
      {
        put_run (s, ctx, r);
        g_string_append_printf (s, ",%u,1", l + 1);
        put_value (s, gs_record_first_step_probe (ctx->runs[r], GS_PROBE_ACT_STD, l));
        put_value (s, gs_record_first_step_probe (ctx->runs[r], GS_PROBE_GRAD_NORM, l));
        put_value (s, gs_record_first_step_probe (ctx->runs[r], GS_PROBE_SIGNAL_NORM, l));
        g_string_append_c (s, '\n');
      }
}

char *
_gs_plot_csv (GsFigure fig, GsRecord *const *runs, guint n_runs, const GsPlotStyle *style)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 1, 1);
  cairo_t         *cr = cairo_create (surface);
  GString         *s = g_string_new (NULL);
  GsPlotCtx        ctx;

  _gs_ctx_init (&ctx, cr, style, runs, n_runs);
  switch (fig)
    {
    case GS_FIGURE_HEATMAP:
      heatmap_table (&ctx, s);
      break;
    case GS_FIGURE_ACTIVATIONS:
      activations_table (&ctx, s);
      break;
    case GS_FIGURE_NORMS:
      norms_table (&ctx, s);
      break;
    case GS_FIGURE_SHRINK:
      shrink_table (&ctx, s);
      break;
    case GS_FIGURE_CURVES:
      curves_table (&ctx, s);
      break;
    case GS_FIGURE_HISTOGRAMS:
    case GS_FIGURE_PERCENTILES:
      bins_table (&ctx, s, FALSE);
      break;
    case GS_FIGURE_INIT_HIST:
      bins_table (&ctx, s, TRUE);
      break;
    case GS_FIGURE_AT_INIT:
      at_init_table (&ctx, s);
      break;
    case GS_FIGURE_DASHBOARD:
    case GS_N_FIGURES:
    default:
      all_probes_table (&ctx, s);
      break;
    }
  _gs_ctx_clear (&ctx);
  cairo_destroy (cr);
  cairo_surface_destroy (surface);
  return g_string_free (s, FALSE);
}
