/* systole: the IPaddr agents' background gratuitous-ARP sender (send_arp)
 * and its pid file. */
#pragma once

#include <glib.h>
#include <sys/types.h>

#include "ralog.h"

G_BEGIN_DECLS

/* Starts `argv` (argv[0] the send_arp path) detached: its own session,
 * stdin/stdout on /dev/null, nothing of ours kept open (a caller waiting for
 * EOF on our stdout/stderr is not held up). Its stderr goes to a small relay
 * process that logs every line at ERROR as "send_arp: LINE" through `log`.
 * The pid is written to `pidfile` before returning, so that a stop right
 * after start finds it; nothing is waited for. FALSE when fork fails. */
gboolean hb_ipaddr_arp_start (char *const argv[], const char *pidfile, HbRalog *log,
                              GError **error);

/* Ends the process whose pid `pidfile` holds if it still runs a program
 * called `comm` (a stale pid may be someone else's by now), waiting at most
 * about a second until it is gone, exiting, or has removed `pidfile` itself
 * (send_arp does as it stops sending); removes the file. */
void hb_ipaddr_pidfile_kill (const char *pidfile, const char *comm);

G_END_DECLS
