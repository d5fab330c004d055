/* gs-runfile.c: run files (docs/run-format.md). Series and histograms are
 * stored as base64 of little-endian float32 / uint32 arrays: lossless (NaN
 * and Inf included), small, and fast to read. Everything else is plain JSON. */
#define G_LOG_DOMAIN "gs-runfile"

#include "gs-runfile.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

#include "gs-file.h"
#include "gs-gzip.h"
#include "gs-intervention-json.h"
#include "gs-record-private.h"

G_DEFINE_QUARK (gs - runfile - error - quark, gs_runfile_error)


/* ---- writing ---- */

static char *
b64_floats (const float *v, gsize n)
{
  G_STATIC_ASSERT (G_BYTE_ORDER == G_LITTLE_ENDIAN);
  return g_base64_encode ((const guchar *) v, n * sizeof (float));
}

static void
add_b64 (JsonBuilder *b, const char *name, char *encoded)
{
  json_builder_set_member_name (b, name);
  json_builder_add_string_value (b, encoded);
  g_free (encoded);
}

static void
add_int (JsonBuilder *b, const char *name, gint64 v)
{
  json_builder_set_member_name (b, name);
  json_builder_add_int_value (b, v);
}

static void
add_double (JsonBuilder *b, const char *name, double v)
{
  json_builder_set_member_name (b, name);
  json_builder_add_double_value (b, isfinite (v) ? v : 0);
}

void
gs_runfile_add_config (JsonBuilder *b, const GsConfig *c)
{
  guint               n;
  const GsOptionSpec *o = gs_config_options (&n);

  json_builder_set_member_name (b, "config");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "preset");
  json_builder_add_string_value (b, c->preset);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *v = gs_config_get (c, o[i].name);
      json_builder_set_member_name (b, o[i].name);
      json_builder_add_string_value (b, v);
    }
  json_builder_end_object (b);
}

static void
build_series (JsonBuilder *b, GsRecord *r)
{
  gsize  np = (gsize) r->n_layers * GS_N_PROBES;
  float *packed = g_new (float, (gsize) r->n_series *MAX (r->n_columns, 1));
  float *fe = g_new (float, np);

  for (guint i = 0; i < r->n_series; i++)
    memcpy (packed + (gsize) i * r->n_columns, r->series + (gsize) i * r->capacity,
            r->n_columns * sizeof (float));
  for (gsize i = 0; i < np; i++)
    fe[i] = r->first_epoch_steps ? (float) (r->first_epoch[i] / r->first_epoch_steps) : NAN;
  add_b64 (b, "series", b64_floats (packed, (gsize) r->n_series * r->n_columns));
  add_b64 (b, "last", b64_floats (r->last, np));
  add_b64 (b, "first_step", b64_floats (r->first_step, np));
  add_b64 (b, "first_epoch", b64_floats (fe, np));
  g_free (packed);
  g_free (fe);
}

static void
build_checkpoints (JsonBuilder *b, GsRecord *r)
{
  json_builder_set_member_name (b, "checkpoint_steps");
  json_builder_begin_array (b);
  for (guint i = 0; i < r->checkpoint_steps->len; i++)
    json_builder_add_int_value (b, g_array_index (r->checkpoint_steps, guint, i));
  json_builder_end_array (b);
  G_STATIC_ASSERT (sizeof (GsHist) == 4 * sizeof (float) + GS_HIST_BINS * sizeof (guint32));
  add_b64 (b, "histograms",
           g_base64_encode ((const guchar *) r->hists->data, (gsize) r->hists->len * sizeof (GsHist)));
}

