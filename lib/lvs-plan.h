/* systole: what the kernel's load-balancing table should hold, and how to get
 * there (pure: no I/O; the callers run ipvsadm / nft with the text made here).
 *
 * An HbLvsTable is the backend-neutral picture of a table: virtual services, each
 * with its destinations and their weights. It is built three ways: from the
 * configuration plus the health checker's "down" set (what we want), from
 * `ipvsadm -S -n` output, and from `nft list table` output (what the kernel has).
 * Comparing the two gives status; the difference gives the commands to run.
 */
#pragma once

#include "lvsconf.h"

G_BEGIN_DECLS

#define HB_LVS_PLAN_ERROR (hb_lvs_plan_error_quark ())
GQuark hb_lvs_plan_error_quark (void);

typedef enum
{
  HB_LVS_PLAN_ERROR_PARSE, /* kernel listing we cannot read */
} HbLvsPlanError;

typedef struct
{
  char *addr;
  guint16 port;
  HbLvsKind kind;
  guint weight;
} HbLvsDest;

typedef struct
{
  HbLvsProto proto;
  char *addr;
  guint16 port;
  char *sched;
  guint persistence_s;
  GPtrArray *dests; /* HbLvsDest* */
} HbLvsVirtual;

typedef struct
{
  GPtrArray *virtuals; /* HbLvsVirtual* */
} HbLvsTable;

HbLvsTable *hb_lvs_table_new (void);
void hb_lvs_table_free (HbLvsTable *table);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HbLvsTable, hb_lvs_table_free)

/* "tcp 192.0.2.100:80 198.51.100.11:8080": names one real server of one service
 * in the health checker's down set and in log lines. */
char *hb_lvs_real_key (const HbLvsService *svc, const HbLvsReal *real);

/* The table BACKEND should hold for CONFIG when the real servers in DOWN (a set of
 * hb_lvs_real_key strings, may be NULL) have failed their checks: a failed real
 * server gets weight 0 with inhibit_on_failure, else it is left out. nftables
 * has no weight 0, so there it is left out too, and rr weights are all 1. */
HbLvsTable *hb_lvs_plan_desired (const HbLvsConfig *config, GHashTable *down, HbLvsBackend backend);

typedef enum
{
  HB_LVS_MATCH_ALL,  /* every wanted service is there exactly */
  HB_LVS_MATCH_NONE, /* none of the wanted services is there */
  HB_LVS_MATCH_SOME, /* partly there, or different: PROBLEMS says what */
} HbLvsMatch;

/* Compares the wanted services with the kernel's. Services in CURRENT that are
 * not in DESIRED belong to someone else and are ignored; extra destinations in a
 * wanted service are problems. Appends one human-readable line per difference. */
HbLvsMatch hb_lvs_table_compare (const HbLvsTable *desired, const HbLvsTable *current,
                                 GPtrArray *problems);

/* The services of A that B does not have (copies): what a changed configuration
 * no longer wants. */
HbLvsTable *hb_lvs_table_minus (const HbLvsTable *a, const HbLvsTable *b);

/* ---- IPVS (ipvsadm) ---------------------------------------------------------- */

/* Reads `ipvsadm -S -n` (the save format, one command per line). */
HbLvsTable *hb_lvs_plan_ipvs_parse_save (const char *text, GError **error);

/* Commands for `ipvsadm -R` (one per line, ipvsadm's own syntax without the program
 * name) that turn CURRENT into DESIRED for the wanted services only: -A/-E for
 * services, -a/-e/-d for destinations. Empty when nothing is to do. */
char *hb_lvs_plan_ipvs_sync (const HbLvsTable *desired, const HbLvsTable *current);

/* Commands that delete the wanted services that CURRENT holds (-D), nothing else:
 * never a -C, so other services on the host stay. */
char *hb_lvs_plan_ipvs_remove (const HbLvsTable *desired, const HbLvsTable *current);

/* ---- nftables ------------------------------------------------------------------ */

/* "systole_lvs_<name>": one table per configuration, so stop deletes only it. */
char *hb_lvs_plan_nft_table (const HbLvsConfig *config);

/* A script for `nft -f` that programs TABLE with DESIRED: DNAT with a numgen (rr,
 * wrr) or jhash (sh) map whose ranges are sized by weight. REPLACE: one atomic
 * transaction (add, delete, create) for a table that exists; else create only,
 * for a table that does not (much cheaper: deleting a table waits for the kernel). */
char *hb_lvs_plan_nft_ruleset (const char *table, const HbLvsTable *desired, gboolean replace);

/* Reads `nft list table ip TABLE` output back into a table (rules we wrote). */
HbLvsTable *hb_lvs_plan_nft_parse_listing (const char *text, GError **error);

/* ---- real-server health ------------------------------------------------------------ */

typedef struct
{
  gboolean up;     /* real servers start as up (keepalived without `alpha`) */
  guint failures;  /* consecutive failed attempts */
} HbLvsHealth;

typedef enum
{
  HB_LVS_HEALTH_SAME,
  HB_LVS_HEALTH_WENT_DOWN,
  HB_LVS_HEALTH_WENT_UP,
} HbLvsHealthChange;

/* Records one check result. A real server goes down after 1 + retry failed
 * attempts in a row, retried every delay_before_retry; it comes back on the first
 * success. *NEXT_MS is the delay until the next attempt. */
HbLvsHealthChange hb_lvs_health_record (HbLvsHealth *health, const HbLvsCheck *check,
                                        gboolean ok, guint *next_ms);

G_END_DECLS
