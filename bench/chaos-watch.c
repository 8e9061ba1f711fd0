/* systole: bench/chaos-watch, the sampler of bench/chaos.
 *
 *   chaos-watch INTERVAL_MS VIP NODE:NETNS:AGENTFILE...
 *
 * Every INTERVAL_MS it asks each node's network namespace (NETNS, a name
 * under /run/netns) which IPv4 addresses it has, over an rtnetlink socket
 * opened inside that namespace once at start, and whether the node's agent
 * state file AGENTFILE exists (the recording test agent creates it when its
 * group starts there and removes it when it stops). It prints a line only
 * when the picture changes, plus one statistics line a second:
 *   S TIME_US VIP_HOLDERS AGENT_HOLDERS     (comma separated nodes, "-" for none)
 *   T TIME_US SAMPLES WORST_GAP_US           (samples and worst gap since the last T)
 * The agent file is read before the address: a group starts its address
 * before the agent and stops it after, so an agent seen without its address
 * is never an artefact of the order of the two reads.
 *
 * Times are wall-clock microseconds, the clock bench/probe and the harness
 * stamp with. Runs until SIGTERM or SIGINT. */
#define _GNU_SOURCE /* setns */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <glib.h>

#define WATCH_MAX_NODES 8

typedef struct
{
  char *name;
  char *agent_file;
  int nl; /* rtnetlink socket inside the node's namespace */
  guint32 seq;
} WatchNode;

static volatile sig_atomic_t stop_requested;

static void
on_signal (int sig)
{
  (void) sig;
  stop_requested = 1;
}

/* A NETLINK_ROUTE socket created inside namespace NETNS: a socket stays in
 * the namespace it was created in, so the sampler enters each namespace once
 * and then returns to its own. */
