/* test-cli.c: gradscope-cli as scripts use it (DESIGN.md, CLI contract):
 * the real executable, real files written and read back. */
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>

static const char *cli;
static char       *tmp;

typedef struct
{
  int   status;
  char *out, *err;
} Result;

static void
result_clear (Result *r)
{
  g_free (r->out);
  g_free (r->err);
}

/* Runs gradscope-cli with the NULL-terminated arguments. */
static Result
run (const char *first, ...)
{
  GPtrArray *argv = g_ptr_array_new ();
  Result     r = { 0 };
  g_autoptr (GError) error = NULL;
  va_list ap;
  int     wait_status;

  g_ptr_array_add (argv, (gpointer) cli);
  va_start (ap, first);
  for (const char *a = first; a; a = va_arg (ap, const char *))
    g_ptr_array_add (argv, (gpointer) a);
  va_end (ap);
  g_ptr_array_add (argv, NULL);
  g_assert_true (g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL, &r.out, &r.err,
                               &wait_status, &error));
  g_assert_no_error (error);
  g_assert_true (WIFEXITED (wait_status));
  r.status = WEXITSTATUS (wait_status);
  g_ptr_array_unref (argv);
  return r;
}

static char *
path (const char *name)
{
  return g_build_filename (tmp, name, NULL);
}

static JsonObject *
load_json (JsonParser *p, const char *file)
{
  g_autoptr (GError) error = NULL;

  g_assert_true (json_parser_load_from_file (p, file, &error));
  g_assert_no_error (error);
  return json_node_get_object (json_parser_get_root (p));
}

static void
test_presets (void)
{
  static const char *const ids[] = { "baseline",  "init-std1",  "init-std10", "relu",      "adam",
                                     "batchnorm", "customnorm", "skip",       "layerwise", "gradnorm" };
  Result                   r = run ("presets", NULL);
  g_auto (GStrv) lines = g_strsplit (r.out, "\n", -1);

  g_assert_cmpint (r.status, ==, 0);
  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      g_auto (GStrv) cols = g_strsplit (lines[i], " ", 2);
      g_assert_cmpstr (cols[0], ==, ids[i]);
      g_assert_cmpuint (strlen (g_strstrip (cols[1])), >, 10); /* a description */
    }
  result_clear (&r);
}

static void
test_help (void)
{
  static const char *const names[]
      = { "depth",     "width",  "activation", "norm",         "skip",       "init",     "init-std",
          "optimizer", "lr",     "momentum",   "weight-decay", "clip-norm",  "gradnorm", "layerwise",
          "finetune",  "epochs", "batch-size", "seed",         "limit-train" };
  Result r = run ("train", "--help", NULL);

  g_assert_cmpint (r.status, ==, 0);
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *opt = g_strdup_printf ("--%s ", names[i]);
      g_assert_nonnull (strstr (r.out, opt));
    }
  g_assert_nonnull (strstr (r.out, "sigmoid|tanh|relu|leaky-relu|elu|gelu|softsign|identity"));
  g_assert_nonnull (strstr (r.out, "default: 0.01"));
  result_clear (&r);
}

/* --version names the GEMM library and OpenBLAS's core; on a CPU with AVX2
 * and FMA that core is not an older one's (gs-runtime.h: OpenBLAS 0.3.21
 * took a Xeon of model 207 for a Prescott), unless the user chose it. */
static void
test_version (void)
{
  static const char *const pre_avx2[]
      = { "Prescott", "Core2", "Penryn", "Dunnington", "Nehalem", "Atom", "Sandybridge" };
  Result      r = run ("--version", NULL);
  const char *core;

  g_assert_cmpint (r.status, ==, 0);
  g_assert_true (g_str_has_prefix (r.out, "gradscope-cli "));
  core = strstr (r.out, "OpenBLAS core: ");
  g_assert_nonnull (strstr (r.out, "\nGEMM: "));
  g_assert_nonnull (core);
  core += strlen ("OpenBLAS core: ");
#if defined(__x86_64__)
  if (g_getenv ("OPENBLAS_CORETYPE") == NULL && __builtin_cpu_supports ("avx2")
      && __builtin_cpu_supports ("fma"))
    for (guint i = 0; i < G_N_ELEMENTS (pre_avx2); i++)
      g_assert_false (g_str_has_prefix (core, pre_avx2[i]));
#endif
  result_clear (&r);
}

