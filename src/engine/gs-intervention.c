/* gs-intervention.c: parsing and checking changes made while a run trains. */
#define G_LOG_DOMAIN "gs-intervention"

#include "gs-intervention-json.h"

#include <string.h>

static char *
live_names (void)
{
  guint               n;
  const GsOptionSpec *o = gs_config_options (&n);
  GString            *s = g_string_new (NULL);

  for (guint i = 0; i < n; i++)
    if (o[i].live)
      g_string_append_printf (s, "%s%s", s->len ? ", " : "", o[i].name);
  return g_string_free (s, FALSE);
}

gboolean
gs_intervention_set (GsConfig *config, const char *option, const char *value, GError **error)
{
  const GsOptionSpec *o = gs_config_find_option (option);
  GsConfig            scratch = *config;

  if (o != NULL && !o->live)
    {
      g_autofree char *live = live_names ();
      g_set_error (error, GS_CONFIG_ERROR, GS_CONFIG_ERROR_INVALID_VALUE,
                   "--%s cannot change while a run trains (it changes the network or the run); the "
                   "options that can: %s",
                   option, live);
      return FALSE;
    }
  /* an unknown option or a bad value: gs_config_set () names it */
  if (!gs_config_set (&scratch, option, value, error) || !gs_config_validate (&scratch, error))
    return FALSE;
  *config = scratch;
  return TRUE;
}

static gboolean
malformed (const char *flag, const char *text, const char *why, GError **error)
{
  g_set_error (error, GS_CONFIG_ERROR, GS_CONFIG_ERROR_INVALID_VALUE, "%s '%s': %s", flag, text, why);
  return FALSE;
}

gboolean
gs_intervention_parse (const char *text, gboolean by_epoch, GsIntervention *out, GError **error)
{
  const char      *flag = by_epoch ? "--at-epoch" : "--at";
  const char      *colon = strchr (text, ':'), *eq = colon ? strchr (colon, '=') : NULL;
  g_autofree char *when = NULL, *name = NULL, *value = NULL;
  guint64          n;
  GsConfig         c;
  GError          *local = NULL;

  /* option names and values are short; the error should not echo a page */
  if (strlen (text) > 128)
    {
      g_set_error (error, GS_CONFIG_ERROR, GS_CONFIG_ERROR_INVALID_VALUE,
                   "%s: a change of %" G_GSIZE_FORMAT " characters is too long for %s:OPTION=VALUE", flag,
                   strlen (text), by_epoch ? "EPOCH" : "STEP");
      return FALSE;
    }
  if (colon == NULL || eq == NULL || eq == colon + 1)
    return malformed (flag, text,
                      by_epoch ? "expected EPOCH:OPTION=VALUE, e.g. 2:gradnorm=signal"
                               : "expected STEP:OPTION=VALUE, e.g. 300:lr=0.1",
                      error);
  when = g_strndup (text, colon - text);
  name = g_strndup (colon + 1, eq - colon - 1);
  value = g_strdup (eq + 1);
  if (!g_ascii_string_to_unsigned (when, 10, 1, by_epoch ? GS_MAX_EPOCHS : G_MAXUINT, &n, NULL))
    return malformed (flag, text,
                      by_epoch ? "the epoch must be a whole number from 1 (the first epoch)"
                               : "the step must be a whole number from 1 (the first step)",
                      error);
  gs_config_init_defaults (&c);
  if (!gs_intervention_set (&c, name, value, &local))
    {
      g_set_error (error, GS_CONFIG_ERROR, GS_CONFIG_ERROR_INVALID_VALUE, "%s %s: %s", flag, text,
                   local->message);
      g_error_free (local);
      return FALSE;
    }
  memset (out, 0, sizeof *out);
  out->step = by_epoch ? 0 : (guint) n;
  out->epoch = by_epoch ? (int) n : 0;
  g_strlcpy (out->option, name, sizeof out->option);
  /* as the table spells it: "1e-3" is "0.001" everywhere after this */
  g_autofree char *spelt = gs_config_get (&c, name);
  g_strlcpy (out->to, spelt, sizeof out->to);
  return TRUE;
}

char *
gs_intervention_flag_text (const GsIntervention *iv)
{
  if (iv->step == 0)
    return g_strdup_printf ("--at-epoch %d:%s=%s", iv->epoch, iv->option, iv->to);
  return g_strdup_printf ("--at %u:%s=%s", iv->step, iv->option, iv->to);
}

