/* gs-config-panel.h: the sidebar that sets up the next run.
 *
 * Its controls are made from the engine's option table, so every engine
 * option appears without a hand-written list.
 */
#pragma once

#include <gtk/gtk.h>
#include "gs-config.h"

G_BEGIN_DECLS

#define GS_TYPE_CONFIG_PANEL (gs_config_panel_get_type ())
G_DECLARE_FINAL_TYPE (GsConfigPanel, gs_config_panel, GS, CONFIG_PANEL, GtkWidget)

const GsConfig *gs_config_panel_get_config (GsConfigPanel *self);
gboolean        gs_config_panel_get_valid (GsConfigPanel *self);
const char     *gs_config_panel_get_problem (GsConfigPanel *self);
gboolean        gs_config_panel_get_custom (GsConfigPanel *self);
gboolean        gs_config_panel_load_preset (GsConfigPanel *self, const char *id, GError **error);
void            gs_config_panel_reset (GsConfigPanel *self);
gboolean
gs_config_panel_set_option (GsConfigPanel *self, const char *name, const char *value, GError **error);
GtkWidget  *gs_config_panel_get_control (GsConfigPanel *self, const char *name);
const char *gs_config_panel_get_error (GsConfigPanel *self, const char *name);
char       *gs_config_panel_to_string (GsConfigPanel *self);
void        gs_config_panel_from_string (GsConfigPanel *self, const char *text);
void        gs_config_panel_set_config (GsConfigPanel *self, const GsConfig *config);
void        gs_config_panel_set_data (
           GsConfigPanel *self, const char *name, const char *source, const char *hint, gboolean is_error);
void gs_config_panel_set_data_tooltip (GsConfigPanel *self, const char *tooltip);
/* While a run trains: the options that cannot change live (GsOptionSpec.live),
 * the presets and Reset are locked; the window turns a change of the others
 * into an intervention. */
void     gs_config_panel_set_live (GsConfigPanel *self, gboolean live);
gboolean gs_config_panel_get_live (GsConfigPanel *self);

G_END_DECLS