static void
build_epochs (JsonBuilder *b, GsRecord *r)
{
  json_builder_set_member_name (b, "epochs");
  json_builder_begin_array (b);
  for (guint i = 0; i < r->epochs->len; i++)
    {
      const GsEpochStats *e = &g_array_index (r->epochs, GsEpochStats, i);
      json_builder_begin_object (b);
      add_int (b, "epoch", e->epoch);
      add_int (b, "stage", e->stage);
      add_int (b, "phase", e->phase);
      add_int (b, "last_step", e->last_step);
      add_double (b, "train_loss", e->train_loss);
      add_double (b, "train_accuracy", e->train_acc);
      add_double (b, "val_loss", e->val_loss);
      add_double (b, "val_accuracy", e->val_acc);
      add_double (b, "seconds", e->seconds);
      add_int (b, "samples", e->samples);
      gs_runfile_add_grad_norm (b, r, i);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  gs_runfile_add_phases (b, r);
  gs_runfile_add_interventions (b, r);
}

void
gs_runfile_add_grad_norm (JsonBuilder *b, GsRecord *rec, guint epoch)
{
  json_builder_set_member_name (b, "grad_norm");
  json_builder_begin_array (b);
  for (guint l = 0; l < gs_record_n_layers (rec); l++)
    {
      float v = gs_record_epoch_grad_norm (rec, epoch, l);
      if (isfinite (v))
        json_builder_add_double_value (b, v);
      else
        json_builder_add_null_value (b);
    }
  json_builder_end_array (b);
}

void
gs_runfile_add_interventions (JsonBuilder *b, GsRecord *rec)
{
  json_builder_set_member_name (b, "interventions");
  json_builder_begin_array (b);
  for (guint i = 0; i < gs_record_n_interventions (rec); i++)
    {
      gs_intervention_build_json (b, gs_record_intervention (rec, i));
    }
  json_builder_end_array (b);
}

void
gs_runfile_add_number (JsonBuilder *b, const char *name, double v)
{
  json_builder_set_member_name (b, name);
  if (isfinite (v))
    json_builder_add_double_value (b, v);
  else
    json_builder_add_null_value (b);
}

void
gs_runfile_add_phases (JsonBuilder *b, GsRecord *rec)
{
  json_builder_set_member_name (b, "phases");
  json_builder_begin_array (b);
  for (guint i = 0; i < gs_record_n_phases (rec); i++)
    {
      const GsPhase *p = gs_record_phase (rec, i);
      json_builder_begin_object (b);
      add_int (b, "step", p->step);
      add_int (b, "stage", p->stage);
      add_int (b, "hidden_layers", p->active_depth);
      add_int (b, "trainable_from", p->lowest_trainable + 1); /* 1-based */
      add_int (b, "epochs", p->epochs);
      gs_runfile_add_number (b, "val_accuracy", p->val_acc);
      gs_runfile_add_number (b, "test_accuracy", p->test_acc);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
}

static void
build_outcome (JsonBuilder *b, GsRecord *r)
{
  json_builder_set_member_name (b, "test");
  if (r->has_test)
    {
      json_builder_begin_object (b);
      add_double (b, "loss", r->test_loss);
      add_double (b, "accuracy", r->test_acc);
      json_builder_end_object (b);
    }
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "diverged");
  if (r->diverged)
    {
      json_builder_begin_object (b);
      add_int (b, "step", r->diverged_step);
      add_int (b, "layer", r->diverged_layer + 1); /* 1-based */
      json_builder_set_member_name (b, "what");
      json_builder_add_string_value (b, r->diverged_what ? r->diverged_what : "");
      json_builder_end_object (b);
    }
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "finished");
  json_builder_add_boolean_value (b, r->finished);
  json_builder_set_member_name (b, "stopped_early");
  json_builder_add_boolean_value (b, r->stopped_early);
  add_double (b, "seconds", r->seconds);
}

static char *
to_json (GsRecord *r, gsize *length)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  g_autoptr (JsonGenerator) gen = json_generator_new ();
  g_autoptr (JsonNode) root = NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "format");
  json_builder_add_string_value (b, "gradscope-run");
  add_int (b, "version", GS_RUNFILE_VERSION);
  gs_runfile_add_config (b, &r->config);
  json_builder_set_member_name (b, "dataset");
  json_builder_add_string_value (b, r->dataset);
  add_int (b, "layers", r->n_layers);
  add_int (b, "steps_per_epoch", r->steps_per_epoch);
  add_int (b, "steps", r->n_steps);
  add_int (b, "columns", r->n_columns);
  add_int (b, "stride", r->stride);
  build_series (b, r);
  build_checkpoints (b, r);
  build_epochs (b, r);
  build_outcome (b, r);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  json_generator_set_root (gen, root);
  return json_generator_to_data (gen, length);
}

