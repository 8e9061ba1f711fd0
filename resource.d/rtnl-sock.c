/* systole: a NETLINK_ROUTE socket for the IPaddr agents. */
#include "rtnl-sock.h"

#include <errno.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* Large enough for any one datagram of an address dump (the kernel fills
 * up to a page, or 32 KiB with large pages). */
#define RECV_MAX 65536

static gboolean
errno_error (GError **error, int err, const char *what)
{
  g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (err), "rtnetlink %s: %s", what,
               g_strerror (err));
  return FALSE;
}

gboolean
hb_rtnl_sock_open (HbRtnlSock *sock, GError **error)
{
  sock->fd = socket (AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
  if (sock->fd < 0)
    return errno_error (error, errno, "socket");
  return TRUE;
}

void
hb_rtnl_sock_close (HbRtnlSock *sock)
{
  if (sock->fd >= 0)
    close (sock->fd);
  sock->fd = -1;
}

static gboolean
send_request (HbRtnlSock *sock, const guint8 *msg, gsize len, GError **error)
{
  struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
  ssize_t n;

  do
    n = sendto (sock->fd, msg, len, 0, (struct sockaddr *) &kernel, sizeof kernel);
  while (n < 0 && errno == EINTR);
  if (n < 0)
    return errno_error (error, errno, "send");
  return TRUE;
}

/* Reads datagrams until the reply to sock->seq is complete. */
static gboolean
receive_reply (HbRtnlSock *sock, GArray *addrs, int *errno_out, GError **error)
{
  g_autofree guint8 *buf = g_malloc (RECV_MAX);
  gboolean done = FALSE;

  while (!done)
    {
      struct sockaddr_nl from;
      struct iovec iov = { buf, RECV_MAX };
      struct msghdr mh = { .msg_name = &from, .msg_namelen = sizeof from, .msg_iov = &iov,
                           .msg_iovlen = 1 };
      ssize_t n = recvmsg (sock->fd, &mh, 0);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        return errno_error (error, errno, "receive");
      if (mh.msg_flags & MSG_TRUNC)
        return errno_error (error, EMSGSIZE, "receive");
      if (from.nl_pid != 0)
        continue;   /* not from the kernel */
      if (!hb_rtnl_parse (buf, (gsize) n, sock->seq, addrs, &done, errno_out, error))
        return FALSE;
    }
  return TRUE;
}

GArray *
hb_rtnl_sock_dump_addrs (HbRtnlSock *sock, GError **error)
{
  guint8 req[HB_RTNL_REQ_MAX];
  g_autoptr (GArray) addrs = g_array_new (FALSE, TRUE, sizeof (HbRtnlAddr));
  gsize len = hb_rtnl_build_getaddr (req, sizeof req, ++sock->seq);
  int err = 0;

  if (!send_request (sock, req, len, error) || !receive_reply (sock, addrs, &err, error))
    return NULL;
  if (err != 0)
    {
      errno_error (error, err, "address dump");
      return NULL;
    }
  return g_steal_pointer (&addrs);
}

gboolean
hb_rtnl_sock_change_addr (HbRtnlSock *sock, guint16 type, const HbRtnlAddrReq *req,
                          int *errno_out, GError **error)
{
  guint8 msg[HB_RTNL_REQ_MAX];
  gsize len = hb_rtnl_build_addr (msg, sizeof msg, type, ++sock->seq, req);

  if (len == 0)
    return errno_error (error, EINVAL, "request");
  return send_request (sock, msg, len, error) && receive_reply (sock, NULL, errno_out, error);
}