char *
gs_intervention_label (const GsIntervention *iv)
{
  return g_strdup_printf ("%s=%s", iv->option, iv->to);
}

void
gs_intervention_build_json (JsonBuilder *b, const GsIntervention *iv)
{
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "step");
  json_builder_add_int_value (b, iv->step);
  json_builder_set_member_name (b, "epoch");
  json_builder_add_int_value (b, iv->epoch);
  json_builder_set_member_name (b, "option");
  json_builder_add_string_value (b, iv->option);
  json_builder_set_member_name (b, "from");
  json_builder_add_string_value (b, iv->from);
  json_builder_set_member_name (b, "to");
  json_builder_add_string_value (b, iv->to);
  json_builder_end_object (b);
}

static gboolean
json_int (JsonObject *o, const char *name, gint64 max, gint64 *out, GError **error)
{
  JsonNode *n = json_object_get_member (o, name);

  if (n == NULL || json_node_get_value_type (n) != G_TYPE_INT64 || json_node_get_int (n) < 1
      || json_node_get_int (n) > max)
    {
      g_set_error (error, GS_CONFIG_ERROR, GS_CONFIG_ERROR_INVALID_VALUE,
                   "'%s' is missing or not a whole number from 1 to %" G_GINT64_FORMAT, name, max);
      return FALSE;
    }
  *out = json_node_get_int (n);
  return TRUE;
}

/* A value of a live option, as the option table spells it. */
static gboolean
json_value (JsonObject *o, const char *name, const char *option, char *out, gsize size, GError **error)
{
  JsonNode   *n = json_object_get_member (o, name);
  const char *v = n && json_node_get_value_type (n) == G_TYPE_STRING ? json_node_get_string (n) : NULL;
  GsConfig    c;

  gs_config_init_defaults (&c);
  if (v == NULL || strlen (v) >= size || !gs_intervention_set (&c, option, v, NULL))
    {
      g_set_error (error, GS_CONFIG_ERROR, GS_CONFIG_ERROR_INVALID_VALUE,
                   "'%s' is missing or not a value --%s can change to", name, option);
      return FALSE;
    }
  g_strlcpy (out, v, size);
  return TRUE;
}

gboolean
gs_intervention_from_json (JsonObject *o, GsIntervention *out, GError **error)
{
  JsonNode   *n = json_object_get_member (o, "option");
  const char *option = n && json_node_get_value_type (n) == G_TYPE_STRING ? json_node_get_string (n) : NULL;
  const GsOptionSpec *spec = option ? gs_config_find_option (option) : NULL;
  gint64              step, epoch;

  memset (out, 0, sizeof *out);
  if (spec == NULL || !spec->live)
    {
      g_set_error (error, GS_CONFIG_ERROR, GS_CONFIG_ERROR_INVALID_VALUE,
                   "'option' is missing or not an option that can change while a run trains");
      return FALSE;
    }
  g_strlcpy (out->option, option, sizeof out->option);
  if (!json_int (o, "step", G_MAXUINT, &step, error) || !json_int (o, "epoch", GS_MAX_EPOCHS, &epoch, error)
      || !json_value (o, "from", option, out->from, sizeof out->from, error)
      || !json_value (o, "to", option, out->to, sizeof out->to, error))
    return FALSE;
  out->step = (guint) step;
  out->epoch = (int) epoch;
  return TRUE;
}

gboolean
gs_intervention_parse_list (const char *text, GArray *out, GError **error)
{
  g_auto (GStrv) entries = g_strsplit (text != NULL ? text : "", " ", -1);

  for (guint i = 0; entries[i] != NULL; i++)
    {
      gboolean       by_epoch = g_str_has_prefix (entries[i], "at-epoch=");
      GsIntervention iv;
      if (entries[i][0] == '\0')
        continue;
      if (!by_epoch && !g_str_has_prefix (entries[i], "at="))
        {
          g_set_error (error, GS_CONFIG_ERROR, GS_CONFIG_ERROR_INVALID_VALUE,
                       "'%s': expected at=STEP:OPTION=VALUE or at-epoch=EPOCH:OPTION=VALUE", entries[i]);
          return FALSE;
        }
      if (!gs_intervention_parse (strchr (entries[i], '=') + 1, by_epoch, &iv, error))
        return FALSE;
      g_array_append_val (out, iv);
    }
  return TRUE;
}
