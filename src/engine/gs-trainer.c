/* gs-trainer.c: the training loop, its schedule of probes and checkpoints,
 * and divergence. */
#define G_LOG_DOMAIN "gs-trainer"

#include "gs-trainer.h"

#include <math.h>
#include <sys/resource.h>
#include <unistd.h>

#include "gs-fpmode.h"
#include "gs-net.h"
#include "gs-optim.h"
#include "gs-probes.h"

G_DEFINE_QUARK (gs - trainer - error - quark, gs_trainer_error)

/* A phase trains hidden layers lowest..depth_used-1 and the head. */
typedef GsPhasePlan Phase;

struct _GsTrainer
{
  GsConfig         config;
  Phase            now; /* the phase as trained now: its frozen layers and --freeze's */
  const GsDataset *data;
  GsNet           *net;
  GsOptim         *optim;
  GsRecord        *record;
  GsRng            init_rng, shuffle_rng;

  guint32 *train_idx; /* (n_train) indices into data->train */
  guint32 *val_idx;   /* (n_val) */
  guint    n_train, n_val;
  guint    steps_per_epoch;
  Phase    phases[GS_MAX_PHASES];
  int      n_phases;

  gboolean          probes;
  float            *probe_buf; /* (n_layers, GS_N_PROBES) */
  GsHist           *hist_buf;  /* (n_layers, GS_N_HIST_KINDS) */
  guint             hist_every;
  guint             step;
  GArray           *schedule; /* GsIntervention by step, applied up to next_change */
  guint             next_change;
  GArray           *pending;   /* GsIntervention asked by gs_trainer_change (), under lock */
  gint              n_pending; /* atomic */
  guint             n_applied; /* changes recorded, under lock */
  GsTrainerCallback callback;
  gpointer          callback_data;
  GsProgress        progress;

  GMutex  lock;
  GCond   cond;
  gint    paused, stopped; /* atomics */
  GTimer *timer;           /* training time, stopped while paused */
};

gsize
gs_trainer_memory_needed (const GsConfig *c, guint n_inputs, guint n_classes)
{
  const double W = c->width, D = c->depth, B = c->batch_size;
  const double params = n_inputs * W + (D - 1) * W * W + W * n_classes + 4 * D * W;
  const double acts = B * n_inputs + D * B * W * 6 + 4 * B * n_classes;
  return (gsize) (4 * (params * 4 + acts) + 2 * D * W * 4);
}

/* A number from a one-line file (cgroup), G_MAXUINT64 for "max" or none. */
static guint64
read_limit_file (const char *dir, const char *name)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autofree char *text = NULL;
  guint64          v;

  if (!g_file_get_contents (path, &text, NULL, NULL))
    return G_MAXUINT64;
  g_strstrip (text);
  return g_ascii_string_to_unsigned (text, 10, 0, G_MAXUINT64, &v, NULL) ? v : G_MAXUINT64;
}

/* cgroup v2: memory.max - memory.current of this process's group (and of
 * each group above it: the tightest). G_MAXUINT64 when there is no limit. */
static guint64
cgroup_headroom (void)
{
  g_autofree char *cg = NULL;
  guint64          best = G_MAXUINT64;

  if (!g_file_get_contents ("/proc/self/cgroup", &cg, NULL, NULL) || !g_str_has_prefix (cg, "0::/"))
    return best;
  g_strdelimit (cg, "\n", '\0');
  g_autofree char *dir = g_build_filename ("/sys/fs/cgroup", cg + 4, NULL);
  while (g_str_has_prefix (dir, "/sys/fs/cgroup/"))
    {
      guint64 max = read_limit_file (dir, "memory.max"), cur = read_limit_file (dir, "memory.current");
      if (max != G_MAXUINT64)
        best = MIN (best, cur != G_MAXUINT64 && cur < max ? max - cur : 0);
      *strrchr (dir, '/') = '\0';
    }
  return best;
}

/* RLIMIT_AS or RLIMIT_DATA minus what the process already uses of it
 * (/proc/self/statm: total size, and data + stack). */
