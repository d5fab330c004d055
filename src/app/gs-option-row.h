/* gs-option-row.h: one engine option in the sidebar.
 *
 * A label, the control that edits the option (a spin button with the
 * option's range for numbers, a drop-down for choices, a switch for
 * booleans, an entry for integer lists) and the line below them that shows
 * what is wrong with its value. Values go in and out as strings in the
 * form gs_config_get() writes and gs_config_set() reads.
 */
#pragma once

#include <gtk/gtk.h>
#include "gs-config.h"

G_BEGIN_DECLS

typedef struct _GsOptionRow GsOptionRow;

/* The user changed the control (also while a value is being set: the
 * callee decides what to ignore). */
typedef void (*GsOptionRowChanged) (GsOptionRow *row, gpointer user_data);

/* Attaches its widgets to grid rows row and row + 1. */
GsOptionRow *gs_option_row_new (
    const GsOptionSpec *spec, GtkGrid *grid, int row, GsOptionRowChanged changed, gpointer user_data);
void                gs_option_row_free (GsOptionRow *row);
const GsOptionSpec *gs_option_row_get_spec (GsOptionRow *row);
GtkWidget          *gs_option_row_get_control (GsOptionRow *row);
char               *gs_option_row_get_value (GsOptionRow *row);
/* Shows the config's value and forgets any refusal. */
void gs_option_row_set_value (GsOptionRow *row, const char *value);
/* Why gs_config_set() refused the value in the control (NULL: it did not). */
void        gs_option_row_set_refusal (GsOptionRow *row, const char *reason);
const char *gs_option_row_get_refusal (GsOptionRow *row);
/* The message shown below the control, NULL for none. */
void        gs_option_row_show_error (GsOptionRow *row, const char *message);
const char *gs_option_row_get_error (GsOptionRow *row);
void        gs_option_row_set_sensitive (GsOptionRow *row, gboolean sensitive);

G_END_DECLS
