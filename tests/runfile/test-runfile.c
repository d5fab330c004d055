/* test-runfile.c: what run files are called, how a folder of them is
 * listed, and how layers are numbered in them (from 1 since version 2,
 * from 0 in version 1 files, which still read right).
 */
#include <glib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

#include "gs-record.h"
#include "gs-runfile.h"

/* Depth 2 (3 Linear layers), one layer-wise stage from the second hidden
 * layer up, diverged in the first hidden layer. */
static GsRecord *
diverged_record (void)
{
  GsConfig  config;
  GsRecord *rec;

  gs_config_init_defaults (&config);
  g_assert_true (gs_config_set (&config, "depth", "2", NULL));
  rec = gs_record_new (&config, 3, 10, "test");
  gs_record_add_stage_start (rec, 1, 1, 2, 1);
  gs_record_set_diverged (rec, 7, 0, "activations");
  gs_record_set_finished (rec, FALSE, 1.0);
  return rec;
}

static char *
tmp_dir (void)
{
  char *dir = g_dir_make_tmp ("gs-runfile-XXXXXX", NULL);

  g_assert_nonnull (dir);
  return dir;
}

static void
remove_dir (const char *dir)
{
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while ((name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_remove (path);
    }
  g_rmdir (dir);
}

static JsonObject *
member_object (JsonObject *o, const char *name)
{
  return json_node_get_object (json_object_get_member (o, name));
}

static JsonObject *
first_phase (JsonObject *root)
{
  return json_array_get_object_element (json_object_get_array_member (root, "phases"), 0);
}

/* What versions 1 and 2 wrote instead of "phases": "stages", with the
 * first hidden layer trained counted from base. */
static void
phases_to_stages (JsonObject *root, int base)
{
  JsonObject *p = first_phase (root);
  JsonArray  *stages = json_array_new ();
  JsonObject *s = json_object_new ();

  json_object_set_int_member (s, "step", json_object_get_int_member (p, "step"));
  json_object_set_int_member (s, "stage", json_object_get_int_member (p, "stage"));
  json_object_set_int_member (s, "active_depth", json_object_get_int_member (p, "hidden_layers"));
  json_object_set_int_member (s, "lowest_trainable",
                              json_object_get_int_member (p, "trainable_from") - 1 + base);
  json_array_add_object_element (stages, s);
  json_object_remove_member (root, "phases");
  json_object_set_array_member (root, "stages", stages);
}

/* A user reads "layer 1" for the first hidden layer: the file says 1 too. */
static void
test_layers_from_one (void)
{
  g_autofree char *dir = tmp_dir ();
  g_autofree char *path = g_build_filename (dir, "run.json", NULL);
  g_autoptr (GsRecord) rec = diverged_record ();
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;
  int layer = -5;

  g_assert_true (gs_runfile_save (rec, path, &error));
  g_assert_true (json_parser_load_from_file (parser, path, &error));
  JsonObject *root = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpint (json_object_get_int_member (root, "version"), ==, GS_RUNFILE_VERSION);
  g_assert_cmpint (json_object_get_int_member (member_object (root, "diverged"), "layer"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (first_phase (root), "trainable_from"), ==, 2);

  g_autoptr (GsRecord) back = gs_runfile_load (path, &error);
  g_assert_no_error (error);
  g_assert_true (gs_record_diverged (back, NULL, &layer, NULL));
  g_assert_cmpint (layer, ==, 0);
  g_assert_cmpint (gs_record_stage (back, 0)->lowest_trainable, ==, 1);
  remove_dir (dir);
}

/* Drops probes 8.. of every layer from a float blob of (layers, probes,
 * columns): what a version 2 file holds. */
static void
old_blob (JsonObject *root, const char *name, guint layers, guint columns, guint extra)
{
  gsize             len;
  g_autofree float *v = (float *) g_base64_decode (json_object_get_string_member (root, name), &len);
  g_autofree float *o = g_new (float, ((gsize) layers * 8 + extra) * columns);

  g_assert_cmpuint (len, ==, ((gsize) layers * GS_N_PROBES + extra) * columns * sizeof (float));
  for (guint l = 0; l < layers; l++)
    memcpy (o + (gsize) l * 8 * columns, v + (gsize) l * GS_N_PROBES * columns, 8 * columns * sizeof (float));
  memcpy (o + (gsize) layers * 8 * columns, v + (gsize) layers * GS_N_PROBES * columns,
          extra * columns * sizeof (float));
  g_autofree char *b64
      = g_base64_encode ((guchar *) o, ((gsize) layers * 8 + extra) * columns * sizeof (float));
  json_object_set_string_member (root, name, b64);
}

/* The same run as version 1 wrote it (layers from 0) reads the same. */
static void
test_version_1 (void)
{
  g_autofree char *dir = tmp_dir ();
  g_autofree char *path = g_build_filename (dir, "old.json", NULL);
  g_autoptr (GsRecord) rec = diverged_record ();
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (JsonGenerator) gen = json_generator_new ();
  g_autoptr (GError) error = NULL;
  int layer = -5;

  g_assert_true (gs_runfile_save (rec, path, &error));
  g_assert_true (json_parser_load_from_file (parser, path, &error));
  JsonObject *root = json_node_get_object (json_parser_get_root (parser));
  json_object_set_int_member (root, "version", 1);
  json_object_set_int_member (member_object (root, "diverged"), "layer", 0);
  phases_to_stages (root, 0);
  old_blob (root, "last", 3, 1, 0);
  old_blob (root, "first_step", 3, 1, 0);
  old_blob (root, "first_epoch", 3, 1, 0);
  json_generator_set_root (gen, json_parser_get_root (parser));
  g_assert_true (json_generator_to_file (gen, path, &error));

  g_autoptr (GsRecord) back = gs_runfile_load (path, &error);
  g_assert_no_error (error);
  g_assert_true (gs_record_diverged (back, NULL, &layer, NULL));
  g_assert_cmpint (layer, ==, 0);
  g_assert_cmpint (gs_record_stage (back, 0)->lowest_trainable, ==, 1);
  remove_dir (dir);
}

/* A version 2 layer-wise run: its stages become phases, their epochs and
 * validation accuracy counted from the epochs; the test accuracy unknown. */
static void
test_version_2_phases (void)
{
  g_autofree char *dir = tmp_dir ();
  g_autofree char *path = g_build_filename (dir, "v2.json", NULL);
  GsConfig         config;
  g_autoptr (GsRecord) rec = NULL, back = NULL;
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (JsonGenerator) gen = json_generator_new ();
  g_autoptr (GError) error = NULL;
  GsEpochStats e = { 0 };

  gs_config_init_defaults (&config);
  g_assert_true (gs_config_set (&config, "depth", "2", NULL));
  rec = gs_record_new (&config, 3, 10, "test");
  gs_record_add_phase (rec, 1, 1, 2, 1);
  for (int i = 1; i <= 3; i++)
    {
      e.epoch = i, e.stage = 1, e.last_step = 10 * i, e.val_acc = 0.1 * i;
      gs_record_add_epoch (rec, &e);
    }
  gs_record_set_finished (rec, FALSE, 1.0);
  g_assert_true (gs_runfile_save (rec, path, &error));
  g_assert_true (json_parser_load_from_file (parser, path, &error));
  JsonObject *root = json_node_get_object (json_parser_get_root (parser));
  json_object_set_int_member (root, "version", 2);
  phases_to_stages (root, 1);
  /* no steps: an empty series is the same in every version */
  old_blob (root, "last", 3, 1, 0);
  old_blob (root, "first_step", 3, 1, 0);
  old_blob (root, "first_epoch", 3, 1, 0);
  for (guint i = 0; i < 3; i++)
    json_object_remove_member (
        json_array_get_object_element (json_object_get_array_member (root, "epochs"), i), "phase");
  json_generator_set_root (gen, json_parser_get_root (parser));
  g_assert_true (json_generator_to_file (gen, path, &error));

  back = gs_runfile_load (path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (gs_record_n_phases (back), ==, 1);
  g_assert_cmpint (gs_record_phase (back, 0)->lowest_trainable, ==, 1);
  g_assert_cmpint (gs_record_phase (back, 0)->epochs, ==, 3);
  g_assert_cmpfloat_with_epsilon (gs_record_phase (back, 0)->val_acc, 0.3, 1e-12);
  g_assert_true (isnan (gs_record_phase (back, 0)->test_acc));
  g_assert_cmpint (gs_record_epoch (back, 2)->phase, ==, 1);
  remove_dir (dir);
}

/* A version 2 file has 8 probes per layer: they read as before, and the
 * backward-signal norms added in version 3 read as not taken. */
static void
test_version_2 (void)
{
  g_autofree char *dir = tmp_dir ();
  g_autofree char *path = g_build_filename (dir, "v2.json", NULL);
  g_autoptr (GsRecord) rec = diverged_record ();
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (JsonGenerator) gen = json_generator_new ();
  g_autoptr (GError) error = NULL;
  float probes[3 * GS_N_PROBES];

  for (guint i = 0; i < G_N_ELEMENTS (probes); i++)
    probes[i] = 1.0f + i;
  gs_record_append_step (rec, probes, 2.0f, 0.5f);
  g_assert_true (gs_runfile_save (rec, path, &error));
  g_assert_true (json_parser_load_from_file (parser, path, &error));
  JsonObject *root = json_node_get_object (json_parser_get_root (parser));
  json_object_set_int_member (root, "version", 2);
  phases_to_stages (root, 1);
  old_blob (root, "series", 3, 1, 2);
  old_blob (root, "last", 3, 1, 0);
  old_blob (root, "first_step", 3, 1, 0);
  old_blob (root, "first_epoch", 3, 1, 0);
  json_generator_set_root (gen, json_parser_get_root (parser));
  g_assert_true (json_generator_to_file (gen, path, &error));

  g_autoptr (GsRecord) back = gs_runfile_load (path, &error);
  g_assert_no_error (error);
  for (guint l = 0; l < 3; l++)
    for (guint p = 0; p < GS_N_PROBES; p++)
      {
        float want = p < 8 ? probes[l * GS_N_PROBES + p] : NAN;
        float got = gs_record_series (back, p, l)[0];
        if (p < 8)
          g_assert_cmpfloat (got, ==, want);
        else
          g_assert_true (isnan (got) && isnan (gs_record_last_probes (back, l)[p]));
      }
  g_assert_cmpfloat (gs_record_loss_series (back)[0], ==, 2.0f);
  g_assert_cmpfloat (gs_record_accuracy_series (back)[0], ==, 0.5f);
  remove_dir (dir);
}

/* A run with one epoch and one change, saved and read back as JSON. */
static JsonParser *
intervention_file (const char *path)
{
  g_autoptr (GsRecord) rec = diverged_record ();
  GsEpochStats   e = { 1, 1, 1, 10 };
  GsIntervention iv = { 4, 1, "lr", "0.01", "0.1" };
  float          probes[3 * GS_N_PROBES];
  JsonParser    *parser = json_parser_new ();

  for (guint i = 0; i < G_N_ELEMENTS (probes); i++)
    probes[i] = (float) (i % GS_N_PROBES + i / GS_N_PROBES);
  gs_record_append_step (rec, probes, 1, 0.5f);
  gs_record_add_epoch (rec, &e);
  gs_record_add_intervention (rec, &iv);
  g_assert_true (gs_runfile_save (rec, path, NULL));
  g_assert_true (json_parser_load_from_file (parser, path, NULL));
  return parser;
}

static void
write_json (JsonParser *parser, const char *path)
{
  g_autoptr (JsonGenerator) gen = json_generator_new ();

  json_generator_set_root (gen, json_parser_get_root (parser));
  g_assert_true (json_generator_to_file (gen, path, NULL));
}

static JsonObject *
first_intervention (JsonParser *parser)
{
  JsonObject *root = json_node_get_object (json_parser_get_root (parser));
  return json_array_get_object_element (json_object_get_array_member (root, "interventions"), 0);
}

/* Version 4 keeps the changes and each epoch's mean gradient norms; a
 * version 3 file has neither and still reads; a change to an option that
 * cannot change live, or to a bad value, is refused, naming the entry. */
static void
test_interventions (void)
{
  g_autofree char *dir = tmp_dir ();
  g_autofree char *path = g_build_filename (dir, "run.json", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonParser) parser = intervention_file (path);
  g_autoptr (GsRecord) back = gs_runfile_load (path, &error);
  JsonObject *root = json_node_get_object (json_parser_get_root (parser));
  JsonObject *epoch = json_array_get_object_element (json_object_get_array_member (root, "epochs"), 0);

  g_assert_no_error (error);
  g_assert_cmpuint (gs_record_n_interventions (back), ==, 1);
  g_assert_cmpstr (gs_record_intervention (back, 0)->to, ==, "0.1");
  g_assert_cmpuint (gs_record_intervention (back, 0)->step, ==, 4);
  g_assert_cmpfloat (gs_record_epoch_grad_norm (back, 0, 2), ==, 2); /* probe 0 of layer 2 */
  g_clear_pointer (&back, gs_record_unref);

  json_object_set_string_member (first_intervention (parser), "option", "depth");
  write_json (parser, path);
  g_assert_null (gs_runfile_load (path, &error));
  g_assert_nonnull (strstr (error->message, "interventions entry 0: 'option'"));
  g_clear_error (&error);
  json_object_set_string_member (first_intervention (parser), "option", "lr");
  json_object_set_string_member (first_intervention (parser), "to", "fast");
  write_json (parser, path);
  g_assert_null (gs_runfile_load (path, &error));
  g_assert_nonnull (strstr (error->message, "'to' is missing or not a value --lr can change to"));
  g_clear_error (&error);

  json_object_set_int_member (root, "version", 3);
  json_object_remove_member (root, "interventions");
  json_object_remove_member (epoch, "grad_norm");
  write_json (parser, path);
  back = gs_runfile_load (path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (gs_record_n_interventions (back), ==, 0);
  g_assert_true (isnan (gs_record_epoch_grad_norm (back, 0, 0)));
  remove_dir (dir);
}

static void
test_names (void)
{
  static const char *const yes[] = { "a.gsrun", "b.run.gz", "c.json.gz", "d.json" };
  static const char *const no[] = { ".a.gsrun", "a.gsrun.AB12CD", "a.gz", "a.csv", "gsrun" };

  g_assert_cmpstr (gs_runfile_suffixes ()[0], ==, GS_RUNFILE_SUFFIX);
  for (guint i = 0; i < G_N_ELEMENTS (yes); i++)
    g_assert_true (gs_runfile_is_run_name (yes[i]));
  for (guint i = 0; i < G_N_ELEMENTS (no); i++)
    g_assert_false (gs_runfile_is_run_name (no[i]));
}

/* Every run of a folder, in name order; a sweep's summaries and files
 * that are not runs left out. */
static void
test_list_dir (void)
{
  static const char *const files[] = {
    "b.run.gz", "b.json", "a.gsrun", "c.json.gz", "d.json", ".e.gsrun", "f.gsrun.AB12CD", "sweep.csv",
  };
  static const char *const listed[] = { "a.gsrun", "b.run.gz", "c.json.gz", "d.json" };
  g_autofree char         *dir = tmp_dir ();
  g_autoptr (GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *path = g_build_filename (dir, files[i], NULL);
      g_assert_true (g_file_set_contents (path, "{}", -1, NULL));
    }
  g_autoptr (GPtrArray) paths = gs_runfile_list_dir (dir, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (paths->len, ==, G_N_ELEMENTS (listed));
  for (guint i = 0; i < G_N_ELEMENTS (listed); i++)
    {
      g_autofree char *want = g_build_filename (dir, listed[i], NULL);
      g_assert_cmpstr (g_ptr_array_index (paths, i), ==, want);
    }
  remove_dir (dir);

  g_assert_null (gs_runfile_list_dir (dir, &error));
  g_assert_nonnull (error);
}

/* .gsrun and .gz names are gzipped, others plain; the reader goes by the
 * bytes, and refuses garbage after the gzip data as the data sets do. */
static void
test_gzip (void)
{
  g_autofree char *dir = tmp_dir ();
  g_autoptr (GsRecord) rec = diverged_record ();
  const char *names[] = { "a" GS_RUNFILE_SUFFIX, "b.run.gz", "c.json" };
  g_autoptr (GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *path = g_build_filename (dir, names[i], NULL);
      g_autofree char *data = NULL;
      gsize            len;
      g_assert_true (gs_runfile_save (rec, path, &error));
      g_assert_true (g_file_get_contents (path, &data, &len, NULL));
      g_assert_cmpint ((guchar) data[0] == 0x1f && (guchar) data[1] == 0x8b, ==, i < 2);
      g_autoptr (GsRecord) back = gs_runfile_load (path, &error);
      g_assert_no_error (error);
      if (i == 0)
        {
          GString *s = g_string_new_len (data, len);
          g_string_append (s, "garbage");
          g_assert_true (g_file_set_contents (path, s->str, s->len, NULL));
          g_string_free (s, TRUE);
          g_assert_null (gs_runfile_load (path, &error));
          g_assert_error (error, GS_RUNFILE_ERROR, GS_RUNFILE_ERROR_FORMAT);
          g_assert_nonnull (strstr (error->message, path));
          g_assert_nonnull (strstr (error->message, "garbage"));
          g_clear_error (&error);
        }
    }
  remove_dir (dir);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/runfile/layers-from-one", test_layers_from_one);
  g_test_add_func ("/runfile/version-2-phases", test_version_2_phases);
  g_test_add_func ("/runfile/version-1", test_version_1);
  g_test_add_func ("/runfile/version-2", test_version_2);
  g_test_add_func ("/runfile/interventions", test_interventions);
  g_test_add_func ("/runfile/names", test_names);
  g_test_add_func ("/runfile/list-dir", test_list_dir);
  g_test_add_func ("/runfile/gzip", test_gzip);
  return g_test_run ();
}
