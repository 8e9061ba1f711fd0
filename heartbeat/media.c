/* systole: heartbeat media, the parts every kind shares. */
#include "media.h"

#include <errno.h>
#include <arpa/inet.h>
#include <ifaddrs.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>

G_DEFINE_QUARK (hb-media-error-quark, hb_media_error)

/* UDP datagrams are at most 65507 bytes; anything Heartbeat sends fits. */
#define RECV_BUFFER_LEN 65536
/* Datagrams handled per wake-up, so a flood cannot starve the timers. */
#define RECV_BURST 64

struct _HbMediaChannel
{
  HbMedium conf;        /* shallow copy: strings owned by `owned_*` below */
  char *owned_dev;
  char *describe;
  char *started;
  GSocket *socket;
  GSocketAddress *dest;
  GSource *source;
  guint8 *buffer;
  HbMediaRecvFunc recv;
  gpointer user_data;
};

static const HbMediaKind *const kinds[] = {
  &hb_media_bcast_kind,
  &hb_media_ucast_kind,
  &hb_media_mcast_kind,
};

GSocket *
hb_media_udp_socket (const char *dev, const char *bind_addr, guint16 port, GError **error)
{
  g_autoptr (GSocket) sock = NULL;
  g_autoptr (GInetAddress) addr = NULL;
  g_autoptr (GSocketAddress) sa = NULL;
  int fd;

  sock = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_DATAGRAM, G_SOCKET_PROTOCOL_UDP, error);
  if (sock == NULL)
    {
      return NULL;
    }
  fd = g_socket_get_fd (sock);
  /* Several media may share a port (bcast eth0 + bcast eth1 + ucast). */
  if (!g_socket_set_option (sock, SOL_SOCKET, SO_REUSEADDR, 1, error))
    {
      return NULL;
    }
  if (setsockopt (fd, SOL_SOCKET, SO_BINDTODEVICE, dev, (socklen_t) strlen (dev) + 1) != 0)
    {
      int saved = errno;
      g_set_error (error, HB_MEDIA_ERROR, saved == ENODEV ? HB_MEDIA_ERROR_INTERFACE
                                                          : HB_MEDIA_ERROR_SOCKET,
                   "cannot bind to interface %s: %s", dev, g_strerror (saved));
      return NULL;
    }
  addr = bind_addr != NULL ? g_inet_address_new_from_string (bind_addr)
                           : g_inet_address_new_any (G_SOCKET_FAMILY_IPV4);
  if (addr == NULL)
    {
      g_set_error (error, HB_MEDIA_ERROR, HB_MEDIA_ERROR_ADDRESS, "bad address %s", bind_addr);
      return NULL;
    }
  sa = g_inet_socket_address_new (addr, port);
  if (!g_socket_bind (sock, sa, TRUE, error))
    {
      g_prefix_error (error, "%s port %u: ", dev, port);
      return NULL;
    }
  g_socket_set_blocking (sock, FALSE);
  return g_steal_pointer (&sock);
}

gboolean
hb_media_is_local_address (const char *addr)
{
  struct ifaddrs *list = NULL;
  struct in_addr want;
  gboolean found = FALSE;

  if (addr == NULL || inet_pton (AF_INET, addr, &want) != 1 || getifaddrs (&list) != 0)
    {
      return FALSE;
    }
  for (struct ifaddrs *ifa = list; ifa != NULL && !found; ifa = ifa->ifa_next)
    {
      if (ifa->ifa_addr != NULL && ifa->ifa_addr->sa_family == AF_INET)
        {
          found = ((struct sockaddr_in *) ifa->ifa_addr)->sin_addr.s_addr == want.s_addr;
        }
    }
  freeifaddrs (list);
  return found;
}

