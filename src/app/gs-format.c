/* gs-format.c: numbers as the window writes them. */
#define G_LOG_DOMAIN "gs-format"

#include "config.h"

#include <string.h>

#include "gs-format.h"

char *
gs_format_count (double value)
{
  g_autofree char *digits = g_strdup_printf ("%.0f", MAX (value, 0));
  GString         *out = g_string_new (NULL);
  gsize            len = strlen (digits);

  for (gsize i = 0; i < len; i++)
    {
      if (i > 0 && (len - i) % 3 == 0)
        g_string_append (out, "\u202f");
      g_string_append_c (out, digits[i]);
    }
  return g_string_free (out, FALSE);
}