gboolean
gs_runfile_save (GsRecord *rec, const char *path, GError **error)
{
  g_autoptr (GsRecord) snap = gs_record_snapshot (rec);
  gsize            len;
  g_autofree char *json = to_json (snap, &len);
  g_autoptr (GBytes) gz = NULL;
  const char *data = json;
  GError     *local = NULL;

  if (g_str_has_suffix (path, ".gz") || g_str_has_suffix (path, GS_RUNFILE_SUFFIX))
    {
      gz = gs_gzip_compress (json, len);
      data = g_bytes_get_data (gz, &len);
    }
  if (!gs_file_write (path, data, len, &local))
    {
      /* local starts with the path and says what is wrong */
      g_set_error (error, GS_RUNFILE_ERROR, GS_RUNFILE_ERROR_WRITE, "%s (the run was not saved)",
                   local->message);
      g_error_free (local);
      return FALSE;
    }
  return TRUE;
}

/* ---- reading ---- */

typedef struct
{
  const char *path;
  GError    **error;
  int         layer_base; /* what the file calls the first layer: 0 in version 1 */
  guint       n_probes;   /* probes per layer in the file: 8 before version 3 */
} Reader;

static gboolean fail (Reader *rd, int code, const char *fmt, ...) G_GNUC_PRINTF (3, 4);

static gboolean
fail (Reader *rd, int code, const char *fmt, ...)
{
  va_list          ap;
  g_autofree char *msg = NULL;

  va_start (ap, fmt);
  msg = g_strdup_vprintf (fmt, ap);
  va_end (ap);
  g_set_error (rd->error, GS_RUNFILE_ERROR, code, "%s: %s", rd->path, msg);
  return FALSE;
}

static gboolean
get_int (Reader *rd, JsonObject *o, const char *name, gint64 min, gint64 max, gint64 *out)
{
  JsonNode *n = json_object_get_member (o, name);

  if (n == NULL || json_node_get_value_type (n) != G_TYPE_INT64)
    return fail (rd, GS_RUNFILE_ERROR_FORMAT, "'%s' is missing or not a whole number", name);
  *out = json_node_get_int (n);
  if (*out < min || *out > max)
    return fail (rd, GS_RUNFILE_ERROR_FORMAT,
                 "'%s' is %" G_GINT64_FORMAT ", outside %" G_GINT64_FORMAT "..%" G_GINT64_FORMAT, name, *out,
                 min, max);
  return TRUE;
}

static gboolean
get_double (Reader *rd, JsonObject *o, const char *name, double *out)
{
  JsonNode *n = json_object_get_member (o, name);
  GType     t = n ? json_node_get_value_type (n) : G_TYPE_INVALID;

  if (t != G_TYPE_DOUBLE && t != G_TYPE_INT64)
    return fail (rd, GS_RUNFILE_ERROR_FORMAT, "'%s' is missing or not a number", name);
  *out = json_node_get_double (n);
  return TRUE;
}

static gboolean
get_string (Reader *rd, JsonObject *o, const char *name, const char **out)
{
  JsonNode *n = json_object_get_member (o, name);

  if (n == NULL || json_node_get_value_type (n) != G_TYPE_STRING)
    return fail (rd, GS_RUNFILE_ERROR_FORMAT, "'%s' is missing or not a string", name);
  *out = json_node_get_string (n);
  return TRUE;
}

/* Decodes base64 member `name` into exactly `bytes` bytes. */
static gpointer
get_blob (Reader *rd, JsonObject *o, const char *name, gsize bytes)
{
  const char *s = NULL;
  gsize       len = 0;
  guchar     *data;

  if (!get_string (rd, o, name, &s))
    return NULL;
  if (strlen (s) / 4 * 3 > bytes + 3)
    {
      fail (rd, GS_RUNFILE_ERROR_FORMAT, "'%s' holds more data than the header says", name);
      return NULL;
    }
  data = g_base64_decode (s, &len);
  if (len != bytes)
    {
      g_free (data);
      fail (rd, GS_RUNFILE_ERROR_FORMAT,
            "'%s' has %" G_GSIZE_FORMAT " bytes, expected %" G_GSIZE_FORMAT " (truncated or corrupt)", name,
            len, bytes);
      return NULL;
    }
  return bytes ? data : (g_free (data), g_malloc (1));
}