static void
check_summary (const char *file, int depth, int epochs)
{
  g_autoptr (JsonParser) p = json_parser_new ();
  JsonObject *o = load_json (p, file);
  JsonArray  *ep = json_object_get_array_member (o, "epochs");
  JsonArray  *layers = json_object_get_array_member (o, "layers");
  double      acc = json_object_get_double_member (o, "test_accuracy");

  g_assert_true (json_object_has_member (o, "config"));
  g_assert_cmpuint (json_array_get_length (ep), ==, (guint) epochs);
  for (guint i = 0; i < json_array_get_length (ep); i++)
    {
      JsonObject *e = json_array_get_object_element (ep, i);
      const char *keys[] = { "train_loss", "train_accuracy", "val_loss", "val_accuracy" };
      for (guint k = 0; k < G_N_ELEMENTS (keys); k++)
        g_assert_true (json_object_has_member (e, keys[k]));
    }
  g_assert_cmpfloat (acc, >=, 0);
  g_assert_cmpfloat (acc, <=, 1);
  g_assert_false (json_object_get_boolean_member (o, "diverged"));
  g_assert_cmpuint (json_array_get_length (layers), ==, (guint) depth + 1);
  for (guint i = 0; i < json_array_get_length (layers); i++)
    {
      JsonObject *l = json_array_get_object_element (layers, i);
      g_assert_cmpfloat (json_object_get_double_member (l, "grad_norm_first_step"), >, 0);
      g_assert_cmpfloat (json_object_get_double_member (l, "grad_norm_first_epoch"), >, 0);
    }
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (layers, depth), "name"), ==,
                   "output");
}

static void
test_train_builtin (void)
{
  g_autofree char *json = path ("relu.json");
  Result r = run ("train", "--preset", "relu", "--epochs", "2", "--depth", "4", "--data", "builtin", "--json",
                  json, NULL);

  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "epoch   1/2"));
  g_assert_nonnull (strstr (r.out, "samples/s"));
  g_assert_nonnull (strstr (r.out, "test accuracy"));
  /* builtin asked for by name: no "no Fashion-MNIST found" warning (issue 15) */
  g_assert_null (strstr (r.err, "no Fashion-MNIST found"));
  check_summary (json, 4, 2);
  result_clear (&r);
}

/* Options override the preset wherever they stand. */
static void
test_override (void)
{
  g_autofree char *json = path ("override.json");
  g_autoptr (JsonParser) p = json_parser_new ();
  Result r = run ("train", "--lr", "0.05", "--preset", "relu", "--epochs", "1", "--quiet", "--limit-train",
                  "300", "--data", "builtin", "--json", json, NULL);
  JsonObject *c;

  g_assert_cmpint (r.status, ==, 0);
  c = json_object_get_object_member (load_json (p, json), "config");
  g_assert_cmpstr (json_object_get_string_member (c, "lr"), ==, "0.05");
  g_assert_cmpstr (json_object_get_string_member (c, "activation"), ==, "relu");
  g_assert_cmpstr (json_object_get_string_member (c, "preset"), ==, "relu");
  result_clear (&r);
}

typedef struct
{
  const char *args[5];
  int         status;
  const char *phrase;
} BadCall;