static guint64
rlimit_headroom (int resource, int statm_field)
{
  struct rlimit    rl;
  g_autofree char *statm = NULL;
  g_auto (GStrv) f = NULL;
  guint64 used = 0;

  if (getrlimit (resource, &rl) != 0 || rl.rlim_cur == RLIM_INFINITY)
    return G_MAXUINT64;
  if (g_file_get_contents ("/proc/self/statm", &statm, NULL, NULL) && (f = g_strsplit (statm, " ", -1))
      && g_strv_length (f) > (guint) statm_field)
    used = g_ascii_strtoull (f[statm_field], NULL, 10) * (guint64) sysconf (_SC_PAGESIZE);
  return rl.rlim_cur > used ? rl.rlim_cur - used : 0;
}

gsize
gs_trainer_memory_available (void)
{
  long    pages = sysconf (_SC_PHYS_PAGES), size = sysconf (_SC_PAGESIZE);
  guint64 have = pages > 0 && size > 0 ? (guint64) pages * size / 2 : G_MAXUINT64;

  /* half the machine, so the rest of the desktop keeps room; all of what
   * a limit leaves, which is this process's alone */
  have = MIN (have, rlimit_headroom (RLIMIT_AS, 0));
  have = MIN (have, rlimit_headroom (RLIMIT_DATA, 5));
  have = MIN (have, cgroup_headroom ());
  return (gsize) MIN (have, (guint64) G_MAXSIZE);
}

gboolean
gs_trainer_memory_fits (
    const GsConfig *config, guint n_inputs, guint n_classes, gsize *needed, gsize *available)
{
  *available = gs_trainer_memory_available ();
  *needed = gs_trainer_memory_needed (config, n_inputs, n_classes);
  return *needed <= *available;
}

gboolean
gs_trainer_check_memory (const GsConfig *config, guint n_inputs, guint n_classes, GError **error)
{
  gsize need, have;

  if (gs_trainer_memory_fits (config, n_inputs, n_classes, &need, &have))
    return TRUE;
  g_set_error (error, GS_TRAINER_ERROR, GS_TRAINER_ERROR_MEMORY,
               "this configuration needs about %.2f GB, but this process may have %.2f GB (the least of "
               "half the machine's memory, the address-space and data limits and the cgroup's "
               "memory.max); reduce --width, --depth or --batch-size",
               need / 1e9, have / 1e9);
  return FALSE;
}

static void
split_data (GsTrainer *t)
{
  const GsSplit *s = &t->data->train;
  GsRng          rng;
  guint32       *perm = g_new (guint32, s->n);
  guint          n_val = s->n / 10; /* 60 000 -> 54 000 train, 6 000 validation */

  gs_rng_init_stream (&rng, t->config.seed, GS_RNG_STREAM_SPLIT);
  gs_rng_permutation (&rng, perm, s->n);
  t->n_val = n_val;
  t->n_train = s->n - n_val;
  if (t->config.limit_train > 0)
    t->n_train = MIN (t->n_train, (guint) t->config.limit_train);
  t->val_idx = g_memdup2 (perm, n_val * sizeof (guint32));
  t->train_idx = g_memdup2 (perm + n_val, t->n_train * sizeof (guint32));
  g_free (perm);
}

void
gs_trainer_preset_schedule (const GsConfig *config, GArray *out)
{
  const GsPreset *p = config->preset[0] ? gs_preset_find (config->preset) : NULL;
  g_autoptr (GError) error = NULL;

  if (p != NULL && p->schedule != NULL && !gs_intervention_parse_list (p->schedule, out, &error))
    g_error ("preset %s: %s", p->id, error->message); /* a bug in the table */
}

static gboolean
add_schedule (GsTrainer *t, const GsIntervention *list, guint n, gboolean strict, GError **error);

/* The preset's changes the run reaches: a short run of it is still that
 * preset, without the later ones. */
static void
take_preset_schedule (GsTrainer *t)
{
  g_autoptr (GArray) list = g_array_new (FALSE, FALSE, sizeof (GsIntervention));

  gs_trainer_preset_schedule (&t->config, list);
  add_schedule (t, (const GsIntervention *) (gpointer) list->data, list->len, FALSE, NULL);
}

