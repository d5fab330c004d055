/* fuzz-runfile.c: gs_runfile_load on arbitrary bytes (JSON or gzipped JSON),
 * then every accessor a figure uses, over every layer, column, checkpoint,
 * epoch and stage: a file that loads must be safe to draw. */
#include "fuzz-common.h"

#include <stdio.h>

#include <json-glib/json-glib.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "gs-gzip.h"
#include "gs-runfile.h"

size_t LLVMFuzzerMutate (uint8_t *data, size_t size, size_t max_size);
size_t LLVMFuzzerCustomMutator (uint8_t *data, size_t size, size_t max_size, unsigned int seed);

static float sink;

static void
touch (const float *v, guint n)
{
  GS_FUZZ_CHECK (n == 0 || v != NULL);
  for (guint i = 0; i < n; i++)
    sink += v[i];
}

static void
walk_series (GsRecord *rec)
{
  guint n_layers = gs_record_n_layers (rec);
  guint n_cols = gs_record_n_columns (rec);

  GS_FUZZ_CHECK (gs_record_stride (rec) >= 1);
  touch (gs_record_loss_series (rec), n_cols);
  touch (gs_record_accuracy_series (rec), n_cols);
  for (guint l = 0; l < n_layers; l++)
    {
      for (int p = 0; p < GS_N_PROBES; p++)
        {
          touch (gs_record_series (rec, p, l), n_cols);
          sink += gs_record_first_step_probe (rec, p, l);
          sink += gs_record_first_epoch_probe (rec, p, l);
        }
      if (gs_record_n_steps (rec) > 0)
        touch (gs_record_last_probes (rec, l), GS_N_PROBES);
    }
}

static void
walk_checkpoints (GsRecord *rec)
{
  guint n_layers = gs_record_n_layers (rec);

  for (guint cp = 0; cp < gs_record_n_checkpoints (rec); cp++)
    {
      sink += gs_record_checkpoint_step (rec, cp);
      for (int k = 0; k < GS_N_HIST_KINDS; k++)
        for (guint l = 0; l < n_layers; l++)
          {
            const GsHist *h = gs_record_hist (rec, cp, k, l);
            GS_FUZZ_CHECK (h != NULL);
            sink += h->lo + h->hi + h->mean + h->std + h->counts[GS_HIST_BINS - 1];
          }
    }
}

static void
walk_rest (GsRecord *rec)
{
  guint       step = 0;
  int         layer = 0;
  const char *what = NULL;
  gboolean    early;

  for (guint i = 0; i < gs_record_n_epochs (rec); i++)
    sink += gs_record_epoch (rec, i)->train_loss;
  for (guint i = 0; i < gs_record_n_stages (rec); i++)
    sink += gs_record_stage (rec, i)->active_depth;
  if (gs_record_diverged (rec, &step, &layer, &what))
    GS_FUZZ_CHECK (what != NULL);
  gs_record_finished (rec, &early);
  sink += gs_record_test_accuracy (rec) + gs_record_seconds (rec);
  GS_FUZZ_CHECK (gs_record_dataset (rec) != NULL);
  GS_FUZZ_CHECK (gs_config_validate (gs_record_config (rec), NULL));
}

/* --- The wrong-type mutator -------------------------------------------------
 *
 * A member of a run file replaced by a value of another JSON type: the
 * loader must refuse it, naming the member (docs/run-format.md). Under
 * libFuzzer it is a custom mutator (one replacement, chosen by the seed);
 * in the replay (GS_FUZZ_WRONG_TYPES set) every member of every input that
 * loads is replaced by every other type in turn. */

enum
{
  KIND_STRING,
  KIND_NUMBER,
  KIND_BOOL,
  KIND_ARRAY,
  KIND_OBJECT,
  KIND_NULL,
  N_KINDS
};

static int
kind_of (JsonNode *n)
{
  switch (json_node_get_node_type (n))
    {
    case JSON_NODE_OBJECT:
      return KIND_OBJECT;
    case JSON_NODE_ARRAY:
      return KIND_ARRAY;
    case JSON_NODE_NULL:
      return KIND_NULL;
    default:
      break;
    }
  GType t = json_node_get_value_type (n);
  return t == G_TYPE_STRING ? KIND_STRING : t == G_TYPE_BOOLEAN ? KIND_BOOL : KIND_NUMBER;
}

static JsonNode *
value_of_kind (int kind)
{
  JsonNode *n = json_node_new (JSON_NODE_VALUE);

  switch (kind)
    {
    case KIND_STRING:
      json_node_set_string (n, "0.9");
      return n;
    case KIND_NUMBER:
      json_node_set_int (n, 5);
      return n;
    case KIND_BOOL:
      json_node_set_boolean (n, TRUE);
      return n;
    case KIND_ARRAY:
      json_node_free (n);
      return json_node_init_array (json_node_alloc (), json_array_new ());
    case KIND_OBJECT:
      json_node_free (n);
      return json_node_init_object (json_node_alloc (), json_object_new ());
    default:
      json_node_free (n);
      return json_node_init_null (json_node_alloc ());
    }
}

/* Whether kind `to` may stand where `from` stood: "test" and "diverged"
 * are an object or null. */
static gboolean
same_kind (int from, int to)
{
  return from == to || ((from == KIND_NULL || from == KIND_OBJECT) && (to == KIND_NULL || to == KIND_OBJECT));
}

/* The objects whose members are mutated: the root, its objects, and the
 * first object of each of its lists. */
