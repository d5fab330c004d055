/* gs-lesson.c: the guided lesson through the seed experiments.
 *
 * The steps follow the two teaching notebooks: the baseline first, then
 * each mitigation. Each names a preset and the figure that shows the point;
 * the window loads the preset, shows a run of it from the run list when
 * there is one (so a prepared class needs no training), and highlights the
 * figure. This widget only shows the text and counts the steps.
 */
#define G_LOG_DOMAIN "gs-lesson"

#include "config.h"

#include <glib/gi18n.h>

#include "gs-lesson.h"
#include "gs-lesson-plan.h"
#include "gs-plot.h"

static const GsLessonStep steps[] = {
  { "baseline", "heatmap", NULL, N_ ("The gradient vanishes"),
    N_ ("Seven sigmoid layers with PyTorch’s default initialisation. The sigmoid’s "
        "derivative is at most 0.25, so on the way back every layer multiplies the "
        "gradient by a quarter or less. In the heatmap, layer 1 is the input side: its "
        "rows are darker by orders of magnitude than the output layer’s. Those layers "
        "hardly learn.") },
  { "baseline", "norms", NULL, N_ ("Layer by layer"),
    N_ ("The gradient-norm profile shows one step: towards the input the norm falls "
        "by a roughly constant factor per layer, a straight slope on the log axis. "
        "Drag the timeline: the slope stays while the network trains.") },
  { "baseline", "shrink", NULL, N_ ("Why it shrinks"),
    N_ ("Each bar is the factor by which the backward signal changes crossing one "
        "layer, split into its two causes: the sigmoid’s derivative (orange, never "
        "above 0.25) and the weights (blue). Multiplied from the output down, they "
        "give the running product on the right, which falls by as many orders of "
        "magnitude as the heatmap’s rows; the line below checks it against the "
        "measured signal.") },
  { "init-std1", "norms", "baseline", N_ ("Larger weights"),
    N_ ("Weights drawn from N(0, 1) multiply the backward signal by more at each "
        "layer, which offsets the sigmoid’s factor of a quarter: the profile is "
        "flatter. But the pre-activations grow too, and more units sit in the "
        "sigmoid’s flat tails.") },
  { "init-std10", "activations", "baseline", N_ ("Far too large weights"),
    /* xgettext:no-c-format */
    N_ ("With a standard deviation of 10 almost every unit is saturated at 0 or 1, "
        "where the sigmoid’s derivative is nearly zero. The saturated fraction is "
        "close to 100 % and the gradient dies again: bigger is not better.") },
  { "relu", "norms", "baseline", N_ ("ReLU"),
    N_ ("ReLU’s derivative is exactly 1 wherever a unit is active, so the backward "
        "signal is not cut by a quarter at every layer. The gradient-norm profile is "
        "nearly flat and the network learns much faster.") },
  { "adam", "curves", "baseline", N_ ("Adam"),
    N_ ("Adam divides each weight’s update by a running estimate of its gradient’s "
        "size, so layers with tiny gradients still take steps of a useful size. The "
        "gradients still vanish, the updates do not: compare the loss curves with "
        "the baseline’s.") },
  { "batchnorm", "activations", "baseline", N_ ("Batch normalisation"),
    N_ ("BatchNorm rescales each layer’s pre-activations to zero mean and unit "
        "spread over the batch, then applies a learnt scale and shift. The sigmoids "
        "use their whole steep middle range: the activations’ spread (upper panel) "
        "is several times the baseline’s, no unit is saturated (lower panel), and "
        "the gradient reaches the first layers.") },
  { "customnorm", "heatmap", "baseline", N_ ("Normalising without parameters"),
    N_ ("The notebooks’ custom norm standardises each layer over the whole batch "
        "tensor, with no learnt parameters. Like BatchNorm it keeps the sigmoids out "
        "of their flat tails: see how evenly the heatmap’s rows are lit.") },
  { "skip", "norms", "baseline", N_ ("Skip connections"),
    N_ ("A skip path adds an earlier layer’s output to a later one (h3 += h1, "
        "h7 += h4). On the way back the addition hands the gradient to the earlier "
        "layer unchanged, around the sigmoids in between: layers 1 and 4 get a "
        "much larger gradient.") },
  { "layerwise", "heatmap", "baseline", N_ ("Layer-wise training"),
    N_ ("Greedy layer-wise training starts with a shallow network and adds blocks "
        "phase by phase, each with a fresh output head, the lower blocks frozen; the "
        "last phase trains them all, as notebook A did. Until then no "
        "gradient has to cross all seven layers. Grey cells are layers frozen or "
        "not added yet.") },
  { "gradnorm", "heatmap", "baseline", N_ ("Normalising the gradient"),
    N_ ("The notebooks’ gradnorm rule standardises the backward signal after every "
        "activation. Whatever shrank it on the way, each layer receives a signal of "
        "unit spread: the heatmap’s rows come out nearly equal.") },
  { "gradnorm-switch", "heatmap", NULL, N_ ("Switching it on mid-run"),
    N_ ("One run, one change: the baseline trains for an epoch, then gradient "
        "normalisation switches on. The white mark on the heatmap’s time axis is "
        "the moment of the change; to its right the lower rows, dark for the whole "
        "first epoch, jump to the top of the colour scale at once. Cause and effect "
        "inside one run.") },
  /* What the papers saw: the At Init steps need no training, the sidebar's
   * network is probed at initialisation the moment the preset loads. */
  { "glorot-tanh-standard", "at-init", NULL, N_ ("Glorot & Bengio (2010): standard initialisation"),
    N_ ("Five tanh layers with weights from U(±1/√fan_in), probed at initialisation "
        "before any training. The weights’ variance is a third of what would keep "
        "the signal’s size, so the backward panel’s gradient shrinks layer by layer "
        "towards the input: their Figure 7, top.") },
  { "glorot-tanh-normalized", "at-init", NULL, N_ ("Normalised (Xavier) initialisation"),
    N_ ("Glorot and Bengio’s fix: draw the weights from U(±√6/√(fan_in + fan_out)), "
        "so the variance is kept both forward and backward. The back-propagated "
        "gradient now keeps its size from the top layer to the first: their Figure 7, "
        "bottom.") },
  { "he-relu-deep", "at-init", NULL, N_ ("He et al. (2015): 30 ReLU layers, Xavier init"),
    N_ ("ReLU zeroes half of its inputs, so with Xavier’s variance every layer halves "
        "the signal’s variance: after 30 layers the activations are some 2⁻¹⁵ of the "
        "input’s, a straight line down on the log axis. Such a network barely "
        "trains.") },
  { "he-relu-deep-he", "at-init", NULL, N_ ("He initialisation"),
    N_ ("He et al. double the variance, N(0, 2/fan_in), to make up for the half "
        "that ReLU drops: the activation spread stays flat through all 30 layers and "
        "the network trains. Change the depth or the initialisation in the sidebar "
        "and watch the figure follow.") },
  { "glorot-sigmoid", "percentiles", NULL, N_ ("Glorot & Bengio (2010): the top layer saturates"),
    N_ ("Four sigmoid layers trained with SGD: the mean activation of the top hidden "
        "layer drops to 0 within the first epochs, where the sigmoid is flat, and "
        "recovers only slowly; the lower layers stay near 0.5. Their Figure 2. This "
        "step needs a run of the preset (Start).") },
  { "ioffe-bn-off", "percentiles", NULL, N_ ("Ioffe & Szegedy (2015): inputs that drift"),
    N_ ("Three sigmoid layers without BatchNorm: the distribution of each layer’s "
        "inputs keeps moving while the layers below learn, so every layer chases a "
        "moving target. The bands show the spread per layer (from the recorded "
        "histograms). Their Figure 1, right. Needs a run (Start).") },
  { "ioffe-bn", "percentiles", "ioffe-bn-off", N_ ("BatchNorm keeps them put"),
    N_ ("The same network with BatchNorm: each layer’s inputs are standardised over "
        "the batch, so their distribution stays where it started and training is "
        "faster and steadier. Compare the bands with the previous step’s. Their "
        "Figure 1. Needs a run (Start).") },
};

