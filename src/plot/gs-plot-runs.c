/* gs-plot-runs.c: what figures read off the runs: names and labels, the
 * replay cursor, the layers and checkpoints shown, histogram kinds. */
#define G_LOG_DOMAIN "gs-plot-runs"

#include <math.h>

#include "gs-plot-private.h"

char *
_gs_run_name (GsRecord *rec)
{
  g_autofree char *desc = gs_config_describe (gs_record_config (rec));
  if (!desc || !*desc)
    /* TRANSLATORS: the name of a training run without a description */
    return g_strdup (_ ("run"));
  if (gs_record_diverged (rec, NULL, NULL, NULL))
    /* TRANSLATORS: %s is a run's settings, e.g. "baseline, lr=0.1" */
    return g_strdup_printf (_ ("%s (diverged)"), desc);
  return g_steal_pointer (&desc);
}

static char **
run_tokens (GsRecord *rec)
{
  g_autofree char *desc = gs_config_describe (gs_record_config (rec));
  return g_strsplit (desc && *desc ? desc : _ ("run"), ", ", -1);
}

static gboolean
token_common (GsPlotCtx *ctx, const char *token, gboolean first)
{
  for (guint r = 0; r < ctx->n_runs; r++)
    {
      g_auto (GStrv) t = run_tokens (ctx->runs[r]);
      gboolean found
          = first ? g_strcmp0 (t[0], token) == 0 : g_strv_contains ((const char *const *) t + 1, token);
      if (!found)
        return FALSE;
    }
  return TRUE;
}

/* A run's name in a comparison: what tells it apart from the others. */
char *
_gs_run_label (GsPlotCtx *ctx, guint r)
{
  if (ctx->n_runs < 2)
    return _gs_run_name (ctx->runs[r]);
  g_auto (GStrv) t = run_tokens (ctx->runs[r]);
  GString *s = g_string_new (t[0]);
  for (guint i = 1; t[i]; i++)
    if (!token_common (ctx, t[i], FALSE))
      g_string_append_printf (s, ", %s", t[i]);
  if (gs_record_diverged (ctx->runs[r], NULL, NULL, NULL))
    {
      g_autofree char *tokens = g_string_free (s, FALSE);
      return g_strdup_printf (_ ("%s (diverged)"), tokens);
    }
  return g_string_free (s, FALSE);
}

/* What a figure's title names: the run, or the settings all runs share. */
char *
_gs_title_suffix (GsPlotCtx *ctx)
{
  if (ctx->n_runs == 1)
    return _gs_run_name (ctx->runs[0]);
  g_auto (GStrv) t = run_tokens (ctx->runs[0]);
  GString *s = g_string_new (NULL);
  for (guint i = 0; t[i]; i++)
    if (token_common (ctx, t[i], i == 0))
      g_string_append_printf (s, "%s%s", s->len ? ", " : "", t[i]);
  if (s->len == 0)
    {
      g_string_free (s, TRUE);
      return NULL;
    }
  return g_string_free (s, FALSE);
}

/* The step shown: the cursor, or the latest step when the cursor is 0. */
guint
_gs_cursor_step (GsRecord *rec, guint cursor_step)
{
  guint n = gs_record_n_steps (rec);
  return cursor_step == 0 || cursor_step > n ? n : cursor_step;
}

/* How many stored columns lie at or before the cursor. */
guint
_gs_cursor_column (GsRecord *rec, guint cursor_step)
{
  guint n_cols = gs_record_n_columns (rec), stride = MAX (gs_record_stride (rec), 1);
  guint step = _gs_cursor_step (rec, cursor_step);
  if (step >= gs_record_n_steps (rec))
    return n_cols;
  return MIN (n_cols, (step + stride - 1) / stride);
}

float
_gs_probe_at (GsRecord *rec, GsProbe probe, guint layer, guint cursor_step)
{
  guint n_steps = gs_record_n_steps (rec), n_cols = gs_record_n_columns (rec);

  if (n_steps == 0 || n_cols == 0 || layer >= gs_record_n_layers (rec))
    return NAN;
  if (cursor_step == 0 || cursor_step >= n_steps)
    return gs_record_last_probes (rec, layer)[probe];
  guint col = (cursor_step - 1) / MAX (gs_record_stride (rec), 1);
  return gs_record_series (rec, probe, layer)[MIN (col, n_cols - 1)];
}

/* The most layers any of the runs drawn has (at least 1). */
guint
_gs_max_layers (GsPlotCtx *ctx)
{
  guint n = 1;

  for (guint r = 0; r < ctx->n_runs; r++)
    n = MAX (n, gs_record_n_layers (ctx->runs[r]));
  return n;
}

guint
_gs_pick_layers (guint n_hidden, guint max, guint *out)
{
  guint n = MIN (n_hidden, max);

  for (guint i = 0; i < n; i++)
    out[i] = n == 1 ? n_hidden - 1 : i * (n_hidden - 1) / (n - 1);
  return n;
}

int
_gs_init_checkpoint (GsRecord *rec)
{
  if (gs_record_n_checkpoints (rec) == 0 || gs_record_checkpoint_step (rec, 0) != 1)
    return -1;
  return 0;
}

/* What each histogram kind counts (axis texts, hover) and its figure title;
 * marked with N_(), translated where asked for. */
static const struct
{
  const char *label, *title;
} hist_kinds[GS_N_HIST_KINDS] = {
  [GS_HIST_WEIGHT] = { N_ ("weight value"), N_ ("Weight histograms") },
  [GS_HIST_GRAD] = { N_ ("weight gradient ∂L/∂W"), N_ ("Weight-gradient histograms") },
  [GS_HIST_ACT] = { N_ ("activation value"), N_ ("Activation histograms") },
  [GS_HIST_SIGNAL] = { N_ ("backprop signal ∂L/∂h"), N_ ("Backprop-signal histograms") },
};

const char *
_gs_hist_kind_label (GsHistKind kind)
{
  return kind < GS_N_HIST_KINDS ? _ (hist_kinds[kind].label) : _ ("value");
}

const char *
_gs_hist_kind_title (GsHistKind kind)
{
  return kind < GS_N_HIST_KINDS ? _ (hist_kinds[kind].title) : _ ("Histograms");
}