GsTrainer *
gs_trainer_new (const GsConfig *config, const GsDataset *data, GError **error)
{
  GsTrainer  *t;
  const guint n_in = data->rows * data->cols;
  guint       n_layers = config->depth + 1;

  if (!gs_config_validate (config, error) || !gs_trainer_check_memory (config, n_in, data->n_classes, error))
    return NULL;
  if (data->train.n < 20 || data->test.n == 0)
    {
      g_set_error (error, GS_TRAINER_ERROR, GS_TRAINER_ERROR_DATA,
                   "data set %s has too few samples (%u train, %u test)", data->source, data->train.n,
                   data->test.n);
      return NULL;
    }
  t = g_new0 (GsTrainer, 1);
  t->config = *config;
  t->data = data;
  split_data (t);
  t->config.batch_size = MIN (config->batch_size, (int) t->n_train);
  t->steps_per_epoch = (t->n_train + t->config.batch_size - 1) / t->config.batch_size;
  t->hist_every = MAX (1u, t->steps_per_epoch / config->hist_per_epoch);
  t->n_phases = gs_config_plan_phases (&t->config, t->phases);
  t->net = gs_net_new (&t->config, n_in, data->n_classes, t->config.batch_size);
  gs_rng_init_stream (&t->init_rng, config->seed, GS_RNG_STREAM_INIT);
  gs_rng_init_stream (&t->shuffle_rng, config->seed, GS_RNG_STREAM_SHUFFLE);
  gs_net_init (t->net, &t->init_rng);
  t->optim = gs_optim_new (&t->config, t->net->n_params);
  t->record = gs_record_new (&t->config, n_layers, t->steps_per_epoch, data->name);
  t->probes = t->net->probes = TRUE;
  t->probe_buf = g_new (float, (gsize) n_layers *GS_N_PROBES);
  t->hist_buf = g_new (GsHist, (gsize) n_layers * GS_N_HIST_KINDS);
  t->schedule = g_array_new (FALSE, FALSE, sizeof (GsIntervention));
  t->pending = g_array_new (FALSE, FALSE, sizeof (GsIntervention));
  g_mutex_init (&t->lock);
  g_cond_init (&t->cond);
  t->timer = g_timer_new ();
  g_timer_stop (t->timer);
  take_preset_schedule (t);
  return t;
}

void
gs_trainer_free (GsTrainer *t)
{
  if (t == NULL)
    return;
  gs_net_free (t->net);
  gs_optim_free (t->optim);
  gs_record_unref (t->record);
  g_free (t->train_idx);
  g_free (t->val_idx);
  g_free (t->probe_buf);
  g_free (t->hist_buf);
  g_array_unref (t->schedule);
  g_array_unref (t->pending);
  g_mutex_clear (&t->lock);
  g_cond_clear (&t->cond);
  g_timer_destroy (t->timer);
  g_free (t);
}

GsRecord *
gs_trainer_get_record (GsTrainer *t)
{
  return t->record;
}
const GsNet *
gs_trainer_get_net (GsTrainer *t)
{
  return t->net;
}

void
gs_trainer_set_probes (GsTrainer *t, gboolean enabled)
{
  t->probes = enabled;
  t->net->probes = enabled;
}

void
gs_trainer_set_callback (GsTrainer *t, GsTrainerCallback cb, gpointer user_data)
{
  t->callback = cb;
  t->callback_data = user_data;
}

void
gs_trainer_pause (GsTrainer *t, gboolean paused)
{
  g_mutex_lock (&t->lock);
  g_atomic_int_set (&t->paused, paused);
  g_cond_broadcast (&t->cond);
  g_mutex_unlock (&t->lock);
}

void
gs_trainer_stop (GsTrainer *t)
{
  g_mutex_lock (&t->lock);
  g_atomic_int_set (&t->stopped, TRUE);
  g_cond_broadcast (&t->cond);
  g_mutex_unlock (&t->lock);
}

static gint
by_step (gconstpointer a, gconstpointer b)
{
  const GsIntervention *x = a, *y = b;
  return x->step < y->step ? -1 : x->step > y->step;
}

/* Adds to the schedule; strict: an entry beyond the run is an error (and
 * none is added), else it is left out. */