static gboolean
read_config (Reader *rd, JsonObject *root, GsConfig *c)
{
  JsonNode           *n = json_object_get_member (root, "config");
  JsonObject         *o;
  guint               count;
  const GsOptionSpec *opts = gs_config_options (&count);
  const char         *preset = NULL;
  GError             *local = NULL;

  if (n == NULL || !JSON_NODE_HOLDS_OBJECT (n))
    return fail (rd, GS_RUNFILE_ERROR_FORMAT, "'config' is missing");
  o = json_node_get_object (n);
  gs_config_init_defaults (c);
  for (guint i = 0; i < count; i++)
    {
      const char *v = NULL;
      if (!json_object_has_member (o, opts[i].name))
        continue; /* older files: the default */
      if (!get_string (rd, o, opts[i].name, &v))
        return FALSE;
      if (!gs_config_set (c, opts[i].name, v, &local))
        goto bad;
    }
  if (!get_string (rd, o, "preset", &preset))
    return FALSE;
  g_strlcpy (c->preset, gs_preset_find (preset) ? preset : "", sizeof c->preset);
  if (gs_config_validate (c, &local))
    return TRUE;
bad:
  fail (rd, GS_RUNFILE_ERROR_FORMAT, "bad config: %s", local->message);
  g_error_free (local);
  return FALSE;
}

/* A (layers, file probes) blob of floats into (layers, GS_N_PROBES); the
 * probes an older file lacks are NaN (not taken). */
static void
spread_probes (const Reader *rd, const float *in, float *out, guint n_layers, guint columns)
{
  for (guint l = 0; l < n_layers; l++)
    for (guint p = 0; p < GS_N_PROBES; p++)
      for (guint c = 0; c < columns; c++)
        out[((gsize) l * GS_N_PROBES + p) * columns + c]
            = p < rd->n_probes ? in[((gsize) l * rd->n_probes + p) * columns + c] : NAN;
}

static gboolean
read_series (Reader *rd, JsonObject *root, GsRecord *r)
{
  const gsize       np = (gsize) r->n_layers * rd->n_probes, nc = r->n_columns;
  const gsize       file_series = np + 2;
  g_autofree float *packed = get_blob (rd, root, "series", file_series * nc * sizeof (float));
  g_autofree float *fe = NULL;
  g_autofree float *last = NULL, *first = NULL;
  g_autofree float *all = NULL, *fe_all = g_new (float, (gsize) r->n_layers *GS_N_PROBES);

  if (!packed || !(last = get_blob (rd, root, "last", np * sizeof (float)))
      || !(first = get_blob (rd, root, "first_step", np * sizeof (float)))
      || !(fe = get_blob (rd, root, "first_epoch", np * sizeof (float))))
    return FALSE;
  g_free (r->series);
  r->capacity = MAX (r->n_columns, 1);
  all = g_new (float, (gsize) r->n_series * r->capacity);
  spread_probes (rd, packed, all, r->n_layers, nc);
  memcpy (all + (gsize) r->n_layers * GS_N_PROBES * nc, packed + np * nc, 2 * nc * sizeof (float));
  r->series = g_steal_pointer (&all);
  spread_probes (rd, last, r->last, r->n_layers, 1);
  spread_probes (rd, first, r->first_step, r->n_layers, 1);
  spread_probes (rd, fe, fe_all, r->n_layers, 1);
  for (gsize i = 0; i < (gsize) r->n_layers * GS_N_PROBES; i++)
    r->first_epoch[i] = fe_all[i];
  r->first_epoch_steps = 1;
  return TRUE;
}

static JsonArray *
get_array (Reader *rd, JsonObject *o, const char *name)
{
  JsonNode *n = json_object_get_member (o, name);

  if (n == NULL || !JSON_NODE_HOLDS_ARRAY (n))
    {
      fail (rd, GS_RUNFILE_ERROR_FORMAT, "'%s' is missing or not a list", name);
      return NULL;
    }
  return json_node_get_array (n);
}

static JsonObject *
element_object (Reader *rd, JsonArray *a, guint i, const char *name)
{
  JsonNode *n = json_array_get_element (a, i);

  if (!JSON_NODE_HOLDS_OBJECT (n))
    {
      fail (rd, GS_RUNFILE_ERROR_FORMAT, "'%s' entry %u is not an object", name, i);
      return NULL;
    }
  return json_node_get_object (n);
}

