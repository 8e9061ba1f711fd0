/* systole: `heartbeat -t`: check the configuration and report; and the
 * host facts (interfaces, /etc/services, name resolution) that lib/config
 * needs but may not gather itself. */
#pragma once

#include <glib.h>
#include <stdio.h>

#include "config.h"

G_BEGIN_DECLS

/* Facts about this host for hb_config_load_full(): ha-cluster/udp from
 * /etc/services, a getaddrinfo() resolver for host names in ucast/ping
 * lines, our euid; with `paths`, the owner and mode of the files that
 * decide what root runs (config-files.h); with `host_checks`, the network
 * interfaces (getifaddrs: every interface, its loopback flag and IPv4
 * addresses; no table if that fails, which skips the checks that need
 * it). The daemon uses the same for its loads (start, SIGHUP, -r). */
typedef struct _HbHostEnv HbHostEnv;

HbHostEnv *hb_host_env_new (const HbConfigPaths *paths, gboolean host_checks);
const HbConfigEnv *hb_host_env_get (const HbHostEnv *host);
void hb_host_env_free (HbHostEnv *host);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HbHostEnv, hb_host_env_free)

/* Loads CONFDIR/ha.cf, haresources and authkeys for `nodename` (NULL: the
 * lower-cased `uname -n`), prints every warning ("WARN: file:line: ...")
 * and error ("ERROR: file:line: ...") to `err`, then either
 * "configuration OK" to `out` (returns HB_EXIT_OK) or a summary line to
 * `err` (returns HB_EXIT_CONFIG). With `verbose` it first prints the
 * canonical dump (hb_config_dump) to `out`. Without `host_checks` (-t
 * --no-host-checks, for a configuration meant for another host) the
 * media are not compared with this host's interfaces; the files' owners
 * and modes are checked in any case. */
int hb_check_run (const char *confdir, const char *nodename, gboolean host_checks, gboolean verbose,
                  FILE *out, FILE *err);

G_END_DECLS
