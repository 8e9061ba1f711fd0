/* Unit tests for lib/rtnl-msg.c: requests are well-formed netlink, and
 * replies (address dumps, acks, errors, garbage) parse as the kernel means
 * them. A built RTM_NEWADDR has the same shape as a dump entry, so requests
 * are checked by parsing them back. */
#include "rtnl-msg.h"

#include <errno.h>
#include <linux/if_addr.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <string.h>
#include <sys/socket.h>

static guint32
ip4 (const char *text)
{
  guint32 ip = 0;

  g_assert_true (hb_ipaddr_parse_ipv4 (text, &ip, NULL));
  return ip;
}

static struct nlmsghdr
header_of (const guint8 *buf)
{
  struct nlmsghdr h;

  memcpy (&h, buf, sizeof h);
  return h;
}

static void
test_getaddr (void)
{
  guint8 buf[HB_RTNL_REQ_MAX];
  gsize len = hb_rtnl_build_getaddr (buf, sizeof buf, 77);
  struct nlmsghdr h = header_of (buf);
  struct ifaddrmsg ifa;

  g_assert_cmpuint (len, ==, NLMSG_SPACE (sizeof ifa));
  g_assert_cmpuint (h.nlmsg_len, ==, len);
  g_assert_cmpuint (h.nlmsg_type, ==, RTM_GETADDR);
  g_assert_cmpuint (h.nlmsg_flags, ==, NLM_F_REQUEST | NLM_F_DUMP);
  g_assert_cmpuint (h.nlmsg_seq, ==, 77);
  memcpy (&ifa, buf + NLMSG_HDRLEN, sizeof ifa);
  g_assert_cmpuint (ifa.ifa_family, ==, AF_INET);
  g_assert_cmpuint (hb_rtnl_build_getaddr (buf, NLMSG_SPACE (sizeof ifa) - 1, 1), ==, 0);
}

typedef struct
{
  guint16 type;
  guint ifindex;
  const char *ip;
  guint prefixlen;
  const char *bcast;   /* NULL: none */
  const char *label;   /* NULL: none */
  gboolean ok;
  guint16 want_flags;
} AddrCase;

static const AddrCase addr_cases[] = {
  { RTM_NEWADDR, 2, "192.0.2.100", 24, "192.0.2.255", "eth0:0", TRUE,
    NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL },
  { RTM_NEWADDR, 7, "198.51.100.5", 32, "198.51.100.5", NULL, TRUE,
    NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL },
  { RTM_NEWADDR, 3, "192.0.2.1", 0, NULL, "", TRUE,
    NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL },
  { RTM_DELADDR, 2, "192.0.2.100", 24, NULL, NULL, TRUE, NLM_F_REQUEST | NLM_F_ACK },
  { RTM_NEWADDR, 2, "192.0.2.100", 24, NULL, "abcdefghijklm:0", TRUE,
    NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL },
  { RTM_NEWADDR, 2, "192.0.2.100", 33, NULL, NULL, FALSE, 0 },
  { RTM_NEWADDR, 2, "192.0.2.100", 24, NULL, "abcdefghijklmno:0", FALSE, 0 },
  { RTM_GETADDR, 2, "192.0.2.100", 24, NULL, NULL, FALSE, 0 },
};

static void
test_addr (gconstpointer data)
{
  const AddrCase *c = data;
  guint8 buf[HB_RTNL_REQ_MAX];
  HbRtnlAddrReq req = { .ifindex = c->ifindex, .ip = ip4 (c->ip), .prefixlen = c->prefixlen,
                        .has_broadcast = c->bcast != NULL,
                        .broadcast = c->bcast != NULL ? ip4 (c->bcast) : 0, .label = c->label };
  gsize len = hb_rtnl_build_addr (buf, sizeof buf, c->type, 5, &req);
  g_autoptr (GArray) addrs = g_array_new (FALSE, TRUE, sizeof (HbRtnlAddr));
  g_autoptr (GError) error = NULL;
  struct nlmsghdr h;
  gboolean done = TRUE;
  int err = -1;
  const HbRtnlAddr *a;

  if (!c->ok)
    {
      g_assert_cmpuint (len, ==, 0);
      return;
    }
  g_assert_cmpuint (len, >, 0);
  g_assert_cmpuint (len % 4, ==, 0);
  h = header_of (buf);
  g_assert_cmpuint (h.nlmsg_len, ==, len);
  g_assert_cmpuint (h.nlmsg_type, ==, c->type);
  g_assert_cmpuint (h.nlmsg_flags, ==, c->want_flags);
  /* Too small a buffer: nothing, never a partial message. */
  g_assert_cmpuint (hb_rtnl_build_addr (buf, len - 1, c->type, 5, &req), ==, 0);
  len = hb_rtnl_build_addr (buf, sizeof buf, c->type, 5, &req);
  if (c->type != RTM_NEWADDR)
    return;
  g_assert_true (hb_rtnl_parse (buf, len, 5, addrs, &done, &err, &error));
  g_assert_no_error (error);
  g_assert_false (done);
  g_assert_cmpint (err, ==, 0);
  g_assert_cmpuint (addrs->len, ==, 1);
  a = &g_array_index (addrs, HbRtnlAddr, 0);
  g_assert_cmpuint (a->ifindex, ==, c->ifindex);
  g_assert_cmpuint (a->local, ==, ip4 (c->ip));
  g_assert_cmpuint (a->prefixlen, ==, c->prefixlen);
  g_assert_cmpstr (a->label, ==, c->label != NULL ? c->label : "");
}