static const BadCall bad_calls[] = {
  { { "--depth", "0" }, 1, "--depth" },
  { { "--width", "0" }, 1, "--width" },
  { { "--lr", "-1" }, 1, "--lr" },
  { { "--lr", "nan" }, 1, "--lr" },
  { { "--activation", "swish" }, 1, "--activation" },
  { { "--batch-size", "0" }, 1, "--batch-size" },
  { { "--epochs", "0" }, 1, "--epochs" },
  { { "--init-std", "0" }, 1, "--init-std" },
  { { "--init-std", "-2" }, 1, "--init-std" },
  { { "--bogus", "1" }, 1, "--bogus" },
  { { "--preset", "nope" }, 1, "nope" },
  { { "--data", "/nonexistent/folder" }, 1, "/nonexistent/folder" },
  { { "--preset", "batchnorm-b", "--batch-size", "1" }, 1, "--batch-size" },
  { { "--preset", "layerwise", "--layerwise", "2,2" }, 1, "--layerwise" },
  { { "--preset", "layerwise", "--epochs", "0" }, 1, "--epochs" },
  { { "--at", "0:lr=0.1" }, 1, "--at '0:lr=0.1': the step must be" },
  { { "--at", "lr=0.1" }, 1, "--at 'lr=0.1': expected STEP:OPTION=VALUE" },
  { { "--at", "5:depth=3" }, 1, "--at 5:depth=3: --depth cannot change while a run trains" },
  { { "--at", "5:nope=3" }, 1, "--at 5:nope=3: unknown option --nope" },
  { { "--at", "5:lr=fast" }, 1, "--at 5:lr=fast: --lr: invalid value 'fast'" },
  { { "--at-epoch", "x:lr=0.1" }, 1, "--at-epoch 'x:lr=0.1': the epoch must be" },
  { { "--at-epoch", "2:gradnorm=signal", "--data", "builtin" },
    1,
    "--at-epoch 2:gradnorm=signal: epoch 2 is outside" },
  { { "--at", "999999:lr=0.1", "--data", "builtin" },
    1,
    "--at 999999:lr=0.1: step 999999 is beyond the run" },
  { { "--at" }, 2, "--at needs a value" },
  { { "--lr" }, 2, "--lr needs a value" },
  { { "stray" }, 2, "stray" },
};

static void
test_bad_options (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (bad_calls); i++)
    {
      const BadCall *b = &bad_calls[i];
      Result         r
          = run ("train", "--epochs", "1", b->args[0], b->args[1], b->args[2], b->args[3], b->args[4], NULL);
      g_autofree char *err = g_strdup (r.err);
      if (r.status != b->status || !strstr (r.err, b->phrase) || strchr (g_strchomp (err), '\n')
          || !g_str_has_prefix (r.err, "gradscope-cli: "))
        g_error ("%s %s: status %d (want %d), stderr '%s' (want one line with '%s')", b->args[0],
                 b->args[1] ? b->args[1] : "", r.status, b->status, r.err, b->phrase);
      result_clear (&r);
    }
}

static JsonObject *
array_object (JsonObject *o, const char *name, guint i)
{
  return json_array_get_object_element (json_object_get_array_member (o, name), i);
}

/* --at and --at-epoch: the summary holds the changes (an epoch's at its
 * first step) and every epoch's gradient norm per Linear layer. */
static void
test_interventions (void)
{
  g_autofree char *json = path ("at.json");
  g_autoptr (JsonParser) p = json_parser_new ();
  Result r
      = run ("train", "--preset", "baseline", "--epochs", "2", "--depth", "3", "--data", "builtin",
             "--at-epoch", "2:gradnorm=signal", "--at=3:optimizer=adam", "--json", json, "--quiet", NULL);
  JsonObject *o, *iv;

  g_assert_cmpint (r.status, ==, 0);
  o = load_json (p, json);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (o, "interventions")), ==, 2);
  iv = array_object (o, "interventions", 0);
  g_assert_cmpint (json_object_get_int_member (iv, "step"), ==, 3);
  g_assert_cmpstr (json_object_get_string_member (iv, "from"), ==, "sgd");
  g_assert_cmpstr (json_object_get_string_member (iv, "to"), ==, "adam");
  iv = array_object (o, "interventions", 1);
  g_assert_cmpint (json_object_get_int_member (iv, "epoch"), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (iv, "option"), ==, "gradnorm");
  g_assert_cmpint (json_object_get_int_member (iv, "step"), ==,
                   json_object_get_int_member (o, "steps") / 2 + 1);
  for (guint e = 0; e < 2; e++)
    {
      JsonArray *g = json_object_get_array_member (array_object (o, "epochs", e), "grad_norm");
      g_assert_cmpuint (json_array_get_length (g), ==, 4);
      g_assert_cmpfloat (json_array_get_double_element (g, 0), >, 0);
    }
  {
    g_autofree char *file = path ("at.gsrun");
    Result saved = run ("train", "--preset", "baseline", "--epochs", "1", "--depth", "2", "--data", "builtin",
                        "--at", "4:lr=0.1", "--save", file, "--quiet", NULL);
    Result info = run ("info", file, NULL);
    g_assert_cmpint (saved.status, ==, 0);
    g_assert_nonnull (strstr (info.out, "changed    step 4 (epoch 1): lr 0.01 -> 0.1\n"));
    result_clear (&saved);
    result_clear (&info);
  }
  /* the config is the one the run started from */
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (o, "config"), "optimizer"),
                   ==, "sgd");
  result_clear (&r);
}

