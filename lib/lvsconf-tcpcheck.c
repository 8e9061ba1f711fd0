/* systole: the TCP_CHECK block of a real_server (keepalived.conf(5)), the one
 * health check we implement. Its timing settings may also stand at the
 * real_server and virtual_server levels, as defaults: those levels use the same
 * handlers on their HbLvsCheck of defaults. */
#include "lvsconf-private.h"

static void
check_connect_port (HbLvsConfParser *p, gpointer check, const char *kw, GPtrArray *args,
                    guint line)
{
  hb_lvs_conf_set_port (p, kw, args, line, &((HbLvsCheck *) check)->connect_port);
}

void
hb_lvs_conf_check_timeout (HbLvsConfParser *p, gpointer check, const char *kw, GPtrArray *args,
                           guint line)
{
  hb_lvs_conf_set_seconds (p, kw, args, line, &((HbLvsCheck *) check)->connect_timeout_ms, FALSE);
}

void
hb_lvs_conf_check_retry (HbLvsConfParser *p, gpointer check, const char *kw, GPtrArray *args,
                         guint line)
{
  hb_lvs_conf_set_uint (p, kw, args, line, HB_LVS_CONF_MAX_RETRY, &((HbLvsCheck *) check)->retry);
}

void
hb_lvs_conf_check_delay_before_retry (HbLvsConfParser *p, gpointer check, const char *kw,
                                      GPtrArray *args, guint line)
{
  hb_lvs_conf_set_seconds (p, kw, args, line, &((HbLvsCheck *) check)->delay_before_retry_ms,
                           TRUE);
}

void
hb_lvs_conf_check_delay_loop (HbLvsConfParser *p, gpointer check, const char *kw, GPtrArray *args,
                              guint line)
{
  hb_lvs_conf_set_seconds (p, kw, args, line, &((HbLvsCheck *) check)->delay_loop_ms, FALSE);
}

static const HbLvsConfKeyword check_keywords[] = {
  { "connect_port", check_connect_port },
  { "connect_timeout", hb_lvs_conf_check_timeout },
  { "retry", hb_lvs_conf_check_retry },
  { "nb_get_retry", hb_lvs_conf_check_retry }, /* keepalived 1.x spelling */
  { "delay_before_retry", hb_lvs_conf_check_delay_before_retry },
  { "delay_loop", hb_lvs_conf_check_delay_loop },
  { NULL, NULL },
};

static const char *const check_ignored[] = { "warmup", "log_all_failures", NULL };

static const HbLvsConfRefusal check_refused[] = {
  { "connect_ip", "the check always connects to the real server's own address" },
  { "bindto", "checks use the director's routing table to pick a source address" },
  { "bind_port", "checks use an ephemeral source port" },
  { "bind_if", "checks use the director's routing table" },
  { "fwmark", "checks are not marked" },
  { "alpha", "real servers start as up, as without 'alpha'" },
  { NULL, NULL },
};

const HbLvsConfLevel hb_lvs_conf_tcp_check_level = {
  "TCP_CHECK", check_keywords, check_ignored, check_refused,
};
