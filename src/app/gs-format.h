/* gs-format.h: numbers as the window writes them. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* 12345 -> "12 345", with a narrow no-break space; rounded, at least 0. */
char *gs_format_count (double value);

G_END_DECLS