/* A reply datagram under construction. */
typedef struct
{
  guint8 buf[1024];
  gsize len;
} Datagram;

static void
put_msg (Datagram *d, guint16 type, guint32 seq, const void *payload, gsize plen)
{
  struct nlmsghdr h = { .nlmsg_len = NLMSG_LENGTH (plen), .nlmsg_type = type, .nlmsg_seq = seq };

  memcpy (d->buf + d->len, &h, sizeof h);
  memcpy (d->buf + d->len + NLMSG_HDRLEN, payload, plen);
  d->len += NLMSG_ALIGN (h.nlmsg_len);
}

static void
put_error (Datagram *d, guint32 seq, int code)
{
  guint8 payload[sizeof (struct nlmsgerr)] = { 0 };

  memcpy (payload, &code, sizeof code);
  put_msg (d, NLMSG_ERROR, seq, payload, sizeof payload);
}

/* An address entry as the kernel dumps it. */
static void
put_addr (Datagram *d, guint32 seq, guint8 family, guint ifindex, const char *ip, guint prefix,
          const char *label)
{
  guint8 msg[HB_RTNL_REQ_MAX];
  HbRtnlAddrReq req = { .ifindex = ifindex, .ip = ip4 (ip), .prefixlen = prefix, .label = label };
  gsize len = hb_rtnl_build_addr (msg, sizeof msg, RTM_NEWADDR, seq, &req);
  struct ifaddrmsg ifa;

  g_assert_cmpuint (len, >, 0);
  memcpy (&ifa, msg + NLMSG_HDRLEN, sizeof ifa);
  ifa.ifa_family = family;
  memcpy (msg + NLMSG_HDRLEN, &ifa, sizeof ifa);
  memcpy (d->buf + d->len, msg, len);
  d->len += len;
}

static void
test_dump (void)
{
  Datagram d = { .len = 0 };
  g_autoptr (GArray) addrs = g_array_new (FALSE, TRUE, sizeof (HbRtnlAddr));
  g_autoptr (GError) error = NULL;
  gboolean done = FALSE;
  int err = -1, zero = 0;

  put_addr (&d, 9, AF_INET, 1, "127.0.0.1", 8, "lo");
  put_addr (&d, 9, AF_INET6, 2, "192.0.2.7", 24, NULL);    /* skipped: not IPv4 */
  put_addr (&d, 8, AF_INET, 2, "192.0.2.8", 24, "eth0");  /* skipped: other sequence */
  put_addr (&d, 9, AF_INET, 2, "192.0.2.100", 24, "eth0:0");
  g_assert_true (hb_rtnl_parse (d.buf, d.len, 9, addrs, &done, &err, &error));
  g_assert_false (done);
  g_assert_cmpuint (addrs->len, ==, 2);
  g_assert_cmpstr (g_array_index (addrs, HbRtnlAddr, 0).label, ==, "lo");
  g_assert_cmpstr (g_array_index (addrs, HbRtnlAddr, 1).label, ==, "eth0:0");
  g_assert_cmpuint (g_array_index (addrs, HbRtnlAddr, 1).ifindex, ==, 2);

  d.len = 0;
  put_msg (&d, NLMSG_DONE, 9, &zero, sizeof zero);
  put_addr (&d, 9, AF_INET, 3, "192.0.2.9", 24, "eth1");   /* after DONE: ignored */
  g_assert_true (hb_rtnl_parse (d.buf, d.len, 9, addrs, &done, &err, &error));
  g_assert_no_error (error);
  g_assert_true (done);
  g_assert_cmpint (err, ==, 0);
  g_assert_cmpuint (addrs->len, ==, 2);
}

typedef struct
{
  int code;        /* NLMSG_ERROR's error field */
  guint32 seq;
  gboolean done;
  int want_errno;
} AckCase;

static const AckCase ack_cases[] = {
  { 0, 4, TRUE, 0 },
  { -EPERM, 4, TRUE, EPERM },
  { -EEXIST, 4, TRUE, EEXIST },
  { -EADDRNOTAVAIL, 4, TRUE, EADDRNOTAVAIL },
  { -EPERM, 3, FALSE, 0 },   /* an old request's answer */
};

