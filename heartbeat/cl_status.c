/* cl_status: query the local heartbeat daemon (docs/PROTOCOL.md, "cl_status"). */
#include <stdio.h>

#include "api-cli.h"

int
main (int argc, char **argv)
{
  return hb_cl_status_main (argc, argv, g_getenv ("HA_RUNDIR"), stdout, stderr);
}
