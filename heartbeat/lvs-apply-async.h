/* systole: the LVS checker's asynchronous apply. */
#ifndef SYSTOLE_LVS_APPLY_ASYNC_H
#define SYSTOLE_LVS_APPLY_ASYNC_H

#include <gio/gio.h>

#include "lvs-backend.h"
#include "lvs-state.h"

G_BEGIN_DECLS

/* For the checker's main loop: in a worker thread, under the exclusive state lock
 * of PATHS, records DOWN (copied) as the down set and applies it, so status never
 * sees one without the other. Does nothing (and succeeds) once the pid file is
 * gone: stop removes it before it deletes the services, so a health change racing
 * with stop cannot program them back. DIRECTOR and PATHS must outlive the call. */
void hb_lvs_director_apply_async (HbLvsDirector *director, const HbLvsPaths *paths, GHashTable *down,
                                  GAsyncReadyCallback callback, gpointer user_data);
gboolean hb_lvs_director_apply_finish (HbLvsDirector *director, GAsyncResult *result, GError **error);

G_END_DECLS

#endif
