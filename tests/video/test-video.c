/* test-video.c: `gradscope-cli export --format webm|mp4|gif`, checked from
 * outside with Debian's ffprobe and ffmpeg: what the file holds, that a
 * frame is the still export of its step, that errors name the option and
 * that a stopped export leaves the old file whole. Exits 77 (skipped) only
 * when the build has no video export, after checking it says so. */
#include <glib/gstdio.h>
#include <math.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>

static const char *cli;
static char       *tmp, *run_file;
static guint       n_steps;

/* Runs argv (NULL-terminated); out and err may be NULL. */
static int
spawn (const char *const *argv, char **out, char **err)
{
  g_autoptr (GError) error = NULL;
  int status;

  g_assert_true (
      g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, out, err, &status, &error));
  g_assert_no_error (error);
  g_assert_true (WIFEXITED (status));
  return WEXITSTATUS (status);
}

static char *
path (const char *name)
{
  return g_build_filename (tmp, name, NULL);
}

/* export --run RUN --out OUT EXTRA...; fails the test unless it works. */
static void
export_ok (const char *out, const char *const *extra)
{
  g_autoptr (GStrvBuilder) b = g_strv_builder_new ();
  g_auto (GStrv) argv = NULL;
  g_autofree char *err = NULL;

  g_strv_builder_add_many (b, cli, "export", "--run", run_file, "--out", out, NULL);
  g_strv_builder_addv (b, (const char **) extra);
  argv = g_strv_builder_end (b);
  if (spawn ((const char *const *) argv, NULL, &err) != 0)
    g_error ("export %s: %s", out, err);
}

/* ffprobe's KEY=VALUE for the first video stream and the container. */
static char *
probe (const char *file, const char *key)
{
  const char      *argv[] = { "ffprobe",
                              "-v",
                              "error",
                              "-count_frames",
                              "-select_streams",
                              "v:0",
                              "-show_entries",
                              "stream=codec_name,width,height,nb_read_frames:format=duration",
                              "-of",
                              "default=nw=1",
                              file,
                              NULL };
  g_autofree char *out = NULL, *prefix = g_strconcat (key, "=", NULL);

  g_assert_cmpint (spawn (argv, &out, NULL), ==, 0);
  g_auto (GStrv) lines = g_strsplit (out, "\n", -1);
  for (char **l = lines; *l; l++)
    if (g_str_has_prefix (*l, prefix))
      return g_strdup (*l + strlen (prefix));
  g_error ("ffprobe %s: no %s in '%s'", file, key, out);
}

/* Frame n of a video (or a PNG) as RGB bytes, decoded by ffmpeg. */
static GBytes *
decode (const char *file, guint n)
{
  g_autofree char *select = g_strdup_printf ("select=eq(n\\,%u)", n), *rgb = path ("frame.rgb");
  const char      *argv[]
      = { "ffmpeg", "-v",        "error", "-y", "-i",       file,       "-vf",   select, "-vsync",
          "0",      "-frames:v", "1",     "-f", "rawvideo", "-pix_fmt", "rgb24", rgb,    NULL };
  g_autofree char *err = NULL, *data = NULL;
  gsize            len;

  if (spawn (argv, NULL, &err) != 0)
    g_error ("ffmpeg %s frame %u: %s", file, n, err);
  g_assert_true (g_file_get_contents (rgb, &data, &len, NULL));
  g_assert_cmpuint (len, >, 0);
  return g_bytes_new_take (g_steal_pointer (&data), len);
}

/* Mean absolute difference of two RGB images, 0..255 per channel. */
static double
mean_diff (GBytes *a, GBytes *b)
{
  gsize         n, m;
  const guint8 *p = g_bytes_get_data (a, &n), *q = g_bytes_get_data (b, &m);
  guint64       sum = 0;

  g_assert_cmpuint (n, ==, m);
  for (gsize i = 0; i < n; i++)
    sum += (guint64) ABS ((int) p[i] - (int) q[i]);
  return (double) sum / (double) n;
}

typedef struct
{
  const char *format, *codec, *fps;
  guint       frames; /* at 2 s */
} Case;

static const Case cases[] = {
  { "webm", "vp9", "30", 60 },
  { "mp4", "h264", "30", 60 },
  { "gif", "gif", "10", 20 },
};