static GPtrArray *
mutable_objects (JsonObject *root)
{
  GPtrArray *objs = g_ptr_array_new ();
  g_autoptr (GList) names = json_object_get_members (root);

  g_ptr_array_add (objs, root);
  for (GList *l = names; l; l = l->next)
    {
      JsonNode *n = json_object_get_member (root, l->data);
      if (JSON_NODE_HOLDS_OBJECT (n))
        g_ptr_array_add (objs, json_node_get_object (n));
      else if (JSON_NODE_HOLDS_ARRAY (n) && json_array_get_length (json_node_get_array (n)) > 0
               && JSON_NODE_HOLDS_OBJECT (json_array_get_element (json_node_get_array (n), 0)))
        g_ptr_array_add (objs, json_array_get_object_element (json_node_get_array (n), 0));
    }
  return objs;
}

static char *
to_text (JsonNode *root, gsize *len)
{
  g_autoptr (JsonGenerator) gen = json_generator_new ();

  json_generator_set_root (gen, root);
  return json_generator_to_data (gen, len);
}

/* Every member of every mutable object, as every other kind: refused. */
static void
check_wrong_types (JsonNode *root)
{
  g_autoptr (GPtrArray) objs = mutable_objects (json_node_get_object (root));
  guint tried = 0;

  for (guint i = 0; i < objs->len; i++)
    {
      JsonObject *o = g_ptr_array_index (objs, i);
      /* copies: replacing a member frees the object's own key */
      GList *members = json_object_get_members (o);
      GList *names = g_list_copy_deep (members, (GCopyFunc) (void (*) (void)) g_strdup, NULL);
      g_list_free (members);
      for (GList *l = names; l; l = l->next)
        {
          const char *name = l->data;
          JsonNode   *orig = json_node_copy (json_object_get_member (o, name));
          for (int k = 0; k < N_KINDS; k++)
            {
              if (same_kind (kind_of (orig), k))
                continue;
              json_object_set_member (o, name, value_of_kind (k));
              gsize            len;
              g_autofree char *text = to_text (root, &len);
              g_autoptr (GError) error = NULL;
              g_autoptr (GsRecord) rec = gs_runfile_load (gs_fuzz_write_file ((guint8 *) text, len), &error);
              g_autofree char *quoted = g_strdup_printf ("'%s'", name);
              if (rec != NULL || (strcmp (name, "format") != 0 && strstr (error->message, quoted) == NULL))
                fprintf (stderr, "member %s as kind %d: %s\n", name, k, rec ? "accepted" : error->message);
              GS_FUZZ_CHECK (rec == NULL);
              GS_FUZZ_CHECK (strcmp (name, "format") == 0 || strstr (error->message, quoted) != NULL);
              tried++;
            }
          json_object_set_member (o, name, orig);
        }
      g_list_free_full (names, g_free);
    }
  fprintf (stderr, "  %u wrong-type mutations, all refused naming the member\n", tried);
}

/* The JSON of a run file that loads (so nested no deeper than the loader
 * allows: json-glib recurses), or NULL. */
static JsonNode *
parse_run (const char *path)
{
  g_autoptr (GsRecord) rec = gs_runfile_load (path, NULL);
  gsize            len;
  g_autofree char *text = rec ? gs_gzip_load (path, GS_RUNFILE_MAX_BYTES, &len, NULL) : NULL;
  g_autoptr (JsonParser) parser = json_parser_new ();

  if (text == NULL || !json_parser_load_from_data (parser, text, (gssize) len, NULL)
      || json_parser_get_root (parser) == NULL || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return NULL;
  return json_node_copy (json_parser_get_root (parser));
}

size_t
LLVMFuzzerCustomMutator (uint8_t *data, size_t size, size_t max_size, unsigned int seed)
{
  g_autoptr (JsonNode) root = NULL;
  g_autoptr (GPtrArray) objs = NULL;

  if (seed % 4 != 0 || (root = parse_run (gs_fuzz_write_file (data, size))) == NULL)
    return LLVMFuzzerMutate (data, size, max_size);
  objs = mutable_objects (json_node_get_object (root));
  JsonObject *o = g_ptr_array_index (objs, (seed / 4) % objs->len);
  g_autoptr (GList) names = json_object_get_members (o);
  if (names == NULL)
    return LLVMFuzzerMutate (data, size, max_size);
  g_autofree char *name = g_strdup (g_list_nth_data (names, (seed / 64) % g_list_length (names)));
  json_object_set_member (o, name, value_of_kind ((int) ((seed / 8) % N_KINDS)));
  gsize            len;
  g_autofree char *text = to_text (root, &len);
  if (len > max_size)
    return LLVMFuzzerMutate (data, size, max_size);
  memcpy (data, text, len);
  return len;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autoptr (GError) error = NULL;
  const char *path = gs_fuzz_write_file (data, size);
  g_autoptr (GsRecord) rec = gs_runfile_load (path, &error);

  GS_FUZZ_CHECK ((rec == NULL) == (error != NULL));
  if (rec == NULL)
    {
      GS_FUZZ_CHECK (error->domain == GS_RUNFILE_ERROR);
      return 0;
    }
  GS_FUZZ_CHECK (gs_record_n_layers (rec) >= 1);
  walk_series (rec);
  walk_checkpoints (rec);
  walk_rest (rec);
  if (g_getenv ("GS_FUZZ_WRONG_TYPES"))
    {
      g_autoptr (JsonNode) root = parse_run (path);
      GS_FUZZ_CHECK (root != NULL);
      check_wrong_types (root);
    }
  return 0;
}
