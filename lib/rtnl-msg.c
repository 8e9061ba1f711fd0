/* systole: rtnetlink messages for IPv4 interface addresses (pure; no I/O).
 * Every access to the byte buffers goes through memcpy: a caller's buffer
 * need not be aligned for the kernel structures. */
#include "rtnl-msg.h"

#include <arpa/inet.h>
#include <linux/if_addr.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <string.h>
#include <sys/socket.h>

G_DEFINE_QUARK (hb-rtnl-error-quark, hb_rtnl_error)

#define ALIGN4(n) (((n) + 3u) & ~(gsize) 3u)

/* Appends the header of a message; `len` covers only the header so far. */
static gsize
put_header (guint8 *buf, guint16 type, guint16 flags, guint32 seq, const struct ifaddrmsg *ifa)
{
  struct nlmsghdr nlh = { 0 };

  nlh.nlmsg_len = NLMSG_LENGTH (sizeof *ifa);
  nlh.nlmsg_type = type;
  nlh.nlmsg_flags = flags;
  nlh.nlmsg_seq = seq;
  memcpy (buf, &nlh, sizeof nlh);
  memcpy (buf + NLMSG_HDRLEN, ifa, sizeof *ifa);
  return NLMSG_ALIGN (nlh.nlmsg_len);
}

/* Appends one attribute at `*off`; FALSE when it does not fit in `size`. */
static gboolean
put_attr (guint8 *buf, gsize size, gsize *off, guint16 type, const void *data, gsize data_len)
{
  struct rtattr rta;
  gsize total = RTA_LENGTH (data_len);

  if (*off + ALIGN4 (total) > size)
    return FALSE;
  rta.rta_len = (unsigned short) total;
  rta.rta_type = type;
  memcpy (buf + *off, &rta, sizeof rta);
  memcpy (buf + *off + RTA_LENGTH (0), data, data_len);
  memset (buf + *off + total, 0, ALIGN4 (total) - total);
  *off += ALIGN4 (total);
  return TRUE;
}

/* Writes the final length into the header. */
static gsize
finish (guint8 *buf, gsize len)
{
  guint32 len32 = (guint32) len;

  memcpy (buf + G_STRUCT_OFFSET (struct nlmsghdr, nlmsg_len), &len32, sizeof len32);
  return len;
}

gsize
hb_rtnl_build_getaddr (guint8 *buf, gsize size, guint32 seq)
{
  struct ifaddrmsg ifa = { .ifa_family = AF_INET };

  if (size < NLMSG_SPACE (sizeof ifa))
    return 0;
  return finish (buf, put_header (buf, RTM_GETADDR, NLM_F_REQUEST | NLM_F_DUMP, seq, &ifa));
}

gsize
hb_rtnl_build_addr (guint8 *buf, gsize size, guint16 type, guint32 seq, const HbRtnlAddrReq *req)
{
  struct ifaddrmsg ifa = { .ifa_family = AF_INET };
  guint16 flags = NLM_F_REQUEST | NLM_F_ACK;
  guint32 ip = htonl (req->ip), bcast = htonl (req->broadcast);
  gsize off;

  if ((type != RTM_NEWADDR && type != RTM_DELADDR) || req->prefixlen > 32
      || (req->label != NULL && strlen (req->label) >= HB_IPADDR_NIC_MAX)
      || size < NLMSG_SPACE (sizeof ifa))
    return 0;
  ifa.ifa_prefixlen = (unsigned char) req->prefixlen;
  ifa.ifa_index = req->ifindex;
  /* iproute2's default scope: host for 127/8, else universe. */
  ifa.ifa_scope = (req->ip >> 24) == 127 ? RT_SCOPE_HOST : RT_SCOPE_UNIVERSE;
  if (type == RTM_NEWADDR)
    flags |= NLM_F_CREATE | NLM_F_EXCL;
  off = put_header (buf, type, flags, seq, &ifa);
  if (!put_attr (buf, size, &off, IFA_LOCAL, &ip, sizeof ip)
      || !put_attr (buf, size, &off, IFA_ADDRESS, &ip, sizeof ip)
      || (req->has_broadcast && !put_attr (buf, size, &off, IFA_BROADCAST, &bcast, sizeof bcast))
      || (req->label != NULL && req->label[0] != '\0'
          && !put_attr (buf, size, &off, IFA_LABEL, req->label, strlen (req->label) + 1)))
    return 0;
  return finish (buf, off);
}

static gboolean
malformed (GError **error, const char *what)
{
  g_set_error (error, HB_RTNL_ERROR, HB_RTNL_ERROR_MALFORMED, "malformed rtnetlink reply: %s",
               what);
  return FALSE;
}

