/* hb_takeover: ask the peer, through the local daemon, to hand resources to
 * this node (docs/PROTOCOL.md, "Standby and takeover"). */
#include <stdio.h>

#include "api-cli.h"

int
main (int argc, char **argv)
{
  return hb_rsc_request_main (FALSE, argc, argv, g_getenv ("HA_RUNDIR"), stdout, stderr);
}
