/* hb_standby: ask the local daemon to give resources to the peer
 * (docs/PROTOCOL.md, "Standby and takeover"). */
#include <stdio.h>

#include "api-cli.h"

int
main (int argc, char **argv)
{
  return hb_rsc_request_main (TRUE, argc, argv, g_getenv ("HA_RUNDIR"), stdout, stderr);
}