static gboolean
add_schedule (GsTrainer *t, const GsIntervention *list, guint n, gboolean strict, GError **error)
{
  const guint n_epochs = t->config.epochs * t->n_phases, n_steps = n_epochs * t->steps_per_epoch;
  const guint before = t->schedule->len;

  if (before + n > GS_MAX_INTERVENTIONS)
    return g_set_error (error, GS_CONFIG_ERROR, GS_CONFIG_ERROR_INVALID_VALUE,
                        "--at: %u changes are more than a run holds (%d)", before + n, GS_MAX_INTERVENTIONS),
           FALSE;
  for (guint i = 0; i < n; i++)
    {
      GsIntervention   iv = list[i];
      g_autofree char *text = gs_intervention_flag_text (&iv);
      gboolean outside = iv.step == 0 ? iv.epoch < 1 || (guint) iv.epoch > n_epochs : iv.step > n_steps;
      if (outside && !strict)
        continue;
      if (outside)
        g_array_set_size (t->schedule, before);
      if (outside && iv.step == 0)
        return g_set_error (error, GS_CONFIG_ERROR, GS_CONFIG_ERROR_INVALID_VALUE,
                            "%s: epoch %d is outside the run (epochs 1 to %u)", text, iv.epoch, n_epochs),
               FALSE;
      if (outside)
        return g_set_error (error, GS_CONFIG_ERROR, GS_CONFIG_ERROR_INVALID_VALUE,
                            "%s: step %u is beyond the run (%u epochs of %u steps: steps 1 to %u)", text,
                            iv.step, n_epochs, t->steps_per_epoch, n_steps),
               FALSE;
      if (iv.step == 0)
        iv.step = (guint) (iv.epoch - 1) * t->steps_per_epoch + 1;
      g_array_append_val (t->schedule, iv);
    }
  /* stable, so changes at one step apply in the order given */
  g_array_sort (t->schedule, by_step);
  t->next_change = 0;
  return TRUE;
}

gboolean
gs_trainer_add_schedule (GsTrainer *t, const GsIntervention *list, guint n, GError **error)
{
  return add_schedule (t, list, n, TRUE, error);
}

gboolean
gs_trainer_change (GsTrainer *t, const char *option, const char *value, GError **error)
{
  GsIntervention iv = { 0 };
  GsConfig       scratch;
  gboolean       ok;

  g_mutex_lock (&t->lock);
  scratch = t->config;
  /* every change applied is recorded: none past what a record holds */
  if (t->n_applied + t->pending->len + (t->schedule->len - t->next_change) >= GS_MAX_INTERVENTIONS)
    ok = (g_set_error (error, GS_CONFIG_ERROR, GS_CONFIG_ERROR_INVALID_VALUE,
                       "--%s: this run has had %d changes, as many as a run holds", option,
                       GS_MAX_INTERVENTIONS),
          FALSE);
  else
    ok = gs_intervention_set (&scratch, option, value, error);
  if (ok)
    {
      g_autofree char *to = gs_config_get (&scratch, option);
      g_strlcpy (iv.option, option, sizeof iv.option);
      g_strlcpy (iv.to, to, sizeof iv.to);
      g_array_append_val (t->pending, iv);
      g_atomic_int_inc (&t->n_pending);
    }
  g_mutex_unlock (&t->lock);
  return ok;
}

/* The one path every change takes, before step t->step + 1: the net and
 * the optimizer copy the config; a new update rule starts with a fresh
 * state. Called with t->lock held (gs_trainer_change () reads t->config). */
static void
apply_change (GsTrainer *t, const GsIntervention *want)
{
  GsIntervention   iv = *want;
  g_autofree char *from = gs_config_get (&t->config, iv.option);
  GsOptimizer      was = t->config.optimizer;

  if (!gs_intervention_set (&t->config, iv.option, iv.to, NULL) || g_str_equal (from, iv.to))
    return;
  t->net->config = t->config;
  if (t->config.optimizer != was)
    {
      gs_optim_free (t->optim);
      t->optim = gs_optim_new (&t->config, t->net->n_params);
    }
  else
    t->optim->config = t->config;
  iv.step = t->step + 1;
  iv.epoch = (int) (t->step / t->steps_per_epoch) + 1;
  g_strlcpy (iv.from, from, sizeof iv.from);
  gs_record_add_intervention (t->record, &iv);
  t->n_applied++;
}

static void
apply_changes (GsTrainer *t)
{
  const guint next = t->step + 1;

  if (!g_atomic_int_get (&t->n_pending)
      && (t->next_change == t->schedule->len
          || g_array_index (t->schedule, GsIntervention, t->next_change).step != next))
    return;
  g_mutex_lock (&t->lock);
  /* the schedule first: a live change answers what the run does now */
  for (; t->next_change < t->schedule->len; t->next_change++)
    {
      const GsIntervention *iv = &g_array_index (t->schedule, GsIntervention, t->next_change);
      if (iv->step != next)
        break;
      apply_change (t, iv);
    }
  for (guint i = 0; i < t->pending->len; i++)
    apply_change (t, &g_array_index (t->pending, GsIntervention, i));
  g_array_set_size (t->pending, 0);
  g_atomic_int_set (&t->n_pending, 0);
  g_mutex_unlock (&t->lock);
}

