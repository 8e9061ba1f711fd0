/* systole: a NETLINK_ROUTE socket for the IPaddr agents (the I/O side of
 * lib/rtnl-msg.c): dump the IPv4 addresses, add or delete one. */
#pragma once

#include <glib.h>

#include "rtnl-msg.h"

G_BEGIN_DECLS

typedef struct
{
  int fd;        /* -1 until opened */
  guint32 seq;   /* sequence number of the last request */
} HbRtnlSock;

#define HB_RTNL_SOCK_INIT { -1, 0 }

/* Opens the socket (close-on-exec). Errors are G_FILE_ERROR from errno. */
gboolean hb_rtnl_sock_open (HbRtnlSock *sock, GError **error);

void hb_rtnl_sock_close (HbRtnlSock *sock);

/* Every IPv4 address of every interface: a GArray of HbRtnlAddr. */
GArray *hb_rtnl_sock_dump_addrs (HbRtnlSock *sock, GError **error);

/* RTM_NEWADDR or RTM_DELADDR and its ack. FALSE with a GError when the
 * exchange itself fails; TRUE otherwise, with *errno_out the kernel's
 * answer (0: done). */
gboolean hb_rtnl_sock_change_addr (HbRtnlSock *sock, guint16 type, const HbRtnlAddrReq *req,
                                   int *errno_out, GError **error);

G_END_DECLS
