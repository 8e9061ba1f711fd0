/* systole: heartbeat media: one UDP socket per `bcast`, `ucast` and `mcast`
 * line of ha.cf (docs/PROTOCOL.md, "ha.cf directives"), bound to its interface with
 * SO_BINDTODEVICE, read by a GSource on the daemon's main context.
 *
 * Heartbeat forks a reader and a writer process per medium (docs/PROTOCOL.md,
 * "Log format", "Known weaknesses");
 * here a medium is a socket and a source in the one main loop. Each kind
 * lives in its own file (media-bcast.c, media-ucast.c, media-mcast.c) and
 * only says how to bind, where to send and how to announce itself.
 */
#pragma once

#include <gio/gio.h>

#include "config.h"

G_BEGIN_DECLS

#define HB_MEDIA_ERROR (hb_media_error_quark ())
GQuark hb_media_error_quark (void);

typedef enum
{
  HB_MEDIA_ERROR_INTERFACE, /* no such interface, or no usable address on it */
  HB_MEDIA_ERROR_ADDRESS,   /* bad peer / group address */
  HB_MEDIA_ERROR_SOCKET,    /* socket, setsockopt or bind failed */
  HB_MEDIA_ERROR_SELF,      /* ucast to one of our own addresses: not a medium for us */
} HbMediaError;

typedef struct _HbMediaChannel HbMediaChannel;

/* One datagram received on `channel` from `from` (an IPv4 address). */
typedef void (*HbMediaRecvFunc) (HbMediaChannel *channel,
                                 const guint8 *data,
                                 gsize len,
                                 GInetSocketAddress *from,
                                 gpointer user_data);

/* Opens the medium described by `conf` and starts reading on `context`
 * (NULL = default). A ucast line naming one of our own addresses fails with
 * HB_MEDIA_ERROR_SELF: callers skip it, so one ha.cf serves every node
 * (docs/PROTOCOL.md, "ha.cf directives"). */
HbMediaChannel *hb_media_open (const HbMedium *conf, GMainContext *context,
                               HbMediaRecvFunc recv, gpointer user_data, GError **error);
void hb_media_free (HbMediaChannel *channel);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HbMediaChannel, hb_media_free)

/* Sends one datagram to the medium's destination (non-blocking; a full
 * socket buffer drops the packet, as a lost datagram would). */
gboolean hb_media_send (HbMediaChannel *channel, const guint8 *data, gsize len, GError **error);

/* The link name peers are tracked under: the interface (Heartbeat's
 * `Link node2:eth0 up.`). */
const char *hb_media_link_name (const HbMediaChannel *channel);
/* "bcast eth0", "ucast eth0 192.0.2.12", "mcast eth0 239.0.0.1": for logs. */
const char *hb_media_describe (const HbMediaChannel *channel);
/* The line Heartbeat logs when the medium starts (docs/PROTOCOL.md, "Log format"). */
const char *hb_media_started_message (const HbMediaChannel *channel);
const HbMedium *hb_media_conf (const HbMediaChannel *channel);

/* TRUE if `addr` (dotted quad) is configured on one of our interfaces. */
gboolean hb_media_is_local_address (const char *addr);

/* ---- for the per-kind files ------------------------------------------------------ */

/* What a kind does differently. */
typedef struct
{
  HbMediumType type;
  /* Creates the bound socket and the destination address. */
  gboolean (*setup) (const HbMedium *conf, GSocket **socket_out,
                     GSocketAddress **dest_out, char **started_out, GError **error);
} HbMediaKind;

extern const HbMediaKind hb_media_bcast_kind;
extern const HbMediaKind hb_media_ucast_kind;
extern const HbMediaKind hb_media_mcast_kind;

/* A non-blocking IPv4 UDP socket with SO_REUSEADDR, bound to device `dev`
 * and to `bind_addr`:`port` (bind_addr NULL = any). */
GSocket *hb_media_udp_socket (const char *dev, const char *bind_addr, guint16 port,
                              GError **error);

G_END_DECLS
