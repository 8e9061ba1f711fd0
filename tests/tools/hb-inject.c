/* systole test tool: sends one signed Heartbeat packet built from the command
 * line, so namespace tests can play a peer that says exactly what a test needs
 * (a gap in seq, an NS_nak_rexmit, a bad status) with a valid signature.
 *
 *   hb-inject [-f classic|netstring] [-n COUNT] [-b SOURCE,...] [-i USEC]
 *             -k N:METHOD[:SECRET] HOST PORT NAME=VALUE...
 *
 * Fields go out in the order given; the `auth` field is added as a 3.0.6
 * sender adds it (docs/PROTOCOL.md, "Authentication"). -n sends the same bytes COUNT
 * times (a replay); -b sends each round once from every SOURCE (addresses of
 * the namespace: a flood from many sources), -i pauses USEC between rounds. Exit 0 sent, 2 usage, 1 failure. */
#include <gio/gio.h>
#include <stdlib.h>
#include <string.h>

#include "wire.h"

static gboolean
parse_key (const char *spec, HbAuthKey keys[HB_AUTH_MAX_KEYS], guint *index, GError **error)
{
  g_auto (GStrv) parts = g_strsplit (spec, ":", 3);
  guint64 n = 0;
  static const struct { const char *name; HbAuthMethod method; } methods[] = {
    { "crc", HB_AUTH_CRC }, { "md5", HB_AUTH_MD5 }, { "sha1", HB_AUTH_SHA1 },
  };

  if (g_strv_length (parts) < 2 || !g_ascii_string_to_unsigned (parts[0], 10, 0, HB_AUTH_MAX_KEYS - 1, &n, NULL))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, "bad key '%s' (N:METHOD[:SECRET])", spec);
      return FALSE;
    }
  for (guint i = 0; i < G_N_ELEMENTS (methods); i++)
    {
      if (strcmp (parts[1], methods[i].name) == 0)
        {
          keys[n].method = methods[i].method;
          keys[n].key = g_strdup (parts[2]);
          *index = (guint) n;
          return TRUE;
        }
    }
  g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, "unknown auth method '%s'", parts[1]);
  return FALSE;
}

static HbMsg *
build_msg (char **fields, GError **error)
{
  g_autoptr (HbMsg) msg = hb_msg_new ();

  for (guint i = 0; fields[i] != NULL; i++)
    {
      const char *eq = strchr (fields[i], '=');
      g_autofree char *name = eq != NULL ? g_strndup (fields[i], (gsize) (eq - fields[i])) : NULL;

      if (name == NULL || !hb_msg_name_is_valid (name))
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, "bad field '%s' (NAME=VALUE)", fields[i]);
          return NULL;
        }
      hb_msg_add_string (msg, name, eq + 1);
    }
  return g_steal_pointer (&msg);
}

static gboolean
bind_source (GSocket *sock, const char *source, GError **error)
{
  g_autoptr (GInetAddress) addr = g_inet_address_new_from_string (source);
  g_autoptr (GSocketAddress) local = NULL;

  if (addr == NULL)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, "bad source address %s", source);
      return FALSE;
    }
  local = g_inet_socket_address_new (addr, 0);
  return g_socket_bind (sock, local, FALSE, error);
}

static GSocket *
open_socket (GInetAddress *family_of, const char *source, GError **error)
{
  g_autoptr (GSocket) sock = g_socket_new (g_inet_address_get_family (family_of),
                                           G_SOCKET_TYPE_DATAGRAM, G_SOCKET_PROTOCOL_UDP, error);

  if (sock == NULL || (source != NULL && !bind_source (sock, source, error)))
    {
      return NULL;
    }
  g_socket_set_broadcast (sock, TRUE);
  return g_steal_pointer (&sock);
}

