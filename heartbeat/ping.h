/* systole: ping nodes (`ping IP...`, `ping_group NAME IP...`,
 * docs/PROTOCOL.md, "Ping nodes"): ICMP echo requests from one raw socket every
 * keepalive; an echo reply from a member address is a sign of life of its
 * pseudo-node. */
#pragma once

#include <gio/gio.h>

#include "config.h"

G_BEGIN_DECLS

typedef struct _HbPinger HbPinger;

/* An echo reply from a member of ping node `node` (its config name). */
typedef void (*HbPingReplyFunc) (const char *node, gpointer user_data);

/* NULL with no error when `config` has no ping nodes. Needs CAP_NET_RAW. */
HbPinger *hb_pinger_new (const HbConfig *config, HbPingReplyFunc reply, gpointer user_data,
                         GError **error);
void hb_pinger_free (HbPinger *pinger);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HbPinger, hb_pinger_free)

/* Sends one echo request to every member address (call every keepalive).
 * `payload` (may be NULL) is carried in the echo, as Heartbeat's ping plugin
 * carries an authenticated NS_st message. */
void hb_pinger_send (HbPinger *pinger, GBytes *payload);

G_END_DECLS
