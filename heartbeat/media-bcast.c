/* systole: `bcast IF`: UDP broadcast to the interface's broadcast address on
 * udpport (docs/PROTOCOL.md, "ha.cf directives"). */
#include "media.h"

#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>

/* The IPv4 broadcast address of `dev`, from its first IPv4 address and
 * netmask (Heartbeat's bcast plugin asks the interface; computing it also
 * works when the address was added without `brd`, where the kernel reports
 * no broadcast address at all). */
static GInetAddress *
broadcast_address (const char *dev, GError **error)
{
  struct ifaddrs *list = NULL;
  GInetAddress *found = NULL;

  if (getifaddrs (&list) != 0)
    {
      g_set_error (error, HB_MEDIA_ERROR, HB_MEDIA_ERROR_INTERFACE, "cannot list interfaces");
      return NULL;
    }
  for (struct ifaddrs *ifa = list; ifa != NULL && found == NULL; ifa = ifa->ifa_next)
    {
      if (ifa->ifa_addr != NULL && ifa->ifa_netmask != NULL
          && ifa->ifa_addr->sa_family == AF_INET && strcmp (ifa->ifa_name, dev) == 0
          && (ifa->ifa_flags & IFF_BROADCAST))
        {
          struct in_addr bcast;
          bcast.s_addr = ((const struct sockaddr_in *) ifa->ifa_addr)->sin_addr.s_addr
                         | ~((const struct sockaddr_in *) ifa->ifa_netmask)->sin_addr.s_addr;
          found = g_inet_address_new_from_bytes ((const guint8 *) &bcast, G_SOCKET_FAMILY_IPV4);
        }
    }
  freeifaddrs (list);
  if (found == NULL)
    {
      g_set_error (error, HB_MEDIA_ERROR, HB_MEDIA_ERROR_INTERFACE,
                   "interface %s has no IPv4 broadcast address", dev);
    }
  return found;
}

static gboolean
bcast_setup (const HbMedium *conf, GSocket **socket_out, GSocketAddress **dest_out,
             char **started_out, GError **error)
{
  g_autoptr (GInetAddress) bcast = broadcast_address (conf->dev, error);
  g_autoptr (GSocket) sock = NULL;

  if (bcast == NULL)
    {
      return FALSE;
    }
  sock = hb_media_udp_socket (conf->dev, NULL, conf->port, error);
  if (sock == NULL)
    {
      return FALSE;
    }
  g_socket_set_broadcast (sock, TRUE);
  *dest_out = g_inet_socket_address_new (bcast, conf->port);
  /* docs/PROTOCOL.md, "Log format" */
  *started_out = g_strdup_printf ("UDP Broadcast heartbeat started on port %u (%u) interface %s",
                                  conf->port, conf->port, conf->dev);
  *socket_out = g_steal_pointer (&sock);
  return TRUE;
}

const HbMediaKind hb_media_bcast_kind = { HB_MEDIUM_BCAST, bcast_setup };