/* The attributes of one RTM_NEWADDR payload (after the ifaddrmsg). */
static gboolean
parse_addr_attrs (const guint8 *p, gsize len, HbRtnlAddr *addr, gboolean *has_ip, GError **error)
{
  guint32 address = 0, local = 0;
  gboolean has_address = FALSE, has_local = FALSE;

  while (len >= sizeof (struct rtattr))
    {
      struct rtattr rta;
      gsize data_len;

      memcpy (&rta, p, sizeof rta);
      if (rta.rta_len < sizeof rta || rta.rta_len > len)
        return malformed (error, "attribute length");
      data_len = rta.rta_len - RTA_LENGTH (0);
      if ((rta.rta_type == IFA_LOCAL || rta.rta_type == IFA_ADDRESS) && data_len == 4)
        {
          memcpy (rta.rta_type == IFA_LOCAL ? &local : &address, p + RTA_LENGTH (0), 4);
          *(rta.rta_type == IFA_LOCAL ? &has_local : &has_address) = TRUE;
        }
      else if (rta.rta_type == IFA_LABEL && data_len > 0)
        {
          gsize n = strnlen ((const char *) p + RTA_LENGTH (0), data_len);

          if (n >= sizeof addr->label)
            return malformed (error, "label too long");
          memcpy (addr->label, p + RTA_LENGTH (0), n);
          addr->label[n] = '\0';
        }
      if (ALIGN4 (rta.rta_len) >= len)
        break;
      len -= ALIGN4 (rta.rta_len);
      p += ALIGN4 (rta.rta_len);
    }
  /* `ip addr` shows IFA_LOCAL when present (the peer address is IFA_ADDRESS
   * on point-to-point links). */
  *has_ip = has_local || has_address;
  addr->local = ntohl (has_local ? local : address);
  return TRUE;
}

static gboolean
parse_newaddr (const guint8 *payload, gsize len, GArray *addrs, GError **error)
{
  struct ifaddrmsg ifa;
  HbRtnlAddr addr = { 0 };
  gboolean has_ip = FALSE;

  if (len < NLMSG_ALIGN (sizeof ifa))
    return malformed (error, "short RTM_NEWADDR");
  memcpy (&ifa, payload, sizeof ifa);
  if (ifa.ifa_family != AF_INET)
    return TRUE;
  addr.ifindex = ifa.ifa_index;
  addr.prefixlen = ifa.ifa_prefixlen;
  if (!parse_addr_attrs (payload + NLMSG_ALIGN (sizeof ifa), len - NLMSG_ALIGN (sizeof ifa), &addr,
                         &has_ip, error))
    return FALSE;
  if (has_ip && addrs != NULL)
    g_array_append_val (addrs, addr);
  return TRUE;
}

/* NLMSG_ERROR or NLMSG_DONE: the end of the exchange, maybe with an errno. */
static gboolean
parse_end (guint16 type, const guint8 *payload, gsize len, int *errno_out, GError **error)
{
  int code = 0;

  if (len >= sizeof code)
    memcpy (&code, payload, sizeof code);
  else if (type == NLMSG_ERROR)
    return malformed (error, "short NLMSG_ERROR");
  *errno_out = code < 0 ? -code : code;
  return TRUE;
}

gboolean
hb_rtnl_parse (const guint8 *buf, gsize len, guint32 seq, GArray *addrs, gboolean *done,
               int *errno_out, GError **error)
{
  *done = FALSE;
  *errno_out = 0;
  while (len >= sizeof (struct nlmsghdr) && !*done)
    {
      struct nlmsghdr nlh;
      const guint8 *payload = buf + NLMSG_HDRLEN;
      gsize plen;

      memcpy (&nlh, buf, sizeof nlh);
      if (nlh.nlmsg_len < NLMSG_HDRLEN || nlh.nlmsg_len > len)
        return malformed (error, "message length");
      plen = nlh.nlmsg_len - NLMSG_HDRLEN;
      if (nlh.nlmsg_seq == seq)
        {
          if (nlh.nlmsg_type == NLMSG_ERROR || nlh.nlmsg_type == NLMSG_DONE)
            {
              if (!parse_end (nlh.nlmsg_type, payload, plen, errno_out, error))
                return FALSE;
              *done = TRUE;
            }
          else if (nlh.nlmsg_type == RTM_NEWADDR && !parse_newaddr (payload, plen, addrs, error))
            return FALSE;
        }
      if (NLMSG_ALIGN (nlh.nlmsg_len) >= len)
        break;
      len -= NLMSG_ALIGN (nlh.nlmsg_len);
      buf += NLMSG_ALIGN (nlh.nlmsg_len);
    }
  if (!*done && len > 0 && len < sizeof (struct nlmsghdr))
    return malformed (error, "trailing bytes");
  return TRUE;
}