static void
test_ack (gconstpointer data)
{
  const AckCase *c = data;
  Datagram d = { .len = 0 };
  g_autoptr (GError) error = NULL;
  gboolean done = !c->done;
  int err = -1;

  put_error (&d, c->seq, c->code);
  g_assert_true (hb_rtnl_parse (d.buf, d.len, 4, NULL, &done, &err, &error));
  g_assert_no_error (error);
  g_assert_cmpint (done, ==, c->done);
  g_assert_cmpint (err, ==, c->want_errno);
}

typedef struct
{
  const char *name;
  void (*mangle) (Datagram *d);
} BadCase;

static void
bad_total_length (Datagram *d)
{
  put_addr (d, 1, AF_INET, 2, "192.0.2.1", 24, "eth0");
  d->len -= 4;   /* nlmsg_len now runs past the datagram */
}

static void
bad_trailing (Datagram *d)
{
  put_addr (d, 1, AF_INET, 2, "192.0.2.1", 24, "eth0");
  d->len += 8;   /* eight stray bytes: less than a header */
}

static void
bad_attr_length (Datagram *d)
{
  struct rtattr rta;
  gsize off;

  put_addr (d, 1, AF_INET, 2, "192.0.2.1", 24, "eth0");
  off = NLMSG_HDRLEN + NLMSG_ALIGN (sizeof (struct ifaddrmsg));
  memcpy (&rta, d->buf + off, sizeof rta);
  rta.rta_len = 200;
  memcpy (d->buf + off, &rta, sizeof rta);
}

static void
bad_short_header (Datagram *d)
{
  struct nlmsghdr h = { .nlmsg_len = 8, .nlmsg_type = RTM_NEWADDR, .nlmsg_seq = 1 };

  memcpy (d->buf, &h, sizeof h);
  d->len = sizeof h;
}

static void
bad_short_ifaddrmsg (Datagram *d)
{
  guint8 two[2] = { AF_INET, 24 };

  put_msg (d, RTM_NEWADDR, 1, two, sizeof two);
}

static void
bad_short_error (Datagram *d)
{
  guint8 two[2] = { 0, 0 };

  put_msg (d, NLMSG_ERROR, 1, two, sizeof two);
}

static void
bad_long_label (Datagram *d)
{
  guint8 msg[HB_RTNL_REQ_MAX];
  HbRtnlAddrReq req = { .ifindex = 2, .ip = ip4 ("192.0.2.1"), .prefixlen = 24 };
  gsize len = hb_rtnl_build_addr (msg, sizeof msg, RTM_NEWADDR, 1, &req);
  struct rtattr rta = { .rta_len = RTA_LENGTH (20), .rta_type = IFA_LABEL };
  struct nlmsghdr h;

  memcpy (d->buf, msg, len);
  memcpy (d->buf + len, &rta, sizeof rta);
  memset (d->buf + len + sizeof rta, 'x', 20);   /* 20 characters, no NUL */
  d->len = len + RTA_SPACE (20);
  h = header_of (d->buf);
  h.nlmsg_len = (guint32) d->len;
  memcpy (d->buf, &h, sizeof h);
}

static const BadCase bad_cases[] = {
  { "total-length", bad_total_length },
  { "trailing", bad_trailing },
  { "attr-length", bad_attr_length },
  { "short-header", bad_short_header },
  { "short-ifaddrmsg", bad_short_ifaddrmsg },
  { "short-error", bad_short_error },
  { "long-label", bad_long_label },
};

static void
test_bad (gconstpointer data)
{
  const BadCase *c = data;
  Datagram d = { .len = 0 };
  g_autoptr (GArray) addrs = g_array_new (FALSE, TRUE, sizeof (HbRtnlAddr));
  g_autoptr (GError) error = NULL;
  gboolean done;
  int err;

  memset (d.buf, 0, sizeof d.buf);
  c->mangle (&d);
  g_assert_false (hb_rtnl_parse (d.buf, d.len, 1, addrs, &done, &err, &error));
  g_assert_error (error, HB_RTNL_ERROR, HB_RTNL_ERROR_MALFORMED);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/rtnl-msg/getaddr", test_getaddr);
  for (guint i = 0; i < G_N_ELEMENTS (addr_cases); i++)
    {
      g_autofree char *name = g_strdup_printf ("/rtnl-msg/addr/%u", i);
      g_test_add_data_func (name, &addr_cases[i], test_addr);
    }
  g_test_add_func ("/rtnl-msg/dump", test_dump);
  for (guint i = 0; i < G_N_ELEMENTS (ack_cases); i++)
    {
      g_autofree char *name = g_strdup_printf ("/rtnl-msg/ack/%u", i);
      g_test_add_data_func (name, &ack_cases[i], test_ack);
    }
  for (guint i = 0; i < G_N_ELEMENTS (bad_cases); i++)
    {
      g_autofree char *name = g_strdup_printf ("/rtnl-msg/bad/%s", bad_cases[i].name);
      g_test_add_data_func (name, &bad_cases[i], test_bad);
    }
  return g_test_run ();
}
