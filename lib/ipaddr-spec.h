/* systole: the IPaddr resource argument `ip[/cidr[/nic[/broadcast]]]`.
 *
 * Pure parsing, no I/O. Addresses are IPv4 in host byte order.
 * Facts: docs/PROTOCOL.md, "haresources" (argument grammar: a third part that
 * starts with a digit is the broadcast address, not an interface) and "IPaddr"
 * (a nic such as `eth0:1` names the base interface `eth0`).
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define HB_IPADDR_ERROR (hb_ipaddr_error_quark ())
GQuark hb_ipaddr_error_quark (void);

typedef enum
{
  HB_IPADDR_ERROR_ADDRESS,   /* not a dotted-quad IPv4 address */
  HB_IPADDR_ERROR_NETMASK,   /* not 0..32 nor a contiguous dotted mask */
  HB_IPADDR_ERROR_NIC,       /* not a valid interface name */
  HB_IPADDR_ERROR_BROADCAST, /* not a dotted-quad IPv4 address */
  HB_IPADDR_ERROR_SYNTAX,    /* empty part, too many parts */
} HbIpaddrError;

/* Linux IFNAMSIZ: 15 characters and the terminating NUL. */
#define HB_IPADDR_NIC_MAX 16

typedef struct
{
  guint32 ip;                    /* host byte order */
  gint cidr;                     /* 0..32, or -1 when not given */
  char nic[HB_IPADDR_NIC_MAX];   /* base interface, "" when not given */
  gboolean has_broadcast;
  guint32 broadcast;             /* host byte order, valid if has_broadcast */
} HbIpaddrSpec;

/* Strict dotted quad: four decimal parts 0..255, 1-3 digits each, nothing else. */
gboolean hb_ipaddr_parse_ipv4 (const char *text, guint32 *ip_out, GError **error);

/* "24" or "255.255.255.0" (contiguous) -> prefix length. */
gboolean hb_ipaddr_parse_netmask (const char *text, guint *bits_out, GError **error);

/* Interface name; a `:label` suffix is dropped ("eth0:1" -> "eth0"). */
gboolean hb_ipaddr_parse_nic (const char *text, char nic_out[HB_IPADDR_NIC_MAX], GError **error);

/* The whole `ip[/cidr[/nic[/broadcast]]]` argument. */
gboolean hb_ipaddr_spec_parse (const char *text, HbIpaddrSpec *spec_out, GError **error);

/* Prefix length -> mask in host byte order (bits must be <= 32). */
guint32 hb_ipaddr_mask_from_bits (guint bits);

/* Mask in host byte order -> prefix length, or -1 if not contiguous. */
gint hb_ipaddr_bits_from_mask (guint32 mask);

/* Dotted quad into a caller buffer of at least 16 bytes; returns buf. */
#define HB_IPADDR_STR_MAX 16
const char *hb_ipaddr_format (guint32 ip, char buf[HB_IPADDR_STR_MAX]);

G_END_DECLS
