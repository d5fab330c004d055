/* fuzz-config.c: the option parser behind every CLI option, the GUI's
 * sidebar and run files: gs_config_set with arbitrary name=value lines (a
 * line "preset=ID" loads a preset), then gs_config_validate. A config that
 * validates must survive a round trip through its own string form. */
#include "fuzz-common.h"

#include <string.h>

#include "gs-config.h"

static void
apply_line (GsConfig *config, const char *line)
{
  g_autoptr (GError) error = NULL;
  const char *eq = strchr (line, '=');

  if (eq == NULL)
    return;
  g_autofree char *name = g_strndup (line, (gsize) (eq - line));
  gboolean         ok;
  if (strcmp (name, "preset") == 0)
    ok = gs_config_load_preset (config, eq + 1, &error);
  else
    ok = gs_config_set (config, name, eq + 1, &error);
  GS_FUZZ_CHECK (ok == (error == NULL));
  if (!ok)
    GS_FUZZ_CHECK (error->domain == GS_CONFIG_ERROR && error->message[0] != '\0');
}

/* Every option, written by gs_config_get and read back, gives the same
 * config: what run files and JSON summaries rely on. */
static void
check_round_trip (const GsConfig *config)
{
  guint               n_options;
  const GsOptionSpec *options = gs_config_options (&n_options);
  GsConfig            copy;

  gs_config_init_defaults (&copy);
  g_strlcpy (copy.preset, config->preset, sizeof copy.preset);
  for (guint i = 0; i < n_options; i++)
    {
      g_autofree char *value = gs_config_get (config, options[i].name);
      g_autoptr (GError) error = NULL;
      GS_FUZZ_CHECK (value != NULL);
      if (!gs_config_set (&copy, options[i].name, value, &error))
        gs_fuzz_fail (error->message, __FILE__, __LINE__);
    }
  GS_FUZZ_CHECK (gs_config_validate (&copy, NULL));
  GS_FUZZ_CHECK (gs_config_equal (config, &copy));
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autofree char *text = g_strndup ((const char *) data, size);
  g_auto (GStrv) lines = g_strsplit (text, "\n", 64);
  g_autoptr (GError) error = NULL;
  GsConfig config;

  gs_config_init_defaults (&config);
  for (guint i = 0; lines[i] != NULL; i++)
    apply_line (&config, lines[i]);
  if (!gs_config_validate (&config, &error))
    {
      GS_FUZZ_CHECK (error != NULL && error->domain == GS_CONFIG_ERROR);
      return 0;
    }
  check_round_trip (&config);
  g_free (gs_config_describe (&config));
  return 0;
}
