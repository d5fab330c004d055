/* gs-file.c: writing an output file safely (the policy is in gs-file.h). */
#define G_LOG_DOMAIN "gs-file"

#include "gs-file.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static gboolean set_error (GError **error, int code, const char *path, const char *fmt, ...)
    G_GNUC_PRINTF (4, 5);

static gboolean
set_error (GError **error, int code, const char *path, const char *fmt, ...)
{
  va_list          ap;
  g_autofree char *msg = NULL;

  va_start (ap, fmt);
  msg = g_strdup_vprintf (fmt, ap);
  va_end (ap);
  g_set_error (error, G_FILE_ERROR, code, "%s: %s", path, msg);
  return FALSE;
}

static gboolean
set_errno (GError **error, const char *path, const char *what, int err)
{
  return set_error (error, g_file_error_from_errno (err), path, "%s: %s", what, g_strerror (err));
}

/* --- Temporaries a signal removes ----------------------------------------- */

/* Slots, not a list: the handler may only read memory and call unlink(). A
 * slot is claimed (state 1), filled, then published (state 2). */
#define N_SLOTS 64
static struct
{
  gint state;
  char path[PATH_MAX];
} slots[N_SLOTS];

static int
temp_register (const char *path)
{
  if (strlen (path) >= PATH_MAX)
    return -1;
  for (int i = 0; i < N_SLOTS; i++)
    if (g_atomic_int_compare_and_exchange (&slots[i].state, 0, 1))
      {
        strcpy (slots[i].path, path);
        g_atomic_int_set (&slots[i].state, 2);
        return i;
      }
  return -1; /* more writes at once than slots: that one is not cleaned */
}

static void
temp_unregister (int slot)
{
  if (slot >= 0)
    g_atomic_int_set (&slots[slot].state, 0);
}

static void
on_signal (int sig)
{
  for (int i = 0; i < N_SLOTS; i++)
    if (g_atomic_int_get (&slots[i].state) == 2)
      unlink (slots[i].path);
  signal (sig, SIG_DFL);
  raise (sig);
}

void
gs_file_clean_on_signals (void)
{
  static const int sigs[] = { SIGINT, SIGTERM, SIGHUP };
  struct sigaction sa = { 0 };

  sa.sa_handler = on_signal;
  sigemptyset (&sa.sa_mask);
  for (guint i = 0; i < G_N_ELEMENTS (sigs); i++)
    sigaction (sigs[i], &sa, NULL);
}

/* --- Checking a path ------------------------------------------------------ */

char *
gs_file_resolve_output (const char *path)
{
  char     real[PATH_MAX];
  GStatBuf st;

  if (g_lstat (path, &st) == 0 && S_ISLNK (st.st_mode) && realpath (path, real) != NULL)
    return g_strdup (real);
  return g_strdup (path);
}

static gboolean
check_folder (const char *path, const char *target, GError **error)
{
  g_autofree char *dir = g_path_get_dirname (target);
  GStatBuf         st;

  if (g_stat (dir, &st) != 0)
    return errno == ENOENT ? set_error (error, G_FILE_ERROR_NOENT, path, "the folder %s does not exist", dir)
                           : set_errno (error, path, dir, errno);
  if (!S_ISDIR (st.st_mode))
    return set_error (error, G_FILE_ERROR_NOTDIR, path, "%s is not a folder", dir);
  if (g_access (dir, W_OK | X_OK) != 0)
    return set_error (error, G_FILE_ERROR_ACCES, path, "cannot write in the folder %s: %s", dir,
                      g_strerror (errno));
  return TRUE;
}

/* How path's target is written: 'w' through (device, FIFO), 'r' replaced
 * (a regular file, or none yet); FALSE and an error if not at all. */
static gboolean
classify (const char *path, char *how, GError **error)
{
  GStatBuf st, lst;
  gboolean link = g_lstat (path, &lst) == 0 && S_ISLNK (lst.st_mode);

  if (path[0] == '\0')
    return set_error (error, G_FILE_ERROR_NOENT, "(empty)", "an empty file name");
  if (g_stat (path, &st) != 0)
    {
      if (errno == ELOOP)
        return set_error (error, G_FILE_ERROR_LOOP, path,
                          "too many levels of symbolic links (a symlink loop)");
      if (errno == ENOENT && link)
        return set_error (error, G_FILE_ERROR_NOENT, path, "a symbolic link to a file that does not exist");
      if (errno != ENOENT)
        return set_errno (error, path, "cannot write the file", errno);
      *how = 'r';
      return TRUE;
    }
  if (S_ISDIR (st.st_mode))
    return set_error (error, G_FILE_ERROR_ISDIR, path, "it is a folder, not a file name");
  if (S_ISCHR (st.st_mode) || S_ISFIFO (st.st_mode))
    {
      *how = 'w';
      return TRUE;
    }
  if (!S_ISREG (st.st_mode))
    return set_error (error, G_FILE_ERROR_FAILED, path, "it is a block device or a socket, not a file");
  *how = 'r';
  return TRUE;
}