static gboolean
on_readable (GSocket *socket, GIOCondition condition, gpointer user_data)
{
  HbMediaChannel *channel = user_data;

  (void) condition;
  for (int i = 0; i < RECV_BURST; i++)
    {
      g_autoptr (GSocketAddress) from = NULL;
      g_autoptr (GError) error = NULL;
      gssize n = g_socket_receive_from (socket, &from, (gchar *) channel->buffer,
                                        RECV_BUFFER_LEN, NULL, &error);

      if (n < 0)
        {
          /* WOULD_BLOCK ends the burst; other errors (ICMP-induced
           * ECONNREFUSED on ucast) concern one datagram only. */
          if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
            {
              break;
            }
          continue;
        }
      if (G_IS_INET_SOCKET_ADDRESS (from))
        {
          channel->recv (channel, channel->buffer, (gsize) n, G_INET_SOCKET_ADDRESS (from),
                         channel->user_data);
        }
    }
  return G_SOURCE_CONTINUE;
}

static const HbMediaKind *
find_kind (HbMediumType type)
{
  for (gsize i = 0; i < G_N_ELEMENTS (kinds); i++)
    {
      if (kinds[i]->type == type)
        {
          return kinds[i];
        }
    }
  return NULL;
}

static char *
describe (const HbMedium *conf)
{
  switch (conf->type)
    {
    case HB_MEDIUM_UCAST:
      return g_strdup_printf ("ucast %s %s", conf->dev, conf->peer);
    case HB_MEDIUM_MCAST:
      return g_strdup_printf ("mcast %s %s", conf->dev, conf->group);
    case HB_MEDIUM_BCAST:
    default:
      return g_strdup_printf ("bcast %s", conf->dev);
    }
}

HbMediaChannel *
hb_media_open (const HbMedium *conf, GMainContext *context,
               HbMediaRecvFunc recv, gpointer user_data, GError **error)
{
  const HbMediaKind *kind = find_kind (conf->type);
  g_autoptr (HbMediaChannel) channel = NULL;

  g_return_val_if_fail (kind != NULL && recv != NULL, NULL);
  channel = g_new0 (HbMediaChannel, 1);
  channel->conf = *conf;
  channel->owned_dev = g_strdup (conf->dev);
  channel->conf.dev = channel->owned_dev;
  channel->conf.peer = channel->conf.group = NULL;
  channel->describe = describe (conf);
  if (!kind->setup (conf, &channel->socket, &channel->dest, &channel->started, error))
    {
      return NULL;
    }
  channel->recv = recv;
  channel->user_data = user_data;
  channel->buffer = g_malloc (RECV_BUFFER_LEN);
  channel->source = g_socket_create_source (channel->socket, G_IO_IN, NULL);
  g_source_set_callback (channel->source, G_SOURCE_FUNC (on_readable), channel, NULL);
  g_source_attach (channel->source, context);
  return g_steal_pointer (&channel);
}

void
hb_media_free (HbMediaChannel *channel)
{
  if (channel == NULL)
    {
      return;
    }
  if (channel->source != NULL)
    {
      g_source_destroy (channel->source);
      g_source_unref (channel->source);
    }
  g_clear_object (&channel->socket);
  g_clear_object (&channel->dest);
  g_free (channel->buffer);
  g_free (channel->owned_dev);
  g_free (channel->describe);
  g_free (channel->started);
  g_free (channel);
}

gboolean
hb_media_send (HbMediaChannel *channel, const guint8 *data, gsize len, GError **error)
{
  gssize n = g_socket_send_to (channel->socket, channel->dest, (const gchar *) data, len, NULL,
                               error);

  if (n < 0)
    {
      g_prefix_error (error, "%s: ", channel->describe);
      return FALSE;
    }
  return TRUE;
}

const char *
hb_media_link_name (const HbMediaChannel *channel)
{
  return channel->conf.dev;
}

const char *
hb_media_describe (const HbMediaChannel *channel)
{
  return channel->describe;
}

const char *
hb_media_started_message (const HbMediaChannel *channel)
{
  return channel->started;
}

const HbMedium *
hb_media_conf (const HbMediaChannel *channel)
{
  return &channel->conf;
}