struct _GsLesson
{
  GtkWidget parent_instance;

  GtkLabel       *counter_label;
  GtkLabel       *title_label;
  GtkLabel       *text_label;
  GtkLabel       *hint_label;
  GtkSpinButton  *epochs_spin;
  GtkWidget      *prepare_button;
  GtkWidget      *prepare_box;
  GtkProgressBar *prepare_bar;

  guint index;
};

G_DEFINE_FINAL_TYPE (GsLesson, gs_lesson, GTK_TYPE_WIDGET)

enum
{
  PROP_0,
  PROP_INDEX,
  N_PROPS
};
static GParamSpec *properties[N_PROPS];

static void
sync_text (GsLesson *self)
{
  const GsLessonStep *step = &steps[self->index];
  /* Translators: lesson progress, e.g. "3 / 11" */
  g_autofree char *counter = g_strdup_printf (_ ("%u / %u"), self->index + 1, (guint) G_N_ELEMENTS (steps));

  gtk_label_set_text (self->counter_label, counter);
  gtk_label_set_text (self->title_label, _ (step->title));
  gtk_label_set_text (self->text_label, _ (step->text));
}

static void
gs_lesson_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), GS_TYPE_LESSON);
  /* Children without an id in the template are ours to unparent. */
  for (GtkWidget *child; (child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL;)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (gs_lesson_parent_class)->dispose (object);
}

