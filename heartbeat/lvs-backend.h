/* systole: the LVS director's I/O: runs nft commands (libnftables) or ipvsadm with the text that
 * lib/lvs-plan makes, reads the kernel's table back, keeps the checker's down set
 * in a state file. Used by both systole-lvs and lvs-checker, so a health change
 * goes through exactly the code that start uses.
 */
#pragma once

#include <glib.h>

#include "lvs-plan.h"
#include "lvs-state.h"

G_BEGIN_DECLS

#define HB_LVS_DIRECTOR_ERROR (hb_lvs_director_error_quark ())
GQuark hb_lvs_director_error_quark (void);

typedef enum
{
  HB_LVS_DIRECTOR_ERROR_NOT_INSTALLED, /* nft / ipvsadm not found */
  HB_LVS_DIRECTOR_ERROR_COMMAND,       /* nft / ipvsadm failed */
  HB_LVS_DIRECTOR_ERROR_KERNEL,        /* kernel listing we cannot read */
} HbLvsDirectorError;

typedef struct
{
  HbLvsConfig *config;
  HbLvsBackend backend; /* resolved: never AUTO */
  char *nft_table;
  char *program;        /* ipvsadm, full path (NULL for nftables: libnftables) */
} HbLvsDirector;

/* Reads and parses FILE: errors are HB_LVS_CONF_ERROR (IO for a missing file). */
HbLvsConfig *hb_lvs_config_load (const char *file, GPtrArray *warnings, GError **error);

/* Reads PATH but parses it as if it were FILE (names, messages): for the copy of
 * the configuration that start saved in the state directory. */
HbLvsConfig *hb_lvs_config_load_as (const char *path, const char *file, GPtrArray *warnings,
                                    GError **error);

/* Takes CONFIG (also when it fails). The backend is OVERRIDE unless AUTO, else the config's `backend`,
 * else ipvs when /proc/net/ip_vs exists (path overridable by
 * $SYSTOLE_LVS_PROC_IP_VS), else nftables. ipvsadm: $SYSTOLE_IPVSADM, else on PATH;
 * nftables runs in-process (libnftables). */
HbLvsDirector *hb_lvs_director_new (HbLvsConfig *config, HbLvsBackend override, GError **error);
void hb_lvs_director_free (HbLvsDirector *director);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HbLvsDirector, hb_lvs_director_free)

/* This configuration's part of the kernel table (empty when nothing is there). */
HbLvsTable *hb_lvs_director_read (HbLvsDirector *director, GError **error);

/* The commands apply would run, as text (`nft -f` script or `ipvsadm -R` lines). */
char *hb_lvs_director_plan (HbLvsDirector *director, GHashTable *down, GError **error);

/* Programs the kernel so that it matches the configuration with DOWN failed. */
gboolean hb_lvs_director_apply (HbLvsDirector *director, GHashTable *down, GError **error);

/* Removes this configuration's services (nft: its table, without reading it
 * first; IPVS: reads the table and deletes ours), nothing else. */
gboolean hb_lvs_director_remove (HbLvsDirector *director, GError **error);

/* After a configuration change: removes what OLD programmed that DIRECTOR no
 * longer wants (another backend: all of it; nftables: the old table if the name
 * changed; IPVS: the services that left the file), leaving the rest running. */
gboolean hb_lvs_director_remove_stale (HbLvsDirector *director, HbLvsDirector *old, GError **error);

/* Compares the kernel with the configuration; PROBLEMS gets one line per difference. */
gboolean hb_lvs_director_compare (HbLvsDirector *director, GHashTable *down, HbLvsMatch *match,
                                  GPtrArray *problems, GError **error);

/* The down set file: one hb_lvs_real_key per line. A missing file is an empty set. */
GHashTable *hb_lvs_state_read_down (const char *path);
gboolean hb_lvs_state_write_down (const char *path, GHashTable *down, GError **error);

G_END_DECLS
