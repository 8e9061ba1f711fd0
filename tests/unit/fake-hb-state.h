/* A canned cluster state behind an HbApiHandler, shared by the in-process API
 * tests and the fake-hb-api program the shell tests run cl_status against.
 *
 * Nodes (configuration order):
 *   node1        normal active  links eth0 up,   eth1 up
 *   node2        normal dead    links eth0 dead, eth1 dead
 *   node3        normal init    links eth0 dead
 *   192.0.2.254  ping   ping    link  192.0.2.254 up
 * rsc-status "local"; parameters keepalive 2, deadtime 30, auto_failback on,
 * udpport 694, apiauth "ipfail gid=haclient" (a value with spaces).
 */
#pragma once

#include "api-server.h"

typedef struct
{
  gboolean refuse_rsc_requests; /* standby/takeover fail like a legacy-mode daemon */
  guint n_standby;              /* requests seen, with the last argument */
  guint n_takeover;
  HbApiHold last_hold;
} FakeHbState;

extern const HbApiHandler fake_hb_handler;