static void
test_divergence (void)
{
  g_autofree char *json = path ("diverged.json");
  g_autoptr (JsonParser) p = json_parser_new ();
  Result r = run ("train", "--preset", "init-std10", "--activation", "relu", "--lr", "1", "--epochs", "2",
                  "--data", "builtin", "--json", json, "--quiet", NULL);
  JsonObject *o, *d;

  g_assert_cmpint (r.status, ==, 3);
  g_assert_nonnull (strstr (r.err, "diverged at step"));
  o = load_json (p, json);
  g_assert_true (json_object_get_boolean_member (o, "diverged"));
  d = json_object_get_object_member (o, "divergence");
  g_assert_cmpint (json_object_get_int_member (d, "step"), >=, 1);
  g_assert_cmpint (json_object_get_int_member (d, "layer"), >=, 1);
  g_assert_true (json_object_get_null_member (o, "test_accuracy"));
  result_clear (&r);
}

static void
test_save_info_export (void)
{
  g_autofree char *run_file = path ("run.json.gz");
  const char      *figures[] = { "heatmap", "histograms", "gradnorm", "activations", "curves", "dashboard" };
  const char      *formats[] = { "png", "svg", "pdf" };
  const char      *magic[] = { "\x89PNG", "<?xml", "%PDF" };
  Result r = run ("train", "--preset", "baseline", "--epochs", "2", "--limit-train", "1000", "--batch-size",
                  "64", "--data", "builtin", "--save", run_file, "--quiet", NULL);

  g_assert_cmpint (r.status, ==, 0);
  result_clear (&r);
  r = run ("info", run_file, NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "baseline"));
  g_assert_nonnull (strstr (r.out, "hidden1"));
  result_clear (&r);
  for (guint f = 0; f < G_N_ELEMENTS (figures); f++)
    for (guint k = 0; k < G_N_ELEMENTS (formats); k++)
      {
        g_autofree char *name = g_strdup_printf ("%s.%s", figures[f], formats[k]);
        g_autofree char *out = path (name);
        g_autofree char *data = NULL;
        gsize            len;
        r = run ("export", "--run", run_file, "--figure", figures[f], "--format", formats[k], "--out", out,
                 "--width", "800", "--height", "500", NULL);
        if (r.status != 0)
          g_error ("export %s: %s", name, r.err);
        g_assert_true (g_file_get_contents (out, &data, &len, NULL));
        g_assert_cmpuint (len, >, 1000);
        g_assert_true (g_str_has_prefix (data, magic[k]));
        if (k == 0) /* PNG IHDR: width and height, big-endian, at bytes 16..23 */
          {
            const guchar *d = (const guchar *) data;
            g_assert_cmpuint ((guint) (d[16] << 24 | d[17] << 16 | d[18] << 8 | d[19]), ==, 800);
            g_assert_cmpuint ((guint) (d[20] << 24 | d[21] << 16 | d[22] << 8 | d[23]), ==, 500);
          }
        result_clear (&r);
      }
}

static void
test_export_errors (void)
{
  g_autofree char *bad = path ("not-a-run.json");
  g_autofree char *out = path ("x.png");
  Result           r;

  g_file_set_contents (bad, "{\"hello\": 1}", -1, NULL);
  r = run ("export", "--run", bad, "--figure", "heatmap", "--out", out, NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.err, bad));
  g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
  result_clear (&r);
  r = run ("export", "--run", bad, "--figure", "pie", "--out", out, NULL);
  g_assert_cmpint (r.status, ==, 2);
  g_assert_nonnull (strstr (r.err, "pie"));
  result_clear (&r);
}

/* export --help, every figure at once, the numbers behind one, the
 * colour range option, and the old figure names. */