static gboolean
read_checkpoints (Reader *rd, JsonObject *root, GsRecord *r)
{
  JsonArray         *a = get_array (rd, root, "checkpoint_steps");
  guint              n;
  g_autofree GsHist *h = NULL;

  if (a == NULL)
    return FALSE;
  n = json_array_get_length (a);
  if (n > gs_record_max_checkpoints (r->n_layers))
    return fail (rd, GS_RUNFILE_ERROR_TOO_LARGE,
                 "%u histogram checkpoints, more than a "
                 "run of %u layers keeps (%u)",
                 n, r->n_layers, gs_record_max_checkpoints (r->n_layers));
  for (guint i = 0; i < n; i++)
    {
      JsonNode *e = json_array_get_element (a, i);
      guint     step;
      if (json_node_get_value_type (e) != G_TYPE_INT64)
        return fail (rd, GS_RUNFILE_ERROR_FORMAT, "checkpoint %u is not a step number", i);
      step = (guint) CLAMP (json_node_get_int (e), 0, G_MAXUINT);
      g_array_append_val (r->checkpoint_steps, step);
    }
  h = get_blob (rd, root, "histograms", (gsize) n * r->n_layers * GS_N_HIST_KINDS * sizeof (GsHist));
  if (h == NULL)
    return FALSE;
  g_array_append_vals (r->hists, h, n * r->n_layers * GS_N_HIST_KINDS);
  return TRUE;
}

static gboolean
get_accuracy (Reader *rd, JsonObject *o, const char *name, double *out)
{
  JsonNode *n = json_object_get_member (o, name);

  if (n != NULL && JSON_NODE_HOLDS_NULL (n))
    return *out = NAN, TRUE;
  return get_double (rd, o, name, out);
}

/* Version 3: phases with their own numbers. */
static gboolean
read_phases (Reader *rd, JsonObject *root, GsRecord *r)
{
  JsonArray *a = get_array (rd, root, "phases");

  if (a == NULL || json_array_get_length (a) > GS_MAX_PHASES)
    return a ? fail (rd, GS_RUNFILE_ERROR_FORMAT, "too many phases") : FALSE;
  for (guint i = 0; i < json_array_get_length (a); i++)
    {
      JsonObject *o = element_object (rd, a, i, "phases");
      gint64      step = 0, st = 0, d = 0, lo = 0, ep = 0;
      GsPhase     p;
      if (!o || !get_int (rd, o, "step", 0, G_MAXUINT, &step)
          || !get_int (rd, o, "stage", 0, GS_MAX_STAGES, &st)
          || !get_int (rd, o, "hidden_layers", 0, GS_MAX_DEPTH, &d)
          || !get_int (rd, o, "trainable_from", 1, GS_MAX_DEPTH + 1, &lo)
          || !get_int (rd, o, "epochs", 0, GS_MAX_EPOCHS, &ep)
          || !get_accuracy (rd, o, "val_accuracy", &p.val_acc)
          || !get_accuracy (rd, o, "test_accuracy", &p.test_acc))
        return FALSE;
      p.step = (guint) step, p.stage = (int) st, p.active_depth = (int) d;
      p.lowest_trainable = (int) lo - 1, p.epochs = (int) ep;
      g_array_append_val (r->phases, p);
    }
  return TRUE;
}

/* Versions 1 and 2: "stages", one per phase of layer-wise runs, without
 * numbers; the epochs give them. */
static gboolean
read_stages (Reader *rd, JsonObject *root, GsRecord *r)
{
  JsonArray *s = get_array (rd, root, "stages");

  if (s == NULL || json_array_get_length (s) > GS_MAX_PHASES)
    return s ? fail (rd, GS_RUNFILE_ERROR_FORMAT, "too many stages") : FALSE;
  for (guint i = 0; i < json_array_get_length (s); i++)
    {
      JsonObject *o = element_object (rd, s, i, "stages");
      gint64      step = 0, st = 0, d = 0, lo = 0;
      GsPhase     p = { 0, 0, 0, 0, 0, NAN, NAN };
      if (!o || !get_int (rd, o, "step", 0, G_MAXUINT, &step)
          || !get_int (rd, o, "stage", 1, GS_MAX_STAGES, &st)
          || !get_int (rd, o, "active_depth", 0, GS_MAX_DEPTH, &d)
          || !get_int (rd, o, "lowest_trainable", rd->layer_base, GS_MAX_DEPTH + rd->layer_base, &lo))
        return FALSE;
      p.step = (guint) step, p.stage = (int) st, p.active_depth = (int) d;
      p.lowest_trainable = (int) lo - rd->layer_base;
      g_array_append_val (r->phases, p);
    }
  for (guint i = 0; i < r->epochs->len; i++)
    {
      GsEpochStats *e = &g_array_index (r->epochs, GsEpochStats, i);
      for (guint k = 0; k < r->phases->len; k++)
        if (g_array_index (r->phases, GsPhase, k).step <= e->last_step)
          e->phase = (int) k + 1;
      if (e->phase > 0)
        {
          GsPhase *p = &g_array_index (r->phases, GsPhase, e->phase - 1);
          p->epochs++, p->val_acc = e->val_acc;
        }
    }
  return TRUE;
}