/* Blocks while paused; returns FALSE when the run should stop. */
static gboolean
check_pause (GsTrainer *t)
{
  if (g_atomic_int_get (&t->paused))
    {
      g_timer_stop (t->timer);
      g_mutex_lock (&t->lock);
      while (t->paused && !t->stopped)
        g_cond_wait (&t->cond, &t->lock);
      g_mutex_unlock (&t->lock);
      g_timer_continue (t->timer);
    }
  return !g_atomic_int_get (&t->stopped);
}

static void
emit (GsTrainer *t, GsTrainerEvent event)
{
  if (t->callback)
    t->callback (event, &t->progress, t->callback_data);
}

/* Bytes to floats in [0, 1], as torchvision's ToTensor does (x / 255). */
static void
load_batch (GsTrainer *t, const GsSplit *split, const guint32 *idx, int B, guint8 *labels)
{
  const int n_in = t->net->n_in;
  gs_real  *x = t->net->x;

  gs_gather_rows_to_unit (x, split->images, idx, B, n_in);
  for (int r = 0; r < B; r++)
    labels[r] = split->labels[idx[r]];
}

/* Mean loss and accuracy over a split, in eval mode. */
static void
evaluate (GsTrainer     *t,
          const GsSplit *split,
          const guint32 *idx,
          guint          n,
          int            depth_used,
          double        *loss,
          double        *acc)
{
  const int cap = t->net->batch_cap;
  guint8   *labels = g_new (guint8, cap);
  guint32  *seq = NULL;
  double    sum = 0;
  long      hits = 0;

  if (idx == NULL)
    {
      seq = g_new (guint32, n);
      for (guint i = 0; i < n; i++)
        seq[i] = i;
      idx = seq;
    }
  for (guint s = 0; s < n; s += cap)
    {
      int B = (int) MIN ((guint) cap, n - s), correct;
      load_batch (t, split, idx + s, B, labels);
      gs_net_forward (t->net, B, depth_used, FALSE);
      sum += gs_softmax_xent (NULL, t->net->logits, labels, B, t->net->n_classes, &correct);
      hits += correct;
    }
  *loss = sum / n;
  *acc = (double) hits / n;
  g_free (labels);
  g_free (seq);
}

/* Per-layer scaling (gradnorm unit) and global clipping of the gradients
 * of the trained layers. */
static void
transform_grads (GsTrainer *t, const Phase *ph)
{
  GsNet *net = t->net;
  double total = 0;

  if (t->config.gradnorm != GS_GRADNORM_UNIT && t->config.clip_norm <= 0)
    return;
  for (int l = 0; l < net->n_layers; l++)
    {
      const GsLayerView *v = &net->layers[l];
      double             sq;
      if (!gs_net_layer_trained (net, l, ph->depth_used, ph->lowest))
        continue;
      sq = gs_sumsq (v->gw, v->count);
      if (t->config.gradnorm == GS_GRADNORM_UNIT && sq > 0)
        {
          const gs_real s = (gs_real) (1 / sqrt (sq));
          for (size_t i = 0; i < v->count; i++)
            v->gw[i] *= s;
          sq = 1;
        }
      total += sq;
    }
  if (t->config.clip_norm > 0 && sqrt (total) > t->config.clip_norm)
    {
      const gs_real s = (gs_real) (t->config.clip_norm / (sqrt (total) + 1e-6));
      for (int l = 0; l < net->n_layers; l++)
        {
          const GsLayerView *v = &net->layers[l];
          if (!gs_net_layer_trained (net, l, ph->depth_used, ph->lowest))
            continue;
          for (size_t i = 0; i < v->count; i++)
            v->gw[i] *= s;
        }
    }
}

static void
checkpoint (GsTrainer *t, const Phase *ph, int B)
{
  gs_probes_hists (t->net, B, ph->depth_used, ph->lowest, t->hist_buf);
  gs_record_add_checkpoint (t->record, t->step, t->hist_buf);
}

/* The update, layer by layer, with the update-size probes. Returns FALSE if
 * an update is not finite. */