static void
test_export_all (void)
{
  g_autofree char *run_file = path ("all-run.gsrun");
  g_autofree char *dir = path ("all-figures");
  g_autofree char *csv = path ("shrink.csv");
  g_autofree char *text = NULL;
  Result r = run ("train", "--preset", "baseline", "--epochs", "1", "--limit-train", "500", "--batch-size",
                  "50", "--data", "builtin", "--save", run_file, "--quiet", NULL);

  g_assert_cmpint (r.status, ==, 0);
  result_clear (&r);
  r = run ("export", "--help", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "heatmap, norms, shrink"));
  g_assert_nonnull (strstr (r.out, "--color-range"));
  result_clear (&r);
  r = run ("export", "--run", run_file, "--figure", "all", "--out", dir, "--width", "640", "--height", "400",
           NULL);
  g_assert_cmpint (r.status, ==, 0);
  result_clear (&r);
  static const char *const names[] = { "heatmap",     "norms",  "shrink",  "activations", "histograms",
                                       "percentiles", "curves", "at-init", "dashboard",   "init-hist" };
  for (guint f = 0; f < G_N_ELEMENTS (names); f++)
    {
      g_autofree char *name = g_strdup_printf ("%s.png", names[f]);
      g_autofree char *file = g_build_filename (dir, name, NULL);
      g_assert_true (g_file_test (file, G_FILE_TEST_IS_REGULAR));
    }
  r = run ("export", "--run", run_file, "--figure", "shrink", "--out", csv, NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_true (g_file_get_contents (csv, &text, NULL, NULL));
  g_assert_true (g_str_has_prefix (text, "run,layer,step,activation_factor,"));
  result_clear (&r);
  r = run ("export", "--run", run_file, "--figure", "gradnorm", "--color-range", "1e-6:1", "--out", csv,
           NULL);
  g_assert_cmpint (r.status, ==, 0);
  result_clear (&r);
  r = run ("export", "--run", run_file, "--figure", "heatmap", "--color-range", "1:0.5", "--out", csv, NULL);
  g_assert_cmpint (r.status, ==, 2);
  g_assert_nonnull (strstr (r.err, "--color-range"));
  result_clear (&r);
}

static void
test_reproduce (void)
{
  g_autofree char *dir = path ("repro");
  g_autofree char *md = NULL, *csv = NULL, *md_path = NULL, *csv_path = NULL;
  g_auto (GStrv) rows = NULL;
  Result r = run ("reproduce", "--epochs", "4", "--limit-train", "400", "--batch-size", "64", "--data",
                  "builtin", "--out", dir, NULL);

  g_assert_cmpint (r.status, ==, 0);
  md_path = g_build_filename (dir, "table.md", NULL);
  csv_path = g_build_filename (dir, "table.csv", NULL);
  g_assert_true (g_file_get_contents (md_path, &md, NULL, NULL));
  g_assert_true (g_file_get_contents (csv_path, &csv, NULL, NULL));
  g_assert_nonnull (strstr (md, "| layerwise |"));
  g_assert_nonnull (strstr (md, "0.4257")); /* notebook A's layer-wise accuracy */
  rows = g_strsplit (g_strchomp (csv), "\n", -1);
  g_assert_cmpuint (g_strv_length (rows), ==, 11); /* header + ten presets */
  g_assert_true (g_str_has_prefix (rows[1], "baseline,"));
  g_assert_true (g_str_has_prefix (rows[10], "gradnorm,"));
  g_assert_nonnull (strstr (rows[0], "grad_norm_first_epoch_hidden1"));
  result_clear (&r);
}

/* Notebook B as it ran: its variants at batch 64, layer-wise in 7 phases. */
static void
test_reproduce_notebook (void)
{
  g_autofree char *dir = path ("repro-nb");
  g_autofree char *md = NULL, *md_path = g_build_filename (dir, "table-B.md", NULL);
  g_autofree char *run_path = g_build_filename (dir, "B", "batchnorm-b.gsrun", NULL);
  Result           r = run ("reproduce", "--notebook", "B", "--epochs", "1", "--limit-train", "300", "--data",
                            "builtin", "--out", dir, NULL);

  g_assert_cmpint (r.status, ==, 0);
  g_assert_true (g_file_get_contents (md_path, &md, NULL, NULL));
  g_assert_nonnull (strstr (md, "batch 64"));
  g_assert_nonnull (strstr (md, "| adam-lr1e-2 |"));
  g_assert_nonnull (strstr (md, "| gradnorm-b |"));
  g_assert_nonnull (strstr (md, "8, phase 7: 7 hidden, trains 1-7 | layerwise-finetune"));
  g_assert_nonnull (strstr (md, "0.8758 (test)"));
  g_assert_true (g_file_test (run_path, G_FILE_TEST_EXISTS));
  result_clear (&r);
  r = run ("reproduce", "--notebook", "C", NULL);
  g_assert_cmpint (r.status, ==, 2);
  g_assert_nonnull (strstr (r.err, "--notebook"));
  result_clear (&r);
  r = run ("reproduce", "--help", NULL);
  g_assert_cmpint (r.status, ==, 0);
  for (const char *const *o
       = (const char *const[]){ "--notebook A|B|both", "--epochs N", "--batch-size N", "--seed N",
                                "--limit-train N", "--data DIR", "--out DIR", "--jobs N", NULL };
       *o; o++)
    g_assert_nonnull (strstr (r.out, *o));
  result_clear (&r);
}

