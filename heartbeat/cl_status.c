/* cl_status: query the local heartbeat daemon (HEARTBEAT-REFERENCE §7.4). */
#include <stdio.h>

#include "api-cli.h"

int
main (int argc, char **argv)
{
  return hb_cl_status_main (argc, argv, g_getenv ("HA_RUNDIR"), stdout, stderr);
}
