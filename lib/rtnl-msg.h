/* systole: rtnetlink messages for IPv4 interface addresses (pure; no I/O).
 *
 * Builds the requests the IPaddr agents send on a NETLINK_ROUTE socket
 * (RTM_GETADDR dump, RTM_NEWADDR, RTM_DELADDR) and parses the datagrams the
 * kernel answers with. Facts: rtnetlink(7), netlink(7): messages are
 * nlmsghdr + ifaddrmsg + rtattrs, each 4-byte aligned; a dump ends with
 * NLMSG_DONE, a request with NLM_F_ACK is answered by NLMSG_ERROR whose
 * error field is 0 (ack) or a negative errno.
 */
#pragma once

#include <glib.h>

#include "ipaddr-spec.h"

G_BEGIN_DECLS

#define HB_RTNL_ERROR (hb_rtnl_error_quark ())
GQuark hb_rtnl_error_quark (void);

typedef enum
{
  HB_RTNL_ERROR_MALFORMED, /* a reply does not parse */
} HbRtnlError;

/* One IPv4 address of an interface, as a dump reports it. */
typedef struct
{
  guint ifindex;
  guint32 local;                    /* host byte order */
  guint prefixlen;
  char label[HB_IPADDR_NIC_MAX];    /* IFA_LABEL; "" if the kernel sent none */
} HbRtnlAddr;

/* What RTM_NEWADDR / RTM_DELADDR carry. */
typedef struct
{
  guint ifindex;
  guint32 ip;                       /* host byte order */
  guint prefixlen;
  gboolean has_broadcast;
  guint32 broadcast;                /* host byte order */
  const char *label;                /* NULL or "" for none */
} HbRtnlAddrReq;

/* Request buffers never need more than this. */
#define HB_RTNL_REQ_MAX 128

/* A dump of every IPv4 address; returns the message length, 0 if `size` is too small. */
gsize hb_rtnl_build_getaddr (guint8 *buf, gsize size, guint32 seq);

/* RTM_NEWADDR (create, fail if it exists: `ip addr add`) or RTM_DELADDR, with
 * NLM_F_ACK; returns the length, 0 if `size` is too small or a field is out
 * of range (prefixlen > 32, label of 16 characters or more). */
gsize hb_rtnl_build_addr (guint8 *buf, gsize size, guint16 type, guint32 seq,
                          const HbRtnlAddrReq *req);

/* Parses one datagram of replies. Messages of another sequence number are
 * skipped; IPv4 RTM_NEWADDR messages are appended to `addrs` (GArray of
 * HbRtnlAddr, may be NULL). Sets *done when NLMSG_DONE or NLMSG_ERROR ended
 * the exchange, and *errno_out to the positive errno it reported (0 for an
 * ack or a complete dump). FALSE with HB_RTNL_ERROR_MALFORMED for a
 * truncated or inconsistent message. */
gboolean hb_rtnl_parse (const guint8 *buf, gsize len, guint32 seq, GArray *addrs,
                        gboolean *done, int *errno_out, GError **error);

G_END_DECLS