static void
test_real_data (void)
{
  g_autofree char *json = path ("real.json");
  g_autoptr (JsonParser) p = json_parser_new ();
  Result r;

  if (!g_file_test ("/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz", G_FILE_TEST_EXISTS))
    {
      g_test_skip ("Fashion-MNIST is not installed (dataset-fashion-mnist)");
      return;
    }
  r = run ("train", "--preset", "relu", "--epochs", "1", "--limit-train", "2000", "--json", json, "--quiet",
           NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_cmpstr (json_object_get_string_member (load_json (p, json), "dataset"), ==, "Fashion-MNIST");
  result_clear (&r);
}

/* The demonstration: baseline, and from epoch 2 the backward
 * signal standardised: the first hidden layer's mean gradient norm grows
 * at least a hundredfold. */
static void
test_real_gradnorm_switch (void)
{
  g_autofree char *json = path ("switch.json");
  g_autoptr (JsonParser) p = json_parser_new ();
  JsonObject *o;
  double      g1, g2;
  Result      r;

  if (!g_file_test ("/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz", G_FILE_TEST_EXISTS))
    {
      g_test_skip ("Fashion-MNIST is not installed (dataset-fashion-mnist)");
      return;
    }
  r = run ("train", "--preset", "baseline", "--epochs", "2", "--at-epoch", "2:gradnorm=signal", "--json",
           json, "--quiet", NULL);
  g_assert_cmpint (r.status, ==, 0);
  o = load_json (p, json);
  g1 = json_array_get_double_element (
      json_object_get_array_member (array_object (o, "epochs", 0), "grad_norm"), 0);
  g2 = json_array_get_double_element (
      json_object_get_array_member (array_object (o, "epochs", 1), "grad_norm"), 0);
  g_test_message ("first hidden layer: epoch 1 %g, epoch 2 %g (x%.3g)", g1, g2, g2 / g1);
  g_assert_cmpfloat (g2, >=, 100 * g1);
  g_assert_cmpstr (json_object_get_string_member (array_object (o, "interventions", 0), "to"), ==, "signal");
  result_clear (&r);
}

int
main (int argc, char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  cli = g_getenv ("GS_CLI");
  g_assert_nonnull (cli);
  tmp = g_dir_make_tmp ("gs-cli-XXXXXX", NULL);
  g_test_add_func ("/cli/presets", test_presets);
  g_test_add_func ("/cli/help", test_help);
  g_test_add_func ("/cli/version", test_version);
  g_test_add_func ("/cli/train-builtin", test_train_builtin);
  g_test_add_func ("/cli/override", test_override);
  g_test_add_func ("/cli/bad-options", test_bad_options);
  g_test_add_func ("/cli/interventions", test_interventions);
  g_test_add_func ("/cli/real-gradnorm-switch", test_real_gradnorm_switch);
  g_test_add_func ("/cli/divergence", test_divergence);
  g_test_add_func ("/cli/save-info-export", test_save_info_export);
  g_test_add_func ("/cli/export-errors", test_export_errors);
  g_test_add_func ("/cli/export-all", test_export_all);
  g_test_add_func ("/cli/reproduce", test_reproduce);
  g_test_add_func ("/cli/reproduce-notebook", test_reproduce_notebook);
  g_test_add_func ("/cli/real-data", test_real_data);
  status = g_test_run ();
  {
    g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", tmp);
    if (system (cmd) != 0)
      g_warning ("could not remove %s", tmp);
  }
  g_free (tmp);
  return status;
}