/* `sources`: comma-separated local addresses, or NULL for the default one. */
static gboolean
send_to (GBytes *payload, const char *host, const char *port, const char *sources, guint count,
         gulong pause_us, GError **error)
{
  guint64 p = 0;
  g_autoptr (GInetAddress) addr = g_inet_address_new_from_string (host);
  g_autoptr (GSocketAddress) to = NULL;
  g_autoptr (GPtrArray) socks = g_ptr_array_new_with_free_func (g_object_unref);
  g_auto (GStrv) list = sources != NULL ? g_strsplit (sources, ",", -1) : NULL;
  gsize len = 0;
  const guint8 *data = g_bytes_get_data (payload, &len);

  if (addr == NULL || !g_ascii_string_to_unsigned (port, 10, 1, 65535, &p, NULL))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, "bad address %s port %s", host, port);
      return FALSE;
    }
  to = g_inet_socket_address_new (addr, (guint16) p);
  for (guint i = 0; list == NULL ? i == 0 : list[i] != NULL; i++)
    {
      GSocket *sock = open_socket (addr, list != NULL ? list[i] : NULL, error);

      if (sock == NULL)
        {
          return FALSE;
        }
      g_ptr_array_add (socks, sock);
    }
  for (guint round = 0; round < count; round++)
    {
      for (guint i = 0; i < socks->len; i++)
        {
          if (g_socket_send_to (g_ptr_array_index (socks, i), to, (const char *) data, len, NULL,
                                error) != (gssize) len)
            {
              return FALSE;
            }
        }
      if (pause_us > 0)
        {
          g_usleep (pause_us);
        }
    }
  return TRUE;
}

int
main (int argc, char **argv)
{
  g_autofree char *key_spec = NULL;
  g_autofree char *format_name = NULL;
  g_autofree char *source = NULL;
  gint count = 1;
  gint pause_us = 0;
  g_autoptr (GOptionContext) ctx = g_option_context_new ("HOST PORT NAME=VALUE... - send one signed Heartbeat packet");
  g_autoptr (GError) error = NULL;
  g_autoptr (HbMsg) msg = NULL;
  g_autoptr (GBytes) payload = NULL;
  HbAuthKey keys[HB_AUTH_MAX_KEYS] = { 0 };
  HbWireFormat format = HB_WIRE_CLASSIC;
  guint index = 0;
  int rc = 1;
  GOptionEntry entries[] = {
    { "key", 'k', 0, G_OPTION_ARG_STRING, &key_spec, "signing key", "N:METHOD[:SECRET]" },
    { "format", 'f', 0, G_OPTION_ARG_STRING, &format_name, "classic (default) or netstring", "FMT" },
    { "count", 'n', 0, G_OPTION_ARG_INT, &count, "send the packet COUNT times", "COUNT" },
    { "bind", 'b', 0, G_OPTION_ARG_STRING, &source, "send from these local addresses", "SOURCE,..." },
    { "interval", 'i', 0, G_OPTION_ARG_INT, &pause_us, "pause between rounds", "USEC" },
    { NULL, 0, 0, 0, NULL, NULL, NULL },
  };

  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!g_option_context_parse (ctx, &argc, &argv, &error) || key_spec == NULL || argc < 4
      || count < 1 || pause_us < 0)
    {
      g_printerr ("hb-inject: %s\n", error != NULL ? error->message : "usage: hb-inject -k N:METHOD[:SECRET] HOST PORT NAME=VALUE...");
      return 2;
    }
  if (format_name != NULL && strcmp (format_name, "netstring") == 0)
    {
      format = HB_WIRE_NETSTRING;
    }
  if (parse_key (key_spec, keys, &index, &error) && (msg = build_msg (argv + 3, &error)) != NULL
      && hb_wire_encode_signed (msg, keys, index, format, &payload, &error)
      && send_to (payload, argv[1], argv[2], source, (guint) count, (gulong) pause_us, &error))
    {
      rc = 0;
    }
  else
    {
      g_printerr ("hb-inject: %s\n", error->message);
    }
  for (guint i = 0; i < HB_AUTH_MAX_KEYS; i++)
    {
      g_free (keys[i].key);
    }
  return rc;
}