/* An epoch's optional "grad_norm" (version 4): a number or null per layer. */
static gboolean
read_grad_norm (Reader *rd, JsonObject *o, GsRecord *r)
{
  JsonArray *a = json_object_has_member (o, "grad_norm") ? get_array (rd, o, "grad_norm") : NULL;

  if (a == NULL && json_object_has_member (o, "grad_norm"))
    return FALSE;
  if (a != NULL && json_array_get_length (a) != r->n_layers)
    return fail (rd, GS_RUNFILE_ERROR_FORMAT, "'grad_norm' has %u entries for %u layers",
                 json_array_get_length (a), r->n_layers);
  for (guint l = 0; l < r->n_layers; l++)
    {
      JsonNode *n = a ? json_array_get_element (a, l) : NULL;
      GType     t = n ? json_node_get_value_type (n) : G_TYPE_INVALID;
      float     v = t == G_TYPE_DOUBLE || t == G_TYPE_INT64 ? (float) json_node_get_double (n) : NAN;
      if (n != NULL && !JSON_NODE_HOLDS_NULL (n) && isnan (v))
        return fail (rd, GS_RUNFILE_ERROR_FORMAT, "'grad_norm' entry %u is not a number or null", l);
      g_array_append_val (r->epoch_grad, v);
    }
  return TRUE;
}

/* Optional (version 4): the changes applied while the run trained. */
static gboolean
read_interventions (Reader *rd, JsonObject *root, GsRecord *r)
{
  JsonArray *a
      = json_object_has_member (root, "interventions") ? get_array (rd, root, "interventions") : NULL;

  if (a == NULL)
    return !json_object_has_member (root, "interventions");
  if (json_array_get_length (a) > GS_MAX_INTERVENTIONS)
    return fail (rd, GS_RUNFILE_ERROR_TOO_LARGE, "more than %d interventions", GS_MAX_INTERVENTIONS);
  for (guint i = 0; i < json_array_get_length (a); i++)
    {
      JsonObject    *o = element_object (rd, a, i, "interventions");
      GsIntervention iv;
      g_autoptr (GError) local = NULL;
      if (o == NULL)
        return FALSE;
      if (!gs_intervention_from_json (o, &iv, &local))
        return fail (rd, GS_RUNFILE_ERROR_FORMAT, "interventions entry %u: %s", i, local->message);
      g_array_append_val (r->interventions, iv);
    }
  return TRUE;
}

static gboolean
read_epochs (Reader *rd, JsonObject *root, GsRecord *r)
{
  JsonArray *a = get_array (rd, root, "epochs");

  if (a == NULL || json_array_get_length (a) > GS_MAX_EPOCHS)
    return a ? fail (rd, GS_RUNFILE_ERROR_TOO_LARGE, "too many epochs") : FALSE;
  for (guint i = 0; i < json_array_get_length (a); i++)
    {
      JsonObject  *o = element_object (rd, a, i, "epochs");
      GsEpochStats e = { 0 };
      gint64       ep = 0, st = 0, last = 0, samples = 0, phase = 0;
      if (!o || !get_int (rd, o, "epoch", 1, G_MAXINT, &ep)
          || !get_int (rd, o, "stage", 0, GS_MAX_STAGES, &st)
          || !get_int (rd, o, "last_step", 0, G_MAXUINT, &last)
          || !get_double (rd, o, "train_loss", &e.train_loss)
          || !get_double (rd, o, "train_accuracy", &e.train_acc)
          || !get_double (rd, o, "val_loss", &e.val_loss) || !get_double (rd, o, "val_accuracy", &e.val_acc)
          || !get_double (rd, o, "seconds", &e.seconds) || !get_int (rd, o, "samples", 0, G_MAXUINT, &samples)
          || (json_object_has_member (o, "phase") && !get_int (rd, o, "phase", 0, GS_MAX_PHASES, &phase)))
        return FALSE;
      e.epoch = (int) ep, e.stage = (int) st, e.last_step = (guint) last, e.phase = (int) phase;
      e.samples = (guint) samples;
      g_array_append_val (r->epochs, e);
      if (!read_grad_norm (rd, o, r))
        return FALSE;
    }
  return json_object_has_member (root, "phases") ? read_phases (rd, root, r) : read_stages (rd, root, r);
}

