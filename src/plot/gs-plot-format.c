/* gs-plot-format.c: numbers as figures write them: tick labels (10⁻³,
 * 2×10⁻⁵, 15k, with a real minus sign) and hover values. */
#define G_LOG_DOMAIN "gs-plot-format"

#include <math.h>
#include <string.h>

#include "gs-plot-private.h"

static const char *const superscripts[] = {
  "⁰", "¹", "²", "³", "⁴", "⁵", "⁶", "⁷", "⁸", "⁹",
};

static void
append_superscript (GString *s, int k)
{
  char digits[24];

  if (k < 0)
    g_string_append (s, "⁻");
  /* as a 64-bit magnitude: ABS (INT_MIN) is still negative */
  g_snprintf (digits, sizeof digits, "%" G_GINT64_FORMAT, ABS ((gint64) k));
  for (const char *d = digits; *d; d++)
    if (g_ascii_isdigit (*d))
      g_string_append (s, superscripts[*d - '0']);
}

void
_gs_format_decade (int k, char *buf, gsize n)
{
  GString *s = g_string_new ("10");
  append_superscript (s, k);
  g_strlcpy (buf, s->str, n);
  g_string_free (s, TRUE);
}

/* "-" -> "−" (U+2212), which lines up with "+" and digits. */
static void
copy_with_minus (const char *src, char *buf, gsize n)
{
  GString *s = g_string_new (NULL);
  for (const char *p = src; *p; p++)
    if (*p == '-')
      g_string_append (s, "−");
    else
      g_string_append_c (s, *p);
  g_strlcpy (buf, s->str, n);
  g_string_free (s, TRUE);
}

void
_gs_format_tick (double v, double step, char *buf, gsize n)
{
  char   tmp[64];
  double av = fabs (v);

  /* A range read from a file may have lo > hi (step < 0) or be NaN: the
   * decade arithmetic below needs a finite positive step and value. */
  if (!isfinite (v) || !isfinite (step) || step == 0)
    {
      g_strlcpy (buf, isnan (v) ? "NaN" : isfinite (v) ? "0" : v > 0 ? "+Inf" : "−Inf", n);
      if (isfinite (v) && v != 0)
        copy_with_minus ((g_snprintf (tmp, sizeof tmp, "%.3g", v), tmp), buf, n);
      return;
    }
  step = fabs (step);
  if (av < step * 1e-6)
    {
      g_strlcpy (buf, "0", n);
      return;
    }
  if (step < 1e-3 || av >= 1e7)
    {
      int      e = (int) floor (log10 (av) + 1e-9);
      int      dec = MAX (0, e - (int) floor (log10 (step) + 1e-9));
      GString *s = g_string_new (NULL);
      g_string_printf (s, "%.*f", MIN (dec, 6), v / pow (10, e));
      while (strchr (s->str, '.') && strchr ("0.", s->str[s->len - 1]))
        g_string_truncate (s, s->len - 1);
      if (strcmp (s->str, "1") == 0 || strcmp (s->str, "-1") == 0)
        g_string_append (s, "0"); /* 10^e, not 1×10^e */
      else
        g_string_append (s, "×10");
      append_superscript (s, e);
      copy_with_minus (s->str, buf, n);
      g_string_free (s, TRUE);
      return;
    }
  if (av >= 1e4 && step >= 1000)
    {
      int dec = MAX (0, -(int) floor (log10 (step / 1000) + 1e-9));
      g_snprintf (tmp, sizeof tmp, "%.*fk", dec, v / 1000);
    }
  else
    {
      int dec = MAX (0, -(int) floor (log10 (step) + 1e-9));
      g_snprintf (tmp, sizeof tmp, "%.*f", MIN (dec, 6), v);
    }
  copy_with_minus (tmp, buf, n);
}

char *
_gs_format_value (double v)
{
  char tmp[64];

  if (isnan (v))
    return g_strdup ("NaN");
  if (isinf (v))
    return g_strdup (v > 0 ? "+Inf" : "−Inf");
  if (v == 0)
    return g_strdup ("0");
  double av = fabs (v);
  g_snprintf (tmp, sizeof tmp, av < 1e-3 || av >= 1e5 ? "%.2g" : "%.3g", v);
  return g_strdup (tmp);
}
