/* systole: lvs.conf, the entry points (see lvsconf.h for the syntax, and
 * lvsconf-private.h for how the parser is laid out over lib/lvsconf-*.c). */
#include "lvsconf-private.h"

#include <string.h>

G_DEFINE_QUARK (hb-lvs-conf-error-quark, hb_lvs_conf_error)

void
hb_lvs_conf_real_free (gpointer real)
{
  HbLvsReal *r = real;
  g_free (r->addr);
  g_free (r);
}

void
hb_lvs_conf_service_free (gpointer service)
{
  HbLvsService *s = service;
  g_free (s->addr);
  g_free (s->sched);
  g_ptr_array_unref (s->reals);
  g_free (s);
}

void
hb_lvs_config_free (HbLvsConfig *config)
{
  if (config == NULL)
    {
      return;
    }
  g_free (config->file);
  g_free (config->name);
  g_ptr_array_unref (config->services);
  g_free (config);
}

/* S folded to at most MAX characters of [a-z0-9_], or "lvs" when that is empty:
 * safe in file names and nft table names. */
static char *
fold_name (const char *s, gsize max)
{
  GString *out = g_string_new (NULL);

  for (; *s != '\0' && out->len < max; s++)
    {
      g_string_append_c (out, g_ascii_isalnum (*s) ? g_ascii_tolower (*s) : '_');
    }
  if (out->len == 0)
    {
      g_string_append (out, "lvs");
    }
  return g_string_free (out, FALSE);
}

/* The default name: the file's base name without extension, folded. */
static char *
name_from_file (const char *file)
{
  g_autofree char *base = g_path_get_basename (file);
  char *dot = strchr (base, '.');

  if (dot != NULL && dot != base)
    {
      *dot = '\0';
    }
  return fold_name (base, HB_LVS_CONF_MAX_NAME);
}

HbLvsConfig *
hb_lvs_config_parse (const char *text, const char *file, GPtrArray *warnings, GError **error)
{
  g_autoptr (HbLvsConfig) config = NULL;
  g_autoptr (GPtrArray) toks = NULL;
  g_autoptr (GString) errors = NULL;
  HbLvsConfParser p = { 0 };

  g_return_val_if_fail (text != NULL && file != NULL, NULL);
  config = g_new0 (HbLvsConfig, 1);
  config->file = g_strdup (file);
  config->services = g_ptr_array_new_with_free_func (hb_lvs_conf_service_free);
  toks = hb_lvs_conf_lex (text);
  errors = g_string_new (NULL);
  p.file = file;
  p.toks = toks;
  p.warnings = warnings;
  p.errors = errors;
  p.config = config;
  hb_lvs_conf_block (&p, &hb_lvs_conf_top_level, NULL, TRUE, 0);
  if (p.n_errors == 0 && config->services->len == 0)
    {
      hb_lvs_conf_err (&p, HB_LVS_CONF_ERROR_EMPTY, 0, "no virtual_server defined");
    }
  if (p.n_errors > 0)
    {
      g_set_error_literal (error, HB_LVS_CONF_ERROR, p.first_code, errors->str);
      return NULL;
    }
  if (config->name == NULL)
    {
      config->name = name_from_file (file);
    }
  return g_steal_pointer (&config);
}

HbLvsConfig *
hb_lvs_config_parse_len (const char *text, gsize len, const char *file, GPtrArray *warnings,
                         GError **error)
{
  const char *nul = memchr (text, '\0', len);
  guint line = 1;

  g_return_val_if_fail (text != NULL && file != NULL, NULL);
  if (nul == NULL)
    {
      g_autofree char *copy = g_strndup (text, len); /* TEXT need not end in a NUL */

      return hb_lvs_config_parse (copy, file, warnings, error);
    }
  for (const char *c = text; c < nul; c++)
    {
      line += *c == '\n';
    }
  /* keepalived's fgets()/strlen() would drop the rest of that line unseen. */
  g_set_error (error, HB_LVS_CONF_ERROR, HB_LVS_CONF_ERROR_SYNTAX,
               "%s:%u: contains a NUL byte: not a text file", file, line);
  return NULL;
}

char *
hb_lvs_config_state_key (const char *abs_path)
{
  /* Leading slashes are left out: every absolute path has them. */
  while (*abs_path == '/')
    {
      abs_path++;
    }
  return fold_name (abs_path, G_MAXSIZE);
}

gboolean
hb_lvs_sched_is_known (const char *sched)
{
  /* ipvsadm(8) and the kernel's ip_vs_* scheduler modules. */
  static const char *const scheds[] = {
    "rr", "wrr", "lc", "wlc", "lblc", "lblcr", "dh", "sh", "sed", "nq", "fo", "ovf", "mh", NULL
  };
  return g_strv_contains (scheds, sched);
}

const char *
hb_lvs_backend_to_string (HbLvsBackend backend)
{
  static const char *const names[] = { "auto", "ipvs", "nftables" };
  return names[backend];
}

const char *
hb_lvs_kind_to_string (HbLvsKind kind)
{
  static const char *const names[] = { "NAT", "DR", "TUN" };
  return names[kind];
}

const char *
hb_lvs_proto_to_string (HbLvsProto proto)
{
  return proto == HB_LVS_PROTO_UDP ? "udp" : "tcp";
}
