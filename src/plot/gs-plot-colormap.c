/* gs-plot-colormap.c: colour maps and palettes.
 *
 * Magnitudes use viridis (perceptually uniform, colour-blind safe; the
 * 256-entry table of matplotlib's _cm_listed.py by van der Walt and Smith,
 * CC0, rounded to 8 bits). Signed values use ColorBrewer's RdBu, centred on
 * zero. Layers use Paul Tol's "muted" colours in a hue order, so layer 1
 * (input side) is always indigo and the head is always a wine red; deeper
 * networks interpolate along the same path.
 */
#define G_LOG_DOMAIN "gs-plot-colormap"

#include <math.h>

#include "gs-plot-private.h"

/* clang-format off */
static const guint8 viridis[256][3] = {
  { 68,   1,  84}, { 68,   2,  86}, { 69,   4,  87}, { 69,   5,  89},
  { 70,   7,  90}, { 70,   8,  92}, { 70,  10,  93}, { 70,  11,  94},
  { 71,  13,  96}, { 71,  14,  97}, { 71,  16,  99}, { 71,  17, 100},
  { 71,  19, 101}, { 72,  20, 103}, { 72,  22, 104}, { 72,  23, 105},
  { 72,  24, 106}, { 72,  26, 108}, { 72,  27, 109}, { 72,  28, 110},
  { 72,  29, 111}, { 72,  31, 112}, { 72,  32, 113}, { 72,  33, 115},
  { 72,  35, 116}, { 72,  36, 117}, { 72,  37, 118}, { 72,  38, 119},
  { 72,  40, 120}, { 72,  41, 121}, { 71,  42, 122}, { 71,  44, 122},
  { 71,  45, 123}, { 71,  46, 124}, { 71,  47, 125}, { 70,  48, 126},
  { 70,  50, 126}, { 70,  51, 127}, { 70,  52, 128}, { 69,  53, 129},
  { 69,  55, 129}, { 69,  56, 130}, { 68,  57, 131}, { 68,  58, 131},
  { 68,  59, 132}, { 67,  61, 132}, { 67,  62, 133}, { 66,  63, 133},
  { 66,  64, 134}, { 66,  65, 134}, { 65,  66, 135}, { 65,  68, 135},
  { 64,  69, 136}, { 64,  70, 136}, { 63,  71, 136}, { 63,  72, 137},
  { 62,  73, 137}, { 62,  74, 137}, { 62,  76, 138}, { 61,  77, 138},
  { 61,  78, 138}, { 60,  79, 138}, { 60,  80, 139}, { 59,  81, 139},
  { 59,  82, 139}, { 58,  83, 139}, { 58,  84, 140}, { 57,  85, 140},
  { 57,  86, 140}, { 56,  88, 140}, { 56,  89, 140}, { 55,  90, 140},
  { 55,  91, 141}, { 54,  92, 141}, { 54,  93, 141}, { 53,  94, 141},
  { 53,  95, 141}, { 52,  96, 141}, { 52,  97, 141}, { 51,  98, 141},
  { 51,  99, 141}, { 50, 100, 142}, { 50, 101, 142}, { 49, 102, 142},
  { 49, 103, 142}, { 49, 104, 142}, { 48, 105, 142}, { 48, 106, 142},
  { 47, 107, 142}, { 47, 108, 142}, { 46, 109, 142}, { 46, 110, 142},
  { 46, 111, 142}, { 45, 112, 142}, { 45, 113, 142}, { 44, 113, 142},
  { 44, 114, 142}, { 44, 115, 142}, { 43, 116, 142}, { 43, 117, 142},
  { 42, 118, 142}, { 42, 119, 142}, { 42, 120, 142}, { 41, 121, 142},
  { 41, 122, 142}, { 41, 123, 142}, { 40, 124, 142}, { 40, 125, 142},
  { 39, 126, 142}, { 39, 127, 142}, { 39, 128, 142}, { 38, 129, 142},
  { 38, 130, 142}, { 38, 130, 142}, { 37, 131, 142}, { 37, 132, 142},
  { 37, 133, 142}, { 36, 134, 142}, { 36, 135, 142}, { 35, 136, 142},
  { 35, 137, 142}, { 35, 138, 141}, { 34, 139, 141}, { 34, 140, 141},
  { 34, 141, 141}, { 33, 142, 141}, { 33, 143, 141}, { 33, 144, 141},
  { 33, 145, 140}, { 32, 146, 140}, { 32, 146, 140}, { 32, 147, 140},
  { 31, 148, 140}, { 31, 149, 139}, { 31, 150, 139}, { 31, 151, 139},
  { 31, 152, 139}, { 31, 153, 138}, { 31, 154, 138}, { 30, 155, 138},
  { 30, 156, 137}, { 30, 157, 137}, { 31, 158, 137}, { 31, 159, 136},
  { 31, 160, 136}, { 31, 161, 136}, { 31, 161, 135}, { 31, 162, 135},
  { 32, 163, 134}, { 32, 164, 134}, { 33, 165, 133}, { 33, 166, 133},
  { 34, 167, 133}, { 34, 168, 132}, { 35, 169, 131}, { 36, 170, 131},
  { 37, 171, 130}, { 37, 172, 130}, { 38, 173, 129}, { 39, 173, 129},
  { 40, 174, 128}, { 41, 175, 127}, { 42, 176, 127}, { 44, 177, 126},
  { 45, 178, 125}, { 46, 179, 124}, { 47, 180, 124}, { 49, 181, 123},
  { 50, 182, 122}, { 52, 182, 121}, { 53, 183, 121}, { 55, 184, 120},
  { 56, 185, 119}, { 58, 186, 118}, { 59, 187, 117}, { 61, 188, 116},
  { 63, 188, 115}, { 64, 189, 114}, { 66, 190, 113}, { 68, 191, 112},
  { 70, 192, 111}, { 72, 193, 110}, { 74, 193, 109}, { 76, 194, 108},
  { 78, 195, 107}, { 80, 196, 106}, { 82, 197, 105}, { 84, 197, 104},
  { 86, 198, 103}, { 88, 199, 101}, { 90, 200, 100}, { 92, 200,  99},
  { 94, 201,  98}, { 96, 202,  96}, { 99, 203,  95}, {101, 203,  94},
  {103, 204,  92}, {105, 205,  91}, {108, 205,  90}, {110, 206,  88},
  {112, 207,  87}, {115, 208,  86}, {117, 208,  84}, {119, 209,  83},
  {122, 209,  81}, {124, 210,  80}, {127, 211,  78}, {129, 211,  77},
  {132, 212,  75}, {134, 213,  73}, {137, 213,  72}, {139, 214,  70},
  {142, 214,  69}, {144, 215,  67}, {147, 215,  65}, {149, 216,  64},
  {152, 216,  62}, {155, 217,  60}, {157, 217,  59}, {160, 218,  57},
  {162, 218,  55}, {165, 219,  54}, {168, 219,  52}, {170, 220,  50},
  {173, 220,  48}, {176, 221,  47}, {178, 221,  45}, {181, 222,  43},
  {184, 222,  41}, {186, 222,  40}, {189, 223,  38}, {192, 223,  37},
  {194, 223,  35}, {197, 224,  33}, {200, 224,  32}, {202, 225,  31},
  {205, 225,  29}, {208, 225,  28}, {210, 226,  27}, {213, 226,  26},
  {216, 226,  25}, {218, 227,  25}, {221, 227,  24}, {223, 227,  24},
  {226, 228,  24}, {229, 228,  25}, {231, 228,  25}, {234, 229,  26},
  {236, 229,  27}, {239, 229,  28}, {241, 229,  29}, {244, 230,  30},
  {246, 230,  32}, {248, 230,  33}, {251, 231,  35}, {253, 231,  37},
};
/* clang-format on */

