/* systole: `mcast IF GROUP PORT TTL LOOP`: UDP multicast
 * (docs/PROTOCOL.md, "ha.cf directives"). */
#include "media.h"

#include <errno.h>
#include <net/if.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <string.h>
#include <sys/socket.h>

static gboolean
set_int (int fd, int option, int value, const char *what, GError **error)
{
  if (setsockopt (fd, IPPROTO_IP, option, &value, sizeof value) != 0)
    {
      g_set_error (error, HB_MEDIA_ERROR, HB_MEDIA_ERROR_SOCKET, "%s: %s", what,
                   g_strerror (errno));
      return FALSE;
    }
  return TRUE;
}

/* Joins the group on the interface and sends through it, with the ttl and
 * loop of the ha.cf line. */
static gboolean
join_group (int fd, const HbMedium *conf, GError **error)
{
  struct ip_mreqn mreq;

  memset (&mreq, 0, sizeof mreq);
  mreq.imr_ifindex = (int) if_nametoindex (conf->dev);
  if (mreq.imr_ifindex == 0)
    {
      g_set_error (error, HB_MEDIA_ERROR, HB_MEDIA_ERROR_INTERFACE, "no interface %s", conf->dev);
      return FALSE;
    }
  inet_pton (AF_INET, conf->group, &mreq.imr_multiaddr);
  if (setsockopt (fd, IPPROTO_IP, IP_ADD_MEMBERSHIP, &mreq, sizeof mreq) != 0
      || setsockopt (fd, IPPROTO_IP, IP_MULTICAST_IF, &mreq, sizeof mreq) != 0)
    {
      g_set_error (error, HB_MEDIA_ERROR, HB_MEDIA_ERROR_SOCKET,
                   "cannot join multicast group %s on %s: %s", conf->group, conf->dev,
                   g_strerror (errno));
      return FALSE;
    }
  return set_int (fd, IP_MULTICAST_TTL, conf->ttl, "IP_MULTICAST_TTL", error)
         && set_int (fd, IP_MULTICAST_LOOP, conf->loop ? 1 : 0, "IP_MULTICAST_LOOP", error);
}

static gboolean
mcast_setup (const HbMedium *conf, GSocket **socket_out, GSocketAddress **dest_out,
             char **started_out, GError **error)
{
  g_autoptr (GInetAddress) group = g_inet_address_new_from_string (conf->group);
  g_autoptr (GSocket) sock = NULL;

  if (group == NULL || !g_inet_address_get_is_multicast (group)
      || g_inet_address_get_family (group) != G_SOCKET_FAMILY_IPV4)
    {
      g_set_error (error, HB_MEDIA_ERROR, HB_MEDIA_ERROR_ADDRESS,
                   "mcast %s: %s is not an IPv4 multicast group", conf->dev, conf->group);
      return FALSE;
    }
  /* Bound to the group address: only this group's datagrams arrive here. */
  sock = hb_media_udp_socket (conf->dev, conf->group, conf->port, error);
  if (sock == NULL || !join_group (g_socket_get_fd (sock), conf, error))
    {
      return FALSE;
    }
  *dest_out = g_inet_socket_address_new (group, conf->port);
  *started_out = g_strdup_printf ("UDP multicast heartbeat started for group %s port %u "
                                  "interface %s (ttl=%u loop=%d)",
                                  conf->group, conf->port, conf->dev, conf->ttl, conf->loop ? 1 : 0);
  *socket_out = g_steal_pointer (&sock);
  return TRUE;
}

const HbMediaKind hb_media_mcast_kind = { HB_MEDIUM_MCAST, mcast_setup };
