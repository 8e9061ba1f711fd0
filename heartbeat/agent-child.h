/* systole: one agent process — spawned in its own process group with a clean
 * environment, its stdout/stderr captured without blocking, killed as a group
 * (TERM, then KILL) when it outlives its timeout. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  int exit_code;        /* exit status, or -1 when killed by a signal */
  int signal;           /* terminating signal, or 0 */
  gboolean timed_out;
  const char *out_text; /* captured stdout (at most HB_AGENT_CHILD_MAX_OUTPUT bytes) */
  const char *err_text; /* captured stderr */
  gint64 elapsed_us;
} HbAgentChildResult;

#define HB_AGENT_CHILD_MAX_OUTPUT (64 * 1024)

typedef void (*HbAgentChildDone) (const HbAgentChildResult *result, gpointer user_data);

typedef struct _HbAgentChild HbAgentChild;

/* Starts argv[0] (an absolute path) with exactly `envp`. On success `done` is
 * called once from the main loop when the child exits; the caller frees the
 * HbAgentChild afterwards (freeing it from inside `done` is allowed). */
HbAgentChild *hb_agent_child_spawn (const char *const *argv, const char *const *envp,
                                    guint timeout_ms, guint kill_grace_ms, HbAgentChildDone done,
                                    gpointer user_data, GError **error);

/* Kills the child's whole process group (SIGKILL) if it still runs, and frees.
 * `done` is not called afterwards. */
void hb_agent_child_free (HbAgentChild *child);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HbAgentChild, hb_agent_child_free)

GPid hb_agent_child_pid (const HbAgentChild *child);

G_END_DECLS