/* Member name of root: an object (*out), or null or absent (*out NULL). */
static gboolean
get_optional_object (Reader *rd, JsonObject *root, const char *name, JsonObject **out)
{
  JsonNode *n = json_object_get_member (root, name);

  *out = n && JSON_NODE_HOLDS_OBJECT (n) ? json_node_get_object (n) : NULL;
  if (n == NULL || JSON_NODE_HOLDS_NULL (n) || *out)
    return TRUE;
  return fail (rd, GS_RUNFILE_ERROR_FORMAT, "'%s' is not an object or null", name);
}

/* A true/false member; absent: fallback (older files). */
static gboolean
get_optional_bool (Reader *rd, JsonObject *o, const char *name, gboolean fallback, gboolean *out)
{
  JsonNode *n = json_object_get_member (o, name);

  *out = fallback;
  if (n == NULL)
    return TRUE;
  if (json_node_get_value_type (n) != G_TYPE_BOOLEAN)
    return fail (rd, GS_RUNFILE_ERROR_FORMAT, "'%s' is not true or false", name);
  *out = json_node_get_boolean (n);
  return TRUE;
}

static gboolean
read_outcome (Reader *rd, JsonObject *root, GsRecord *r)
{
  JsonObject *t, *d;

  if (!get_optional_object (rd, root, "test", &t) || !get_optional_object (rd, root, "diverged", &d))
    return FALSE;
  if (t)
    {
      if (!get_double (rd, t, "loss", &r->test_loss) || !get_double (rd, t, "accuracy", &r->test_acc))
        return FALSE;
      r->has_test = TRUE;
    }
  if (d)
    {
      gint64      step = 0, layer = 0;
      const char *what = NULL;
      /* a layer of this run: 1..layers (0..layers-1 in version 1) */
      if (!get_int (rd, d, "step", 0, G_MAXUINT, &step)
          || !get_int (rd, d, "layer", rd->layer_base, (gint64) r->n_layers - 1 + rd->layer_base, &layer)
          || !get_string (rd, d, "what", &what))
        return FALSE;
      r->diverged = TRUE;
      r->diverged_step = (guint) step;
      r->diverged_layer = (int) layer - rd->layer_base;
      r->diverged_what = g_strdup (what);
    }
  r->seconds = 0;
  if (!get_optional_bool (rd, root, "finished", TRUE, &r->finished)
      || !get_optional_bool (rd, root, "stopped_early", FALSE, &r->stopped_early)
      || (json_object_has_member (root, "seconds") && !get_double (rd, root, "seconds", &r->seconds)))
    return FALSE;
  return TRUE;
}

static GsRecord *
read_record (Reader *rd, JsonObject *root)
{
  GsConfig    config;
  gint64      version = 0, layers = 0, spe = 0, steps = 0, cols = 0, stride = 0;
  const char *format = NULL, *dataset = NULL;
  g_autoptr (GsRecord) r = NULL;

  if (!json_object_has_member (root, "format") || !get_string (rd, root, "format", &format)
      || g_strcmp0 (format, "gradscope-run") != 0)
    {
      g_clear_error (rd->error);
      fail (rd, GS_RUNFILE_ERROR_FORMAT, "not a Gradscope run file");
      return NULL;
    }
  if (!get_int (rd, root, "version", 1, G_MAXINT, &version))
    return NULL;
  if (version > GS_RUNFILE_VERSION)
    {
      fail (rd, GS_RUNFILE_ERROR_VERSION,
            "format version %" G_GINT64_FORMAT " is newer than "
            "this Gradscope reads (%d); update Gradscope",
            version, GS_RUNFILE_VERSION);
      return NULL;
    }
  rd->layer_base = version >= 2 ? 1 : 0;
  rd->n_probes = version >= 3 ? GS_N_PROBES : 8;
  if (!read_config (rd, root, &config) || !get_string (rd, root, "dataset", &dataset)
      || !get_int (rd, root, "layers", config.depth + 1, config.depth + 1, &layers)
      || !get_int (rd, root, "steps_per_epoch", 1, G_MAXINT, &spe)
      || !get_int (rd, root, "steps", 0, G_MAXUINT, &steps)
      || !get_int (rd, root, "columns", 0, GS_RECORD_MAX_COLUMNS, &cols)
      || !get_int (rd, root, "stride", 1, G_MAXINT, &stride))
    return NULL;
  if ((guint64) cols * stride < (guint64) steps
      || (cols > 0 && (guint64) (cols - 1) * stride >= (guint64) steps))
    {
      fail (rd, GS_RUNFILE_ERROR_FORMAT,
            "%" G_GINT64_FORMAT " steps do not fit %" G_GINT64_FORMAT " columns of %" G_GINT64_FORMAT, steps,
            cols, stride);
      return NULL;
    }
  r = gs_record_new (&config, (guint) layers, (guint) spe, dataset);
  r->n_steps = (guint) steps;
  r->n_columns = (guint) cols;
  r->stride = (guint) stride;
  r->accum_count = r->stride; /* the last column is closed */
  /* the small members first: a file wrong there is named for it, whatever its series */
  if (!read_outcome (rd, root, r) || !read_series (rd, root, r) || !read_checkpoints (rd, root, r)
      || !read_epochs (rd, root, r) || !read_interventions (rd, root, r))
    return NULL;
  return g_steal_pointer (&r);
}