gboolean
gs_file_check_output (const char *path, GError **error)
{
  char             how;
  g_autofree char *target = NULL;

  g_return_val_if_fail (path != NULL, FALSE);
  if (!classify (path, &how, error))
    return FALSE;
  if (how == 'w')
    return g_access (path, W_OK) == 0 || set_errno (error, path, "cannot write to it", errno);
  target = gs_file_resolve_output (path);
  return check_folder (path, target, error);
}

/* --- Writing -------------------------------------------------------------- */

static gboolean
write_all (int fd, const char *path, const char *data, gsize len, GError **error)
{
  while (len > 0)
    {
      ssize_t n = write (fd, data, MIN (len, (gsize) 1 << 30));
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        return set_errno (error, path, "cannot write the file", errno);
      data += n, len -= (gsize) n;
    }
  return TRUE;
}

/* Through a device or a FIFO, in place: O_NONBLOCK so that a FIFO nobody
 * reads fails (ENXIO) instead of waiting for ever. */
static gboolean
write_through (const char *path, const char *data, gsize len, GError **error)
{
  int      fd = g_open (path, O_WRONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY, 0);
  gboolean ok;

  if (fd < 0)
    return errno == ENXIO ? set_error (error, G_FILE_ERROR_NXIO, path, "a FIFO that nobody reads")
                          : set_errno (error, path, "cannot write to it", errno);
  fcntl (fd, F_SETFL, fcntl (fd, F_GETFL) & ~O_NONBLOCK);
  ok = write_all (fd, path, data, len, error);
  if (close (fd) != 0 && ok)
    ok = set_errno (error, path, "cannot write to it", errno);
  return ok;
}

/* Creates target.XXXXXX (six random letters, as mkstemp) registered for
 * the signal handler before it exists: a signal may land in any thread,
 * even while this one is between creating the file and noting it. */
static int
create_temporary (const char *target, char **tmp, int *slot)
{
  static const char letters[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

  for (int attempt = 0; attempt < 100; attempt++)
    {
      char suffix[8] = ".";
      for (int i = 1; i < 7; i++)
        suffix[i] = letters[g_random_int_range (0, sizeof letters - 1)];
      *tmp = g_strconcat (target, suffix, NULL);
      *slot = temp_register (*tmp);
      int fd = g_open (*tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
      if (fd >= 0 || errno != EEXIST)
        return fd;
      temp_unregister (*slot); /* someone else's file: not ours to remove */
      g_clear_pointer (tmp, g_free);
    }
  errno = EEXIST;
  return -1;
}

struct _GsFileTemp
{
  char *path, *tmp; /* as given; the temporary next to the target */
  char *target;
  int   fd, slot;
};

GsFileTemp *
gs_file_temp_new (const char *path, GError **error)
{
  char        how;
  GsFileTemp *t;

  g_return_val_if_fail (path != NULL, NULL);
  if (!classify (path, &how, error))
    return NULL;
  if (how == 'w')
    {
      set_error (error, G_FILE_ERROR_INVAL, path,
                 "this is written as a whole file; a device or a FIFO is not");
      return NULL;
    }
  t = g_new0 (GsFileTemp, 1);
  t->path = g_strdup (path);
  t->target = gs_file_resolve_output (path);
  t->fd = -1;
  t->slot = -1;
  if (!check_folder (path, t->target, error))
    return gs_file_temp_free (t), NULL;
  t->fd = create_temporary (t->target, &t->tmp, &t->slot);
  if (t->fd < 0)
    {
      set_errno (error, path, "cannot create a temporary file", errno);
      return gs_file_temp_free (t), NULL;
    }
  return t;
}

const char *
gs_file_temp_path (const GsFileTemp *t)
{
  return t->tmp;
}

void
gs_file_temp_free (GsFileTemp *t)
{
  if (t == NULL)
    return;
  if (t->fd >= 0)
    close (t->fd);
  if (t->tmp)
    g_unlink (t->tmp);
  temp_unregister (t->slot);
  g_free (t->path);
  g_free (t->tmp);
  g_free (t->target);
  g_free (t);
}

gboolean
gs_file_temp_commit (GsFileTemp *t, GError **error)
{
  gboolean ok = TRUE;
  int      fd = t->fd;

  t->fd = -1;
  if (fsync (fd) != 0)
    ok = set_errno (error, t->path, "cannot write the file", errno);
  if (close (fd) != 0 && ok)
    ok = set_errno (error, t->path, "cannot write the file", errno);
  if (ok && g_rename (t->tmp, t->target) != 0)
    ok = set_errno (error, t->path, "cannot put the file in place", errno);
  if (ok)
    g_clear_pointer (&t->tmp, g_free); /* in place: nothing to remove */
  gs_file_temp_free (t);
  return ok;
}

static gboolean
replace (const char *path, const char *data, gsize len, GError **error)
{
  GsFileTemp *t = gs_file_temp_new (path, error);

  if (t == NULL)
    return FALSE;
  if (!write_all (t->fd, path, data, len, error))
    return gs_file_temp_free (t), FALSE;
  return gs_file_temp_commit (t, error);
}

gboolean
gs_file_write (const char *path, const void *data, gsize len, GError **error)
{
  char how;

  g_return_val_if_fail (path != NULL && (data != NULL || len == 0), FALSE);
  if (!classify (path, &how, error))
    return FALSE;
  if (how == 'w')
    return write_through (path, data, len, error);
  return replace (path, data, len, error);
}