static gboolean
update (GsTrainer *t, const Phase *ph)
{
  GsNet   *net = t->net;
  gboolean finite = TRUE;

  gs_optim_begin_step (t->optim);
  for (int l = 0; l < net->n_layers; l++)
    {
      const GsLayerView *v = &net->layers[l];
      GsUpdateSums       w, rest;
      if (!gs_net_layer_trained (net, l, ph->depth_used, ph->lowest))
        continue;
      gs_optim_update (t->optim, net->params, net->grads, v->offset, v->n_weights, &w);
      gs_optim_update (t->optim, net->params, net->grads, v->offset + v->n_weights, v->count - v->n_weights,
                       &rest);
      gs_probes_update (t->probe_buf, l, &w, v->n_weights);
      finite = finite && isfinite (w.upd_sq + rest.upd_sq + w.w_new_sq);
    }
  return finite;
}

/* Where did NaN/Inf first appear? Forward order, then loss, then backward. */
static void
locate_divergence (GsTrainer *t, const Phase *ph, int B, double loss)
{
  GsNet       *net = t->net;
  const size_t n = (size_t) B * net->width;
  char         what[96];
  int          layer = net->depth;

  g_snprintf (what, sizeof what, "loss");
  for (int l = 0; l < ph->depth_used; l++)
    if (!gs_all_finite (net->a[l], n))
      {
        g_snprintf (what, sizeof what, "activations");
        layer = l;
        goto found;
      }
  if (!gs_all_finite (net->logits, (size_t) B * net->n_classes))
    {
      g_snprintf (what, sizeof what, "logits");
      goto found;
    }
  if (isfinite (loss))
    for (int l = net->n_layers - 1; l >= 0; l--)
      if (!gs_all_finite (net->layers[l].w, net->layers[l].count))
        {
          g_snprintf (what, sizeof what, "weights after the update");
          layer = l;
          goto found;
        }
found:
  gs_record_set_diverged (t->record, t->step, layer, what);
}

/* One mini-batch. Returns FALSE if the run diverged. */
static gboolean
train_step (
    GsTrainer *t, const Phase *ph, const guint32 *idx, int B, guint8 *labels, double *loss_sum, long *hits)
{
  GsNet   *net = t->net;
  int      correct;
  double   loss;
  gboolean finite;

  load_batch (t, &t->data->train, idx, B, labels);
  gs_net_forward (net, B, ph->depth_used, TRUE);
  loss = gs_net_loss (net, labels, B, &correct);
  gs_net_backward (net, B, ph->depth_used, ph->lowest);
  transform_grads (t, ph);
  t->step++;
  if (t->probes)
    gs_probes_forward (net, B, ph->depth_used, ph->lowest, t->probe_buf);
  if (t->probes && (t->step == 1 || t->step % t->hist_every == 0))
    checkpoint (t, ph, B);
  finite = update (t, ph) && isfinite (loss);
  if (!t->probes)
    gs_probes_clear (t->probe_buf, net->n_layers);
  gs_record_append_step (t->record, t->probe_buf, (float) (loss / B), (float) correct / B);
  if (!finite)
    {
      locate_divergence (t, ph, B, loss);
      return FALSE;
    }
  *loss_sum += loss / B;
  *hits += correct;
  return TRUE;
}

static void
update_progress (GsTrainer *t, int epoch, int stage, double epoch_start, guint epoch_samples)
{
  GsProgress *p = &t->progress;
  double      now = g_timer_elapsed (t->timer, NULL);

  p->epoch = epoch;
  p->stage = stage;
  p->step = t->step;
  p->elapsed = now;
  p->samples_per_s = now > epoch_start ? epoch_samples / (now - epoch_start) : 0;
  p->eta = t->step > 0 ? now / t->step * (p->n_steps - t->step) : 0;
}

/* A change of --freeze while training: from the next step the layers below
 * it keep their weights, a new span of the phase that the record keeps
 * (the figures grey the frozen layers from there on). */
static void
refreeze (GsTrainer *t, const Phase *ph)
{
  int lowest = MAX (ph->lowest, MIN (t->config.freeze, ph->depth_used));

  if (lowest == t->now.lowest)
    return;
  t->now.lowest = lowest;
  gs_record_add_phase (t->record, t->step + 1, ph->stage, ph->depth_used, lowest);
}