/* clang-format off */
static const guint8 rdbu[7][3] = {
  { 0x21, 0x66, 0xac }, { 0x67, 0xa9, 0xcf }, { 0xd1, 0xe5, 0xf0 },
  { 0xf7, 0xf7, 0xf7 },
  { 0xfd, 0xdb, 0xc7 }, { 0xef, 0x8a, 0x62 }, { 0xb2, 0x18, 0x2b },
};
/* clang-format on */

/* Tol muted, ordered indigo -> cyan -> green -> sand -> rose -> wine. */
/* clang-format off */
static const guint8 layer_path[9][3] = {
  { 0x33, 0x22, 0x88 }, { 0x88, 0xcc, 0xee }, { 0x44, 0xaa, 0x99 },
  { 0x11, 0x77, 0x33 }, { 0x99, 0x99, 0x33 }, { 0xdd, 0xcc, 0x77 },
  { 0xcc, 0x66, 0x77 }, { 0xaa, 0x44, 0x99 }, { 0x88, 0x22, 0x55 },
};
/* clang-format on */

/* Okabe-Ito without yellow; run 0 is the foreground colour. */
/* clang-format off */
static const guint8 run_palette[6][3] = {
  { 0xe6, 0x9f, 0x00 }, { 0x00, 0x72, 0xb2 }, { 0xd5, 0x5e, 0x00 },
  { 0x00, 0x9e, 0x73 }, { 0xcc, 0x79, 0xa7 }, { 0x56, 0xb4, 0xe9 },
};
/* clang-format on */