static void
gs_lesson_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  switch (prop_id)
    {
    case PROP_INDEX:
      g_value_set_uint (value, GS_LESSON (object)->index);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gs_lesson_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  switch (prop_id)
    {
    case PROP_INDEX:
      gs_lesson_set_index (GS_LESSON (object), g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gs_lesson_class_init (GsLessonClass *klass)
{
  GObjectClass   *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = gs_lesson_dispose;
  object_class->get_property = gs_lesson_get_property;
  object_class->set_property = gs_lesson_set_property;

  properties[PROP_INDEX]
      = g_param_spec_uint ("index", NULL, NULL, 0, G_N_ELEMENTS (steps) - 1, 0,
                           G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/gradscope/Gradscope/ui/gs-lesson.ui");
  gtk_widget_class_bind_template_child (widget_class, GsLesson, counter_label);
  gtk_widget_class_bind_template_child (widget_class, GsLesson, title_label);
  gtk_widget_class_bind_template_child (widget_class, GsLesson, text_label);
  gtk_widget_class_bind_template_child (widget_class, GsLesson, hint_label);
  gtk_widget_class_bind_template_child (widget_class, GsLesson, epochs_spin);
  gtk_widget_class_bind_template_child (widget_class, GsLesson, prepare_button);
  gtk_widget_class_bind_template_child (widget_class, GsLesson, prepare_box);
  gtk_widget_class_bind_template_child (widget_class, GsLesson, prepare_bar);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "lesson");
}

static void
gs_lesson_init (GsLesson *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_spin_button_set_value (self->epochs_spin, GS_LESSON_DEFAULT_EPOCHS);
  sync_text (self);
}

guint
gs_lesson_get_n_steps (void)
{
  return G_N_ELEMENTS (steps);
}

const GsLessonStep *
gs_lesson_get_step (guint index)
{
  g_return_val_if_fail (index < G_N_ELEMENTS (steps), NULL);
  return &steps[index];
}

gboolean
gs_lesson_step_needs_run (const GsLessonStep *step)
{
  GsFigure figure;

  return !gs_figure_from_name (step->figure, &figure) || figure != GS_FIGURE_AT_INIT;
}

guint
gs_lesson_get_index (GsLesson *self)
{
  g_return_val_if_fail (GS_IS_LESSON (self), 0);
  return self->index;
}

void
gs_lesson_set_index (GsLesson *self, guint index)
{
  g_return_if_fail (GS_IS_LESSON (self));

  index = MIN (index, G_N_ELEMENTS (steps) - 1);
  if (self->index == index)
    return;
  self->index = index;
  sync_text (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_INDEX]);
}

void
gs_lesson_set_hint (GsLesson *self, const char *hint)
{
  g_return_if_fail (GS_IS_LESSON (self));
  gtk_label_set_text (self->hint_label, hint != NULL ? hint : "");
  gtk_widget_set_visible (GTK_WIDGET (self->hint_label), hint != NULL && hint[0] != '\0');
}

int
gs_lesson_get_prepare_epochs (GsLesson *self)
{
  g_return_val_if_fail (GS_IS_LESSON (self), GS_LESSON_DEFAULT_EPOCHS);
  gtk_spin_button_update (self->epochs_spin);
  return gtk_spin_button_get_value_as_int (self->epochs_spin);
}

void
gs_lesson_set_prepare_epochs (GsLesson *self, int epochs)
{
  g_return_if_fail (GS_IS_LESSON (self));
  gtk_spin_button_set_value (self->epochs_spin, epochs);
}

void
gs_lesson_set_preparing (GsLesson *self, double fraction, const char *text)
{
  g_return_if_fail (GS_IS_LESSON (self));

  gtk_widget_set_visible (self->prepare_box, fraction >= 0);
  gtk_widget_set_visible (self->prepare_button, fraction < 0);
  gtk_widget_set_sensitive (GTK_WIDGET (self->epochs_spin), fraction < 0);
  if (fraction >= 0)
    {
      gtk_progress_bar_set_fraction (self->prepare_bar, CLAMP (fraction, 0, 1));
      gtk_progress_bar_set_text (self->prepare_bar, text);
    }
}