static int
open_netlink_in (const char *netns)
{
  g_autofree char *path = g_build_filename ("/run/netns", netns, NULL);
  int self = open ("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
  int target = open (path, O_RDONLY | O_CLOEXEC);
  int fd = -1;

  if (self >= 0 && target >= 0 && setns (target, CLONE_NEWNET) == 0)
    {
      fd = socket (AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
      if (setns (self, CLONE_NEWNET) != 0)
        {
          g_printerr ("chaos-watch: cannot return to our namespace: %s\n", g_strerror (errno));
          exit (1);
        }
    }
  if (self >= 0)
    close (self);
  if (target >= 0)
    close (target);
  return fd;
}

/* Does the namespace of NODE have address VIP (on any interface)? -1 when
 * the dump failed. */
static int
has_address (WatchNode *node, struct in_addr vip)
{
  struct
  {
    struct nlmsghdr nh;
    struct ifaddrmsg ifa;
  } req = { .nh = { .nlmsg_len = sizeof req, .nlmsg_type = RTM_GETADDR,
                    .nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP, .nlmsg_seq = ++node->seq },
            .ifa = { .ifa_family = AF_INET } };
  static char buf[65536];
  int found = 0;

  if (send (node->nl, &req, sizeof req, 0) < 0)
    return -1;
  for (;;)
    {
      ssize_t n = recv (node->nl, buf, sizeof buf, 0);
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        return -1;
      for (struct nlmsghdr *nh = (struct nlmsghdr *) buf; NLMSG_OK (nh, (guint) n);
           nh = NLMSG_NEXT (nh, n))
        {
          if (nh->nlmsg_seq != node->seq)
            continue;
          if (nh->nlmsg_type == NLMSG_DONE)
            return found;
          if (nh->nlmsg_type == NLMSG_ERROR)
            return -1;
          if (nh->nlmsg_type != RTM_NEWADDR)
            continue;
          struct ifaddrmsg *ifa = NLMSG_DATA (nh);
          int len = (int) IFA_PAYLOAD (nh);
          for (struct rtattr *rta = IFA_RTA (ifa); RTA_OK (rta, len); rta = RTA_NEXT (rta, len))
            if ((rta->rta_type == IFA_LOCAL || rta->rta_type == IFA_ADDRESS)
                && RTA_PAYLOAD (rta) == sizeof vip
                && memcmp (RTA_DATA (rta), &vip, sizeof vip) == 0)
              found = 1;
        }
    }
}

static void
append_name (GString *s, const char *name)
{
  if (s->len > 0)
    g_string_append_c (s, ',');
  g_string_append (s, name);
}

static gint64
mono_us (void)
{
  return g_get_monotonic_time ();
}

static void
sleep_until (gint64 mono_deadline_us)
{
  gint64 left = mono_deadline_us - mono_us ();

  if (left > 0)
    g_usleep ((gulong) left);
}

int
main (int argc, char **argv)
{
  struct sigaction sa = { .sa_handler = on_signal };
  WatchNode nodes[WATCH_MAX_NODES];
  guint n_nodes = 0;
  struct in_addr vip;
  gint64 interval_us, next, last_sample = 0, worst_gap = 0, last_tick;
  guint64 samples = 0;
  g_autofree char *last = NULL;

  if (argc < 4 || argc - 3 > WATCH_MAX_NODES || inet_pton (AF_INET, argv[2], &vip) != 1)
    {
      g_printerr ("usage: chaos-watch INTERVAL_MS VIP NODE:NETNS:AGENTFILE... (at most %d)\n",
                  WATCH_MAX_NODES);
      return 2;
    }
  interval_us = g_ascii_strtoll (argv[1], NULL, 10) * 1000;
  if (interval_us <= 0)
    {
      g_printerr ("chaos-watch: bad interval %s\n", argv[1]);
      return 2;
    }
  for (int i = 3; i < argc; i++)
    {
      g_auto (GStrv) part = g_strsplit (argv[i], ":", 3);
      if (g_strv_length (part) != 3)
        {
          g_printerr ("chaos-watch: expected NODE:NETNS:AGENTFILE, got %s\n", argv[i]);
          return 2;
        }
      nodes[n_nodes] = (WatchNode){ .name = g_strdup (part[0]), .agent_file = g_strdup (part[2]) };
      nodes[n_nodes].nl = open_netlink_in (part[1]);
      if (nodes[n_nodes].nl < 0)
        {
          g_printerr ("chaos-watch: cannot open rtnetlink in namespace %s: %s\n", part[1],
                      g_strerror (errno));
          return 1;
        }
      n_nodes++;
    }
  sigaction (SIGTERM, &sa, NULL);
  sigaction (SIGINT, &sa, NULL);
  next = last_tick = mono_us ();
  while (!stop_requested)
    {
      g_autoptr (GString) vips = g_string_new (NULL);
      g_autoptr (GString) agents = g_string_new (NULL);
      g_autofree char *now_line = NULL;
      gint64 now;

      for (guint i = 0; i < n_nodes; i++)
        {
          /* Agent first, then the address: see the header comment. */
          gboolean agent = access (nodes[i].agent_file, F_OK) == 0;
          int addr = has_address (&nodes[i], vip);

          if (agent)
            append_name (agents, nodes[i].name);
          if (addr > 0)
            append_name (vips, nodes[i].name);
          else if (addr < 0)
            append_name (vips, "?");
        }
      now = mono_us ();
      if (last_sample != 0 && now - last_sample > worst_gap)
        worst_gap = now - last_sample;
      last_sample = now;
      samples++;
      now_line = g_strdup_printf ("%s %s", vips->len ? vips->str : "-",
                                  agents->len ? agents->str : "-");
      if (g_strcmp0 (now_line, last) != 0)
        {
          printf ("S %" G_GINT64_FORMAT " %s\n", g_get_real_time (), now_line);
          fflush (stdout);
          g_free (last);
          last = g_steal_pointer (&now_line);
        }
      if (now - last_tick >= G_USEC_PER_SEC)
        {
          printf ("T %" G_GINT64_FORMAT " %" G_GUINT64_FORMAT " %" G_GINT64_FORMAT "\n",
                  g_get_real_time (), samples, worst_gap);
          fflush (stdout);
          samples = 0;
          worst_gap = 0;
          last_tick = now;
        }
      /* After a stall, go on from now rather than catching up in a burst. */
      next = now - next >= interval_us ? now + interval_us : next + interval_us;
      sleep_until (next);
    }
  return 0;
}
