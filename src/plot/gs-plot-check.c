/* gs-plot-check.c: is a figure whole at this size?
 *
 * The same layout code that draws reports every text box, every text it
 * had to cut and every panel it placed (_gs_plot_render_layout); a figure
 * is whole when it has all the panels it has on a 3840 x 2160 page, each
 * with its ticks and labels, and no text is cut, overlaps another or
 * leaves the page. The layout tests and the window (app.check-layout, for
 * the class rehearsal) ask the same question.
 */
#define G_LOG_DOMAIN "gs-plot-check"


#include "gs-plot-private.h"

static guint
reference_panels (GsFigure fig, GsRecord *const *runs, guint n_runs)
{
  GsPlotStyle style;
  g_autoptr (GArray) panels = g_array_new (FALSE, FALSE, sizeof (GsPanelBox));

  gs_plot_style_init (&style, FALSE, FALSE);
  _gs_plot_render_layout (fig, runs, n_runs, 3840, 2160, &style, NULL, panels, NULL);
  return panels->len;
}

static gboolean
boxes_overlap (const GsRect *a, const GsRect *b)
{
  double ix = MIN (a->x + a->w, b->x + b->w) - MAX (a->x, b->x);
  double iy = MIN (a->y + a->h, b->y + b->h) - MAX (a->y, b->y);
  return ix > 1 && iy > 1;
}

static char *
panel_problem (const GArray *panels, guint want)
{
  if (panels->len < want)
    return g_strdup_printf ("%u of %u panels", panels->len, want);
  for (guint i = 0; i < panels->len; i++)
    {
      const GsPanelBox *p = &g_array_index (panels, GsPanelBox, i);
      if (!p->labels || (p->want_xticks && p->n_xticks < 2) || (p->want_yticks && p->n_yticks < 2))
        return g_strdup_printf ("panel %u without ticks or labels (%u x, %u y ticks)", i, p->n_xticks,
                                p->n_yticks);
    }
  return NULL;
}

static char *
text_problem (const GArray *boxes, const GPtrArray *cut, double width, double height)
{
  if (cut->len > 0)
    return g_strdup_printf ("text cut: “%s”", (char *) g_ptr_array_index (cut, 0));
  for (guint a = 0; a < boxes->len; a++)
    {
      const GsRect *ra = &g_array_index (boxes, GsRect, a);
      if (ra->x < -1 || ra->y < -1 || ra->x + ra->w > width + 1 || ra->y + ra->h > height + 1)
        return g_strdup_printf ("text %u leaves the page", a);
      for (guint b = a + 1; b < boxes->len; b++)
        if (boxes_overlap (ra, &g_array_index (boxes, GsRect, b)))
          return g_strdup_printf ("texts %u and %u overlap", a, b);
    }
  return NULL;
}

char *
gs_plot_check_layout (
    GsFigure fig, GsRecord *const *runs, guint n_runs, double width, double height, const GsPlotStyle *style)
{
  g_autoptr (GArray) boxes = g_array_new (FALSE, FALSE, sizeof (GsRect));
  g_autoptr (GArray) panels = g_array_new (FALSE, FALSE, sizeof (GsPanelBox));
  g_autoptr (GPtrArray) cut = g_ptr_array_new_with_free_func (g_free);
  char *problem;

  if (n_runs == 0)
    return NULL;
  _gs_plot_render_layout (fig, runs, n_runs, width, height, style, boxes, panels, cut);
  problem = panel_problem (panels, reference_panels (fig, runs, n_runs));
  return problem ? problem : text_problem (boxes, cut, width, height);
}
