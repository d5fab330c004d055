/* gs-runfile-names.c: which file names are run files, and a folder's runs. */
#define G_LOG_DOMAIN "gs-runfile"

#include "gs-runfile.h"

#include <string.h>

static const char *const run_suffixes[] = { GS_RUNFILE_SUFFIX, ".run.gz", ".json.gz", ".json", NULL };

const char *const *
gs_runfile_suffixes (void)
{
  return run_suffixes;
}

gboolean
gs_runfile_is_run_name (const char *name)
{
  g_return_val_if_fail (name != NULL, FALSE);

  if (name[0] == '.')
    return FALSE;
  for (guint i = 0; run_suffixes[i] != NULL; i++)
    if (g_str_has_suffix (name, run_suffixes[i]))
      return TRUE;
  return FALSE;
}

/* A NAME.json whose NAME also has a run file of another suffix. */
static gboolean
is_summary (GHashTable *names, const char *name)
{
  g_autofree char *stem = NULL;

  if (!g_str_has_suffix (name, ".json"))
    return FALSE;
  stem = g_strndup (name, strlen (name) - strlen (".json"));
  for (guint i = 0; run_suffixes[i + 1] != NULL; i++) /* all but .json, the last */
    {
      g_autofree char *other = g_strconcat (stem, run_suffixes[i], NULL);
      if (g_hash_table_contains (names, other))
        return TRUE;
    }
  return FALSE;
}

static int
compare_paths (gconstpointer a, gconstpointer b)
{
  return g_strcmp0 (*(char *const *) a, *(char *const *) b);
}

GPtrArray *
gs_runfile_list_dir (const char *dir, GError **error)
{
  g_autoptr (GDir) d = NULL;
  g_autoptr (GHashTable) names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GPtrArray     *paths;
  GHashTableIter iter;
  const char    *name;

  g_return_val_if_fail (dir != NULL, NULL);

  if ((d = g_dir_open (dir, 0, error)) == NULL)
    return NULL;
  while ((name = g_dir_read_name (d)) != NULL)
    if (gs_runfile_is_run_name (name))
      g_hash_table_add (names, g_strdup (name));
  paths = g_ptr_array_new_with_free_func (g_free);
  g_hash_table_iter_init (&iter, names);
  while (g_hash_table_iter_next (&iter, (gpointer *) &name, NULL))
    if (!is_summary (names, name))
      g_ptr_array_add (paths, g_build_filename (dir, name, NULL));
  g_ptr_array_sort (paths, compare_paths);
  return paths;
}