static void
test_probe (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const Case      *c = &cases[i];
      g_autofree char *name = g_strdup_printf ("probe.%s", c->format), *out = path (name);
      const char      *extra[] = { "--figure", "dashboard", "--width",    "320", "--height", "180",
                                   "--fps",    c->fps,      "--duration", "2",   NULL };
      export_ok (out, extra);
      g_autofree char *codec = probe (out, "codec_name"), *w = probe (out, "width"),
                      *h = probe (out, "height");
      g_autofree char *frames = probe (out, "nb_read_frames"), *duration = probe (out, "duration");
      g_assert_cmpstr (codec, ==, c->codec);
      g_assert_cmpstr (w, ==, "320");
      g_assert_cmpstr (h, ==, "180");
      g_assert_cmpuint (g_ascii_strtoull (frames, NULL, 10), ==, c->frames);
      g_assert_cmpfloat_with_epsilon (g_ascii_strtod (duration, NULL), 2.0, 0.05);
      /* Training moves: the first and the last frame differ. */
      g_autoptr (GBytes) first = decode (out, 0);
      g_autoptr (GBytes) last = decode (out, c->frames - 1);
      g_assert_cmpfloat (mean_diff (first, last), >, 2.0);
    }
}

static GBytes *
still (guint step, const char *dpi)
{
  g_autofree char *name = g_strdup_printf ("still-%u-%s.png", step, dpi), *out = path (name);
  g_autofree char *k = g_strdup_printf ("%u", step);
  const char      *extra[]
      = { "--figure", "dashboard", "--width", "320", "--height", "180", "--step", k, "--dpi", dpi, NULL };

  export_ok (out, extra);
  return decode (out, 0);
}

/* With --steps-per-frame 10, frame 5 shows step 51: it is the still
 * export of step 51, within the codec's error, and clearly closer to it
 * than to the still of step 41 (so the check can tell steps apart). */
static void
test_frame_is_still (void)
{
  g_autoptr (GBytes) at = still (51, "96");
  g_autoptr (GBytes) before = still (41, "96");

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *name = g_strdup_printf ("spf.%s", cases[i].format), *out = path (name);
      const char      *extra[] = { "--figure", "dashboard",  "--width",           "320", "--height", "180",
                                   "--fps",    cases[i].fps, "--steps-per-frame", "10",  NULL };
      export_ok (out, extra);
      g_autofree char *frames = probe (out, "nb_read_frames");
      g_assert_cmpuint (g_ascii_strtoull (frames, NULL, 10), ==, (n_steps - 2) / 10 + 2);
      g_autoptr (GBytes) frame = decode (out, 5);
      double err = mean_diff (frame, at), other = mean_diff (frame, before);
      g_test_message ("%s: frame 5 differs from step 51 by %.2f, from step 41 by %.2f", cases[i].format, err,
                      other);
      g_assert_cmpfloat (err, <, 2.0);
      g_assert_cmpfloat (err, <, 0.75 * other);
    }
}

/* --dpi scales text and lines as in a still of that dpi. */
static void
test_dpi (void)
{
  g_autoptr (GBytes) at = still (51, "192");
  g_autoptr (GBytes) at96 = still (51, "96");
  g_autofree char *out = path ("dpi.gif");
  const char      *extra[]
      = { "--figure", "dashboard", "--width",           "320", "--height", "180", "--dpi", "192",
          "--fps",    "10",        "--steps-per-frame", "10",  NULL };

  export_ok (out, extra);
  g_autoptr (GBytes) frame = decode (out, 5);
  g_assert_cmpfloat (mean_diff (frame, at), <, 2.0);
  g_assert_cmpfloat (mean_diff (frame, at), <, 0.5 * mean_diff (frame, at96));
}

typedef struct
{
  const char *args[4];
  const char *phrase;
} Bad;

static void
test_bad_options (void)
{
  static const Bad bad[] = {
    { { "--fps", "0" }, "--fps" },
    { { "--duration", "-1" }, "--duration" },
    { { "--duration", "ten" }, "--duration" },
    { { "--format", "avi" }, "unknown format 'avi'" },
    { { "--width", "321" }, "even width" },
    { { "--format", "gif", "--fps", "30" }, "must divide 100" },
    { { "--duration", "2", "--steps-per-frame", "3" }, "not both" },
    { { "--step", "5" }, "--step" },
    { { "--steps-per-frame", "0" }, "--steps-per-frame" },
  };
  g_autofree char *out = path ("bad.webm");

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      const char *argv[]
          = { cli, "export",       "--run",        run_file,       "--figure",     "heatmap", "--out",
              out, bad[i].args[0], bad[i].args[1], bad[i].args[2], bad[i].args[3], NULL };
      g_autofree char *err = NULL;
      int              status = spawn (argv, NULL, &err);
      if (status == 0 || !strstr (err, bad[i].phrase) || !g_str_has_prefix (err, "gradscope-cli: "))
        g_error ("%s %s: status %d, stderr '%s' (want an error with '%s')", bad[i].args[0], bad[i].args[1],
                 status, err, bad[i].phrase);
      g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
    }
  {
    const char *argv[]
        = { cli, "export", "--run", run_file, "--figure", "heatmap", "--out", "/proc/no-such/x.webm", NULL };
    g_autofree char *err = NULL;
    g_assert_cmpint (spawn (argv, NULL, &err), !=, 0);
    g_assert_nonnull (strstr (err, "/proc/no-such/x.webm"));
  }
}