/* The gzip reader's error, in our domain. */
static void
gzip_failed (Reader *rd, GError *local)
{
  if (local->code == GS_GZIP_ERROR_TOO_LARGE)
    g_set_error (rd->error, GS_RUNFILE_ERROR, GS_RUNFILE_ERROR_TOO_LARGE, "%s (larger than any real run)",
                 local->message);
  else
    g_set_error_literal (rd->error, GS_RUNFILE_ERROR,
                         local->code == GS_GZIP_ERROR_CORRUPT ? GS_RUNFILE_ERROR_FORMAT
                                                              : GS_RUNFILE_ERROR_READ,
                         local->message);
  g_error_free (local);
}

/* json-glib's parser recurses once per level of nesting, so a file of
 * 80 000 '[' overflows the stack. The deepest real run file nests 4 levels
 * (root, epochs, an epoch); this counts brackets outside strings and
 * refuses a text deeper than GS_RUNFILE_MAX_DEPTH before it is parsed. */
static gboolean
check_depth (Reader *rd, const char *text, gsize len)
{
  guint    depth = 0;
  gboolean in_string = FALSE;

  for (gsize i = 0; i < len; i++)
    {
      char c = text[i];
      if (in_string)
        {
          if (c == '\\')
            i++;
          else if (c == '"')
            in_string = FALSE;
        }
      else if (c == '"')
        in_string = TRUE;
      else if ((c == '[' || c == '{') && ++depth > GS_RUNFILE_MAX_DEPTH)
        return fail (rd, GS_RUNFILE_ERROR_FORMAT,
                     "not a Gradscope run file (JSON nested deeper than %u levels)", GS_RUNFILE_MAX_DEPTH);
      else if ((c == ']' || c == '}') && depth > 0)
        depth--;
    }
  return TRUE;
}

GsRecord *
gs_runfile_load (const char *path, GError **error)
{
  Reader           rd = { path, error, 0, GS_N_PROBES };
  g_autofree char *text = NULL;
  gsize            len;
  GError          *local = NULL;
  g_autoptr (JsonParser) parser = json_parser_new ();
  JsonNode *root;

  if ((text = gs_gzip_load (path, GS_RUNFILE_MAX_BYTES, &len, &local)) == NULL)
    {
      gzip_failed (&rd, local);
      return NULL;
    }
  if (len == 0)
    {
      fail (&rd, GS_RUNFILE_ERROR_FORMAT, "not a Gradscope run file (empty file)");
      return NULL;
    }
  if (!check_depth (&rd, text, len))
    return NULL;
  if (!json_parser_load_from_data (parser, text, (gssize) len, &local))
    {
      fail (&rd, GS_RUNFILE_ERROR_FORMAT, "not a Gradscope run file (%s)", local->message);
      g_clear_error (&local);
      return NULL;
    }
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      fail (&rd, GS_RUNFILE_ERROR_FORMAT, "not a Gradscope run file");
      return NULL;
    }
  return read_record (&rd, json_node_get_object (root));
}
