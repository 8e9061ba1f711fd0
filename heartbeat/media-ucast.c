/* systole: `ucast IF PEER`: UDP unicast to one peer on udpport
 * (docs/PROTOCOL.md, "ha.cf directives"). */
#include "media.h"

static gboolean
ucast_setup (const HbMedium *conf, GSocket **socket_out, GSocketAddress **dest_out,
             char **started_out, GError **error)
{
  g_autoptr (GInetAddress) peer = g_inet_address_new_from_string (conf->peer);
  g_autoptr (GSocket) sock = NULL;

  if (peer == NULL || g_inet_address_get_family (peer) != G_SOCKET_FAMILY_IPV4)
    {
      g_set_error (error, HB_MEDIA_ERROR, HB_MEDIA_ERROR_ADDRESS,
                   "ucast %s: bad peer address %s", conf->dev, conf->peer);
      return FALSE;
    }
  /* One ha.cf lists every node's address; the line naming ourselves is
   * not a medium for us (docs/PROTOCOL.md, "ha.cf directives"). */
  if (hb_media_is_local_address (conf->peer))
    {
      g_set_error (error, HB_MEDIA_ERROR, HB_MEDIA_ERROR_SELF,
                   "ucast %s %s: address is our own", conf->dev, conf->peer);
      return FALSE;
    }
  sock = hb_media_udp_socket (conf->dev, NULL, conf->port, error);
  if (sock == NULL)
    {
      return FALSE;
    }
  *dest_out = g_inet_socket_address_new (peer, conf->port);
  *started_out = g_strdup_printf ("ucast: started on port %u interface %s to %s", conf->port,
                                  conf->dev, conf->peer);
  *socket_out = g_steal_pointer (&sock);
  return TRUE;
}

const HbMediaKind hb_media_ucast_kind = { HB_MEDIUM_UCAST, ucast_setup };