/* Returns FALSE when stopped or diverged. */
static gboolean
train_epoch (GsTrainer *t, const Phase *ph, int epoch, guint32 *order, guint8 *labels)
{
  const int    Bmax = t->config.batch_size;
  const double start = g_timer_elapsed (t->timer, NULL);
  double       loss_sum = 0;
  long         hits = 0;
  guint        batches = 0, s;
  GsEpochStats st = { epoch, ph->stage };

  gs_rng_permutation (&t->shuffle_rng, order, t->n_train);
  if (t->probes) /* no allocation inside the steps */
    gs_record_reserve_checkpoints (t->record, t->steps_per_epoch / t->hist_every + 2);
  for (guint i = 0; i < t->n_train; i++)
    order[i] = t->train_idx[order[i]];
  for (s = 0; s < t->n_train; s += Bmax)
    {
      int B = (int) MIN ((guint) Bmax, t->n_train - s);
      if (!check_pause (t))
        return FALSE;
      apply_changes (t);
      refreeze (t, ph);
      if (!train_step (t, &t->now, order + s, B, labels, &loss_sum, &hits))
        return FALSE;
      batches++;
      update_progress (t, epoch, ph->stage, start, s + B);
      emit (t, GS_TRAINER_EVENT_STEP);
    }
  st.seconds = g_timer_elapsed (t->timer, NULL) - start;
  st.last_step = t->step;
  st.samples = t->n_train;
  st.train_loss = loss_sum / batches;
  st.train_acc = (double) hits / t->n_train;
  g_timer_stop (t->timer);
  evaluate (t, &t->data->train, t->val_idx, t->n_val, ph->depth_used, &st.val_loss, &st.val_acc);
  g_timer_continue (t->timer);
  gs_record_add_epoch (t->record, &st);
  emit (t, GS_TRAINER_EVENT_EPOCH);
  return TRUE;
}

/* Layer-wise, every phase starts as the notebooks' did: a fresh head at
 * PyTorch's default init and a fresh optimizer. */
static void
begin_phase (GsTrainer *t, const Phase *ph)
{
  if (t->config.n_stages > 0)
    {
      gs_net_init_layer_with (t->net, t->net->depth, GS_INIT_DEFAULT, &t->init_rng);
      gs_optim_reset (t->optim);
    }
  t->now = *ph;
  t->now.lowest = MAX (ph->lowest, MIN (t->config.freeze, ph->depth_used));
  gs_record_add_phase (t->record, t->step + 1, ph->stage, ph->depth_used, t->now.lowest);
}


/* The test pass at the end of a phase; none for a stopped or diverged run. */
static gboolean
end_phase (GsTrainer *t, const Phase *ph, gboolean last)
{
  double loss, acc;

  if (gs_record_diverged (t->record, NULL, NULL, NULL) || g_atomic_int_get (&t->stopped))
    return FALSE;
  evaluate (t, &t->data->test, NULL, t->data->test.n, ph->depth_used, &loss, &acc);
  gs_record_set_phase_test (t->record, acc);
  if (last)
    gs_record_set_test (t->record, loss, acc);
  return TRUE;
}

gboolean
gs_trainer_run (GsTrainer *t, GError **error)
{
  guint32 *order = g_new (guint32, t->n_train);
  guint8  *labels = g_new (guint8, t->config.batch_size);
  gboolean going = TRUE;
  int      epoch = 0;
  guint    fpmode = gs_fpmode_flush_subnormals (); /* gs-fpmode.h */

  t->progress.n_epochs = t->config.epochs * t->n_phases;
  t->progress.n_stages = t->config.n_stages;
  t->progress.n_steps = t->steps_per_epoch * t->progress.n_epochs;
  g_timer_start (t->timer);
  for (int p = 0; p < t->n_phases && going; p++)
    {
      const Phase *ph = &t->phases[p];
      begin_phase (t, ph);
      for (int e = 0; e < t->config.epochs && going; e++)
        going = train_epoch (t, ph, ++epoch, order, labels);
      /* the test passes are not training time */
      g_timer_stop (t->timer);
      going = going && end_phase (t, ph, p + 1 == t->n_phases);
      g_timer_continue (t->timer);
    }
  g_timer_stop (t->timer);
  gs_record_set_finished (t->record, g_atomic_int_get (&t->stopped), g_timer_elapsed (t->timer, NULL));
  gs_fpmode_restore (fpmode);
  emit (t, GS_TRAINER_EVENT_DONE);
  g_free (order);
  g_free (labels);
  return TRUE;
}
