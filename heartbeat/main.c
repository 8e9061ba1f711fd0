/* systole: the `heartbeat` program. For now only the configuration check
 * (-t) is built; the daemon options come with the daemon. */
#include <stdio.h>
#include <stdlib.h>

#include "check.h"
#include "systole.h"

int
main (int argc, char **argv)
{
  gboolean check = FALSE, verbose = FALSE, version = FALSE;
  g_autofree char *confdir = NULL;
  g_autofree char *nodename = NULL;
  g_autoptr (GError) error = NULL;
  const GOptionEntry entries[] = {
    { "test", 't', 0, G_OPTION_ARG_NONE, &check, "Check the configuration and exit", NULL },
    { "verbose", 'v', 0, G_OPTION_ARG_NONE, &verbose, "With -t: print the parsed configuration", NULL },
    { "confdir", 'c', 0, G_OPTION_ARG_FILENAME, &confdir, "Configuration directory (default " HB_CONFDIR ")",
      "DIR" },
    { "nodename", 'n', 0, G_OPTION_ARG_STRING, &nodename, "Local node name (default: uname -n)", "NAME" },
    { "version", 'V', 0, G_OPTION_ARG_NONE, &version, "Print the version and exit", NULL },
    { NULL },
  };
  g_autoptr (GOptionContext) context = g_option_context_new (NULL);

  g_option_context_set_summary (context, "systole: Heartbeat-compatible high-availability resource manager.");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      fprintf (stderr, "heartbeat: %s (try --help)\n", error->message);
      return HB_EXIT_USAGE;
    }
  if (argc > 1)
    {
      fprintf (stderr, "heartbeat: unexpected argument [%s] (try --help)\n", argv[1]);
      return HB_EXIT_USAGE;
    }
  if (version)
    {
      printf ("systole %s (heartbeat-compatible)\n", HB_VERSION);
      return HB_EXIT_OK;
    }
  if (!check)
    {
      fprintf (stderr, "heartbeat: daemon mode not built yet; use -t to check the configuration\n");
      return HB_EXIT_GENERIC;
    }
  return hb_check_run (confdir != NULL ? confdir : HB_CONFDIR, nodename, verbose, stdout, stderr);
}