/* A temporary out.webm.XXXXXX beside out, if one exists. */
static gboolean
has_temporary (const char *dir)
{
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while ((name = g_dir_read_name (d)))
    if (g_str_has_prefix (name, "old.webm."))
      return TRUE;
  return FALSE;
}

/* Ctrl-C halfway: the old file is as it was and no temporary is left. */
static void
test_interrupted (void)
{
  g_autofree char *dir = path ("stop"), *out = g_build_filename (dir, "old.webm", NULL), *got = NULL;
  const char *argv[] = { cli,       "export", "--run",    run_file, "--figure",   "dashboard", "--out", out,
                         "--width", "1280",   "--height", "720",    "--duration", "60",        NULL };
  g_autoptr (GError) error = NULL;
  GPid pid;
  int  status;

  g_assert_cmpint (g_mkdir (dir, 0755), ==, 0);
  g_assert_true (g_file_set_contents (out, "old", -1, NULL));
  g_assert_true (g_spawn_async (NULL, (char **) argv, NULL,
                                G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, &pid,
                                &error));
  for (int i = 0; i < 1000 && !has_temporary (dir); i++)
    g_usleep (10000);
  g_assert_true (has_temporary (dir)); /* it has started writing */
  g_usleep (300000);
  kill (pid, SIGINT);
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  g_spawn_close_pid (pid);
  g_assert_true (WIFSIGNALED (status));
  g_assert_false (has_temporary (dir));
  g_assert_true (g_file_get_contents (out, &got, NULL, NULL));
  g_assert_cmpstr (got, ==, "old");
}

static void
train (void)
{
  const char      *argv[] = { cli,      "train",         "--preset", "baseline",     "--epochs",
                              "2",      "--limit-train", "4000",     "--batch-size", "64",
                              "--data", "builtin",       "--save",   run_file,       "--quiet",
                              NULL };
  const char      *info[] = { cli, "info", run_file, NULL };
  g_autofree char *out = NULL, *err = NULL;

  if (spawn (argv, NULL, &err) != 0)
    g_error ("train: %s", err);
  g_assert_cmpint (spawn (info, &out, NULL), ==, 0);
  const char *steps = strstr (out, "steps");
  g_assert_nonnull (steps);
  n_steps = (guint) g_ascii_strtoull (steps + strlen ("steps"), NULL, 10);
  g_assert_cmpuint (n_steps, >, 60);
}

/* A build without video: every video format says so, naming the packages. */
static int
check_unavailable (void)
{
  const char      *argv[] = { cli, "export", "--run", "x", "--figure", "heatmap", "--out", "x.gif", NULL };
  g_autofree char *err = NULL;

  g_assert_cmpint (spawn (argv, NULL, &err), !=, 0);
  g_assert_nonnull (strstr (err, "gif"));
  g_assert_nonnull (strstr (err, "libavcodec-dev"));
  g_print ("video export is not built (-Dvideo, FFmpeg's -dev packages): skipped\n");
  return 77;
}

int
main (int argc, char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  cli = g_getenv ("GS_CLI");
  g_assert_nonnull (cli);
  if (g_strcmp0 (g_getenv ("GS_HAVE_VIDEO"), "1") != 0)
    return check_unavailable ();
  tmp = g_dir_make_tmp ("gs-video-XXXXXX", NULL);
  run_file = path ("run.json.gz");
  train ();
  g_test_add_func ("/video/probe", test_probe);
  g_test_add_func ("/video/frame-is-still", test_frame_is_still);
  g_test_add_func ("/video/dpi", test_dpi);
  g_test_add_func ("/video/bad-options", test_bad_options);
  g_test_add_func ("/video/interrupted", test_interrupted);
  status = g_test_run ();
  {
    g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", tmp);
    if (system (cmd) != 0)
      g_warning ("could not remove %s", tmp);
  }
  g_free (run_file);
  g_free (tmp);
  return status;
}