static void
lerp_table (const guint8 (*table)[3], guint n, double t, double rgb[3])
{
  if (!(t >= 0))
    t = 0;
  if (t > 1)
    t = 1;
  double pos = t * (n - 1);
  guint  i = (guint) floor (pos);
  if (i >= n - 1)
    i = n - 2;
  double f = pos - i;
  for (int k = 0; k < 3; k++)
    rgb[k] = ((1 - f) * table[i][k] + f * table[i + 1][k]) / 255.0;
}

static guint32
pack (const double rgb[3])
{
  return 0xff000000u | ((guint32) lround (rgb[0] * 255) << 16) | ((guint32) lround (rgb[1] * 255) << 8)
         | (guint32) lround (rgb[2] * 255);
}

void
_gs_viridis (double t, double rgb[3])
{
  if (!(t >= 0))
    t = 0;
  guint i = (guint) lround (MIN (t, 1.0) * 255);
  for (int k = 0; k < 3; k++)
    rgb[k] = viridis[i][k] / 255.0;
}

guint32
_gs_viridis_argb (double t)
{
  if (!(t >= 0))
    t = 0;
  guint i = (guint) lround (MIN (t, 1.0) * 255);
  return 0xff000000u | ((guint32) viridis[i][0] << 16) | ((guint32) viridis[i][1] << 8) | viridis[i][2];
}

void
_gs_diverging (double t, double rgb[3])
{
  lerp_table (rdbu, G_N_ELEMENTS (rdbu), (t + 1) / 2, rgb);
}

guint32
_gs_diverging_argb (double t)
{
  double rgb[3];

  _gs_diverging (t, rgb);
  return pack (rgb);
}

guint32
_gs_heat_map_argb (const GsHeatSpec *spec, double t)
{
  t = CLAMP (t, -1.0, 1.0);
  if (spec->map == GS_HEAT_REDS)
    return _gs_diverging_argb (MAX (t, 0.0));
  if (spec->map == GS_HEAT_BLUES)
    return _gs_diverging_argb (-MAX (t, 0.0));
  return _gs_diverging_argb (t);
}

void
_gs_heat_map_rgb (const GsHeatSpec *spec, double t01, double rgb[3])
{
  if (spec->map == GS_HEAT_LOG)
    _gs_viridis (t01, rgb);
  else if (spec->map == GS_HEAT_DIVERGING)
    _gs_diverging (t01 * 2 - 1, rgb);
  else
    _gs_diverging (spec->map == GS_HEAT_REDS ? t01 : -t01, rgb);
}

static void
lighten (GsRgba *c, double f)
{
  c->r += (1 - c->r) * f;
  c->g += (1 - c->g) * f;
  c->b += (1 - c->b) * f;
}

void
_gs_layer_color (const GsPlotStyle *style, guint layer, guint n_layers, GsRgba *out)
{
  double rgb[3];
  guint  n = G_N_ELEMENTS (layer_path);

  if (n_layers <= n)
    {
      /* Few layers: distinct entries; the head always takes the last one. */
      guint i = layer + 1 == n_layers && n_layers > 1 ? n - 1 : MIN (layer, n - 1);
      for (int k = 0; k < 3; k++)
        rgb[k] = layer_path[i][k] / 255.0;
    }
  else
    lerp_table (layer_path, n, (double) layer / (n_layers - 1), rgb);
  *out = (GsRgba){ rgb[0], rgb[1], rgb[2], 1.0 };
  if (style->dark)
    lighten (out, 0.3);
}

void
_gs_run_color (const GsPlotStyle *style, guint run, GsRgba *out)
{
  if (run == 0)
    {
      *out = style->foreground;
      return;
    }
  const guint8 *c = run_palette[(run - 1) % G_N_ELEMENTS (run_palette)];
  *out = (GsRgba){ c[0] / 255.0, c[1] / 255.0, c[2] / 255.0, 1.0 };
}

void
_gs_set_color (cairo_t *cr, const GsRgba *c, double alpha)
{
  cairo_set_source_rgba (cr, c->r, c->g, c->b, c->a * alpha);
}
