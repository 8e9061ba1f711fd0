/* systole: ping nodes over ICMP echo. Facts: docs/PROTOCOL.md, "Ping nodes". */
#include "ping.h"

#include "icmp-echo.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/ip_icmp.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define PING_BUFFER_LEN 2048
#define PING_MAX_PAYLOAD 1024
#define PING_BURST 64

typedef struct
{
  struct in_addr addr;
  char *node; /* the pseudo-node this address belongs to */
} PingTarget;

struct _HbPinger
{
  GSocket *socket;
  GSource *source;
  GArray *targets; /* of PingTarget */
  HbEchoTracker echo; /* our identifier, the requests sent (lib/icmp-echo.c) */
  HbPingReplyFunc reply;
  gpointer user_data;
};

static void
clear_target (gpointer data)
{
  g_free (((PingTarget *) data)->node);
}

static gboolean
add_targets (HbPinger *pinger, const HbConfig *config, GError **error)
{
  for (guint i = 0; i < config->nodes->len; i++)
    {
      const HbNodeConf *node = g_ptr_array_index (config->nodes, i);

      for (char **a = node->addrs; node->type != HB_NODE_NORMAL && a != NULL && *a != NULL; a++)
        {
          PingTarget t = { .node = NULL };
          if (inet_pton (AF_INET, *a, &t.addr) != 1)
            {
              g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           "ha.cf line %u: bad ping address %s", node->line, *a);
              return FALSE;
            }
          t.node = g_strdup (node->name);
          g_array_append_val (pinger->targets, t);
        }
    }
  return TRUE;
}

/* RFC 1071 Internet checksum. */
static guint16
inet_checksum (const guint8 *data, gsize len)
{
  guint32 sum = 0;

  for (gsize i = 0; i + 1 < len; i += 2)
    {
      sum += (guint32) ((data[i] << 8) | data[i + 1]);
    }
  if (len % 2 != 0)
    {
      sum += (guint32) (data[len - 1] << 8);
    }
  while (sum >> 16)
    {
      sum = (sum & 0xffff) + (sum >> 16);
    }
  return htons ((guint16) ~sum);
}

static const PingTarget *
find_target (HbPinger *pinger, guint32 from)
{
  for (guint i = 0; i < pinger->targets->len; i++)
    {
      const PingTarget *t = &g_array_index (pinger->targets, PingTarget, i);
      if (t->addr.s_addr == from)
        {
          return t;
        }
    }
  return NULL;
}

/* A raw ICMP socket sees every ICMP datagram of the host, with its IP
 * header: keep only echo replies to one of our recent requests, from a
 * target. */
static void
handle_datagram (HbPinger *pinger, const guint8 *buf, gsize len)
{
  guint32 from = 0;
  const PingTarget *target;

  if (!hb_echo_reply_match (&pinger->echo, buf, len, &from))
    {
      return;
    }
  target = find_target (pinger, from);
  if (target != NULL)
    {
      pinger->reply (target->node, pinger->user_data);
    }
}

static gboolean
on_readable (GSocket *socket, GIOCondition condition, gpointer user_data)
{
  HbPinger *pinger = user_data;
  guint8 buf[PING_BUFFER_LEN];

  (void) condition;
  for (int i = 0; i < PING_BURST; i++)
    {
      gssize n = g_socket_receive (socket, (gchar *) buf, sizeof buf, NULL, NULL);
      if (n <= 0)
        {
          break;
        }
      handle_datagram (pinger, buf, (gsize) n);
    }
  return G_SOURCE_CONTINUE;
}

HbPinger *
hb_pinger_new (const HbConfig *config, HbPingReplyFunc reply, gpointer user_data, GError **error)
{
  g_autoptr (HbPinger) pinger = g_new0 (HbPinger, 1);
  int fd;

  pinger->targets = g_array_new (FALSE, TRUE, sizeof (PingTarget));
  g_array_set_clear_func (pinger->targets, clear_target);
  if (!add_targets (pinger, config, error))
    {
      return NULL;
    }
  if (pinger->targets->len == 0)
    {
      return NULL;
    }
  fd = socket (AF_INET, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK, IPPROTO_ICMP);
  if (fd < 0)
    {
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errno),
                   "cannot open ICMP socket for ping nodes: %s", g_strerror (errno));
      return NULL;
    }
  pinger->socket = g_socket_new_from_fd (fd, error);
  if (pinger->socket == NULL)
    {
      close (fd);
      return NULL;
    }
  /* GSocket emulates blocking I/O unless told otherwise: the receive loop
   * and the sends must never wait in the main loop. */
  g_socket_set_blocking (pinger->socket, FALSE);
  hb_echo_init (&pinger->echo, (guint16) (getpid () & 0xffff),
                hb_echo_window_for (config->keepalive_ms, config->deadping_ms));
  pinger->reply = reply;
  pinger->user_data = user_data;
  pinger->source = g_socket_create_source (pinger->socket, G_IO_IN, NULL);
  g_source_set_callback (pinger->source, G_SOURCE_FUNC (on_readable), pinger, NULL);
  g_source_attach (pinger->source, NULL);
  return g_steal_pointer (&pinger);
}

void
hb_pinger_free (HbPinger *pinger)
{
  if (pinger == NULL)
    {
      return;
    }
  if (pinger->source != NULL)
    {
      g_source_destroy (pinger->source);
      g_source_unref (pinger->source);
    }
  g_clear_object (&pinger->socket);
  g_array_unref (pinger->targets);
  g_free (pinger);
}

void
hb_pinger_send (HbPinger *pinger, GBytes *payload)
{
  guint8 packet[sizeof (struct icmphdr) + PING_MAX_PAYLOAD];
  struct icmphdr icmp = { .type = ICMP_ECHO };
  gsize plen = 0;
  const guint8 *pdata = payload != NULL ? g_bytes_get_data (payload, &plen) : NULL;

  plen = MIN (plen, PING_MAX_PAYLOAD);
  icmp.un.echo.id = htons (pinger->echo.ident);
  icmp.un.echo.sequence = htons (hb_echo_next_seq (&pinger->echo));
  memcpy (packet, &icmp, sizeof icmp);
  if (plen > 0)
    {
      memcpy (packet + sizeof icmp, pdata, plen);
    }
  icmp.checksum = inet_checksum (packet, sizeof icmp + plen);
  memcpy (packet, &icmp, sizeof icmp);
  for (guint i = 0; i < pinger->targets->len; i++)
    {
      const PingTarget *t = &g_array_index (pinger->targets, PingTarget, i);
      struct sockaddr_in sin = { .sin_family = AF_INET, .sin_addr = t->addr };
      g_autoptr (GSocketAddress) dest = g_socket_address_new_from_native (&sin, sizeof sin);

      /* A failure (no route yet) is one lost echo: deadping covers it. */
      g_socket_send_to (pinger->socket, dest, (const gchar *) packet, sizeof icmp + plen, NULL, NULL);
    }
}
