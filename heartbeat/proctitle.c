/* systole: the process title. */
#include "proctitle.h"

#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

extern char **environ;

/* main.c-level wiring: the argv block belongs to the process, once. */
static char *title_start;
static gsize title_room;

void
hb_proctitle_init (int argc, char **argv)
{
  char *end;
  gsize n_env = 0;
  char **env_copy;

  if (argc <= 0 || argv == NULL || argv[0] == NULL)
    {
      return;
    }
  /* The block is contiguous: argv strings, then environ strings. */
  end = argv[argc - 1] + strlen (argv[argc - 1]) + 1;
  for (; environ != NULL && environ[n_env] != NULL; n_env++)
    {
      if (environ[n_env] == end)
        {
          end = environ[n_env] + strlen (environ[n_env]) + 1;
        }
    }
  /* Deliberately never freed: it is the process environment from now on. */
  env_copy = g_new0 (char *, n_env + 1);
  for (gsize i = 0; i < n_env; i++)
    {
      env_copy[i] = g_strdup (environ[i]);
    }
  environ = env_copy;
  title_start = argv[0];
  title_room = (gsize) (end - argv[0]);
}

void
hb_proctitle_set (const char *title)
{
  g_return_if_fail (title != NULL);
  prctl (PR_SET_NAME, title, 0, 0, 0);
  if (title_start == NULL || title_room < 2)
    {
      return;
    }
  memset (title_start, 0, title_room);
  strncpy (title_start, title, title_room - 1);
}
