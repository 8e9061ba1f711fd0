/* systole: bench/probe, the measuring tool of demo/run and bench/failover.
 *
 *   probe tcp ADDR PORT [INTERVAL_MS [TIMEOUT_MS]]
 *       A client: every INTERVAL_MS (default 10) it opens a new TCP connection
 *       to ADDR:PORT and reads one line. Probes overlap (a slow one does not
 *       delay the next), so the timeline keeps its 10 ms resolution while the
 *       service is gone. One output line per probe, in sending order:
 *         SENT_US DONE_US ok ANSWER...        (answered within TIMEOUT_MS)
 *         SENT_US DONE_US fail REASON          (refused, unreachable, timeout)
 *       Runs until SIGTERM or SIGINT.
 *   probe serve PORT NAME
 *       A server: answers every TCP connection on PORT with "NAME PEER\n", PEER
 *       being the address the connection came from (behind an LVS-NAT director
 *       that masquerades, that address tells which director forwarded it).
 *   probe stamp
 *       Copies stdin to stdout, each line prefixed with the time it was read
 *       (for `tail -F LOG | probe stamp`: log lines with a sub-ms timestamp).
 *   probe sniff udp PORT | probe sniff vrrp [IFNAME]
 *       Prints "TIME_US SOURCE" for every heartbeat (UDP datagram to PORT,
 *       broadcast included) or VRRP advertisement (IP protocol 112) received.
 *
 * Times are wall-clock microseconds (g_get_real_time): the scripts reading
 * them also stamp their own actions with bash's $EPOCHREALTIME, and the
 * processes run in different namespaces, so one shared clock is what lets the
 * timelines be merged. Nothing here is a timer. */
#define _GNU_SOURCE /* accept4 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <glib.h>

#define PROBE_MAX_INFLIGHT 256
#define PROBE_ANSWER_MAX 128
#define VRRP_PROTOCOL 112
#define VRRP_GROUP "224.0.0.18"

typedef struct
{
  int fd;           /* -1: slot free */
  gint64 sent_us;
  gint64 deadline_us;
  gboolean connected;
  char answer[PROBE_ANSWER_MAX];
  gsize len;
} ProbeSlot;

typedef struct
{
  ProbeSlot slot[PROBE_MAX_INFLIGHT];
  struct sockaddr_in target;
  gint64 interval_us;
  gint64 timeout_us;
  /* Results are printed in sending order: a probe that finishes before an
   * older one waits in its slot until the older one is done. */
  guint64 next_seq, print_seq;
  guint64 seq[PROBE_MAX_INFLIGHT];
  char *result[PROBE_MAX_INFLIGHT];
} Prober;

static volatile sig_atomic_t stop_requested;

static void
on_signal (int sig)
{
  (void) sig;
  stop_requested = 1;
}

static gboolean
parse_ipv4 (const char *addr, const char *port, struct sockaddr_in *out)
{
  char *end = NULL;
  long p = strtol (port, &end, 10);

  memset (out, 0, sizeof *out);
  out->sin_family = AF_INET;
  if (end == port || *end != '\0' || p <= 0 || p > 65535)
    return FALSE;
  out->sin_port = htons ((guint16) p);
  return inet_pton (AF_INET, addr, &out->sin_addr) == 1;
}

static void
slot_finish (Prober *p, guint i, gboolean ok, const char *text)
{
  ProbeSlot *s = &p->slot[i];

  close (s->fd);
  s->fd = -1;
  p->result[i] = g_strdup_printf ("%" G_GINT64_FORMAT " %" G_GINT64_FORMAT " %s %s", s->sent_us,
                                  g_get_real_time (), ok ? "ok" : "fail", text);
}

static void
flush_results (Prober *p)
{
  gboolean progress = TRUE;

  while (progress)
    {
      progress = FALSE;
      for (guint i = 0; i < PROBE_MAX_INFLIGHT; i++)
        if (p->result[i] != NULL && p->seq[i] == p->print_seq)
          {
            printf ("%s\n", p->result[i]);
            g_clear_pointer (&p->result[i], g_free);
            p->print_seq++;
            progress = TRUE;
          }
    }
  fflush (stdout);
}

static void
probe_launch (Prober *p)
{
  guint i;
  int fd;

  for (i = 0; i < PROBE_MAX_INFLIGHT; i++)
    if (p->slot[i].fd < 0 && p->result[i] == NULL)
      break;
  if (i == PROBE_MAX_INFLIGHT)
    return; /* cannot happen with timeout/interval < 256; skip rather than block */
  fd = socket (AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0)
    return;
  p->slot[i] = (ProbeSlot){ .fd = fd, .sent_us = g_get_real_time () };
  p->slot[i].deadline_us = p->slot[i].sent_us + p->timeout_us;
  p->seq[i] = p->next_seq++;
  if (connect (fd, (struct sockaddr *) &p->target, sizeof p->target) == 0)
    p->slot[i].connected = TRUE;
  else if (errno != EINPROGRESS)
    slot_finish (p, i, FALSE, g_strerror (errno));
}

/* The connection became writable (connect done) or readable (answer). */
static void
slot_event (Prober *p, guint i)
{
  ProbeSlot *s = &p->slot[i];
  int err = 0;
  socklen_t len = sizeof err;
  ssize_t n;

  if (!s->connected)
    {
      getsockopt (s->fd, SOL_SOCKET, SO_ERROR, &err, &len);
      if (err != 0)
        {
          slot_finish (p, i, FALSE, g_strerror (err));
          return;
        }
      s->connected = TRUE;
      return;
    }
  n = read (s->fd, s->answer + s->len, sizeof s->answer - 1 - s->len);
  if (n < 0 && (errno == EAGAIN || errno == EINTR))
    return;
  if (n > 0)
    s->len += (gsize) n;
  s->answer[s->len] = '\0';
  if (n <= 0 || strchr (s->answer, '\n') != NULL || s->len == sizeof s->answer - 1)
    {
      g_strchomp (s->answer);
      if (s->len == 0)
        slot_finish (p, i, FALSE, n < 0 ? g_strerror (errno) : "closed without answer");
      else
        slot_finish (p, i, TRUE, s->answer);
    }
}

static void
expire_slots (Prober *p, gint64 now)
{
  for (guint i = 0; i < PROBE_MAX_INFLIGHT; i++)
    if (p->slot[i].fd >= 0 && now >= p->slot[i].deadline_us)
      slot_finish (p, i, FALSE, p->slot[i].connected ? "timeout reading" : "timeout connecting");
}

static void
wait_events (Prober *p, gint64 until_us)
{
  struct pollfd pfd[PROBE_MAX_INFLIGHT];
  guint idx[PROBE_MAX_INFLIGHT];
  nfds_t n = 0;
  gint64 wait_us = until_us - g_get_real_time ();

  for (guint i = 0; i < PROBE_MAX_INFLIGHT; i++)
    if (p->slot[i].fd >= 0)
      {
        pfd[n] = (struct pollfd){ .fd = p->slot[i].fd, .events = p->slot[i].connected ? POLLIN : POLLOUT };
        idx[n++] = i;
      }
  if (poll (pfd, n, wait_us > 0 ? (int) ((wait_us + 999) / 1000) : 0) <= 0)
    return;
  for (nfds_t k = 0; k < n; k++)
    if (pfd[k].revents != 0)
      slot_event (p, idx[k]);
}

static int
run_tcp (const char *addr, const char *port, const char *interval, const char *timeout)
{
  g_autofree Prober *p = g_new0 (Prober, 1);
  gint64 next;

  if (!parse_ipv4 (addr, port, &p->target))
    {
      g_printerr ("probe tcp: bad address %s port %s\n", addr, port);
      return 2;
    }
  p->interval_us = (interval ? g_ascii_strtoll (interval, NULL, 10) : 10) * 1000;
  p->timeout_us = (timeout ? g_ascii_strtoll (timeout, NULL, 10) : 100) * 1000;
  if (p->interval_us <= 0 || p->timeout_us <= 0 || p->timeout_us / p->interval_us >= PROBE_MAX_INFLIGHT - 1)
    {
      g_printerr ("probe tcp: interval and timeout must be > 0 and timeout < %d intervals\n",
                  PROBE_MAX_INFLIGHT - 1);
      return 2;
    }
  for (guint i = 0; i < PROBE_MAX_INFLIGHT; i++)
    p->slot[i].fd = -1;
  next = g_get_real_time ();
  while (!stop_requested)
    {
      gint64 now = g_get_real_time ();

      if (now >= next)
        {
          probe_launch (p);
          /* After a stall (CPU starved), go on from now: a burst of probes
           * would fake a finer resolution than we had. */
          next = now - next >= p->interval_us ? now + p->interval_us : next + p->interval_us;
        }
      wait_events (p, next);
      expire_slots (p, g_get_real_time ());
      flush_results (p);
    }
  return 0;
}

static int
listen_tcp (const char *port)
{
  struct sockaddr_in sa;
  int one = 1;
  int fd;

  if (!parse_ipv4 ("0.0.0.0", port, &sa))
    return -1;
  fd = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0)
    return -1;
  setsockopt (fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  if (bind (fd, (struct sockaddr *) &sa, sizeof sa) < 0 || listen (fd, 128) < 0)
    {
      close (fd);
      return -1;
    }
  return fd;
}

static int
run_serve (const char *port, const char *name)
{
  int lfd = listen_tcp (port);

  if (lfd < 0)
    {
      g_printerr ("probe serve: cannot listen on port %s: %s\n", port, g_strerror (errno));
      return 1;
    }
  while (!stop_requested)
    {
      struct sockaddr_in peer;
      socklen_t len = sizeof peer;
      char from[INET_ADDRSTRLEN] = "?";
      g_autofree char *line = NULL;
      int fd = accept4 (lfd, (struct sockaddr *) &peer, &len, SOCK_CLOEXEC);

      if (fd < 0)
        continue;
      inet_ntop (AF_INET, &peer.sin_addr, from, sizeof from);
      line = g_strdup_printf ("%s %s\n", name, from);
      if (write (fd, line, strlen (line)) < 0)
        g_printerr ("probe serve: write to %s: %s\n", from, g_strerror (errno));
      close (fd);
    }
  close (lfd);
  return 0;
}

static int
run_stamp (void)
{
  char buf[4096];

  while (fgets (buf, sizeof buf, stdin) != NULL)
    {
      printf ("%" G_GINT64_FORMAT " %s", g_get_real_time (), buf);
      if (strchr (buf, '\n') == NULL)
        putchar ('\n');
      fflush (stdout);
    }
  return 0;
}

static int
open_sniffer (const char *kind, const char *port)
{
  struct sockaddr_in sa;
  int one = 1;
  int fd;

  if (g_strcmp0 (kind, "vrrp") == 0)
    {
      /* Multicast is only delivered to a host that joined the group, raw
       * sockets included: join VRRP's 224.0.0.18 on the given interface. */
      struct ip_mreqn mreq = { .imr_ifindex = (int) if_nametoindex (port != NULL ? port : "eth0") };

      fd = socket (AF_INET, SOCK_RAW | SOCK_CLOEXEC, VRRP_PROTOCOL);
      inet_pton (AF_INET, VRRP_GROUP, &mreq.imr_multiaddr);
      if (fd >= 0 && setsockopt (fd, IPPROTO_IP, IP_ADD_MEMBERSHIP, &mreq, sizeof mreq) < 0)
        {
          close (fd);
          return -1;
        }
      return fd;
    }
  if (g_strcmp0 (kind, "udp") != 0 || port == NULL || !parse_ipv4 ("0.0.0.0", port, &sa))
    return -2;
  fd = socket (AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0)
    return -1;
  setsockopt (fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  if (bind (fd, (struct sockaddr *) &sa, sizeof sa) < 0)
    {
      close (fd);
      return -1;
    }
  return fd;
}

static int
run_sniff (const char *kind, const char *port)
{
  char buf[65536];
  int fd = open_sniffer (kind, port);

  if (fd == -2)
    {
      g_printerr ("probe sniff: use 'udp PORT' or 'vrrp'\n");
      return 2;
    }
  if (fd < 0)
    {
      g_printerr ("probe sniff %s: %s\n", kind, g_strerror (errno));
      return 1;
    }
  while (!stop_requested)
    {
      struct sockaddr_in peer;
      socklen_t len = sizeof peer;
      char from[INET_ADDRSTRLEN] = "?";

      if (recvfrom (fd, buf, sizeof buf, 0, (struct sockaddr *) &peer, &len) < 0)
        continue;
      inet_ntop (AF_INET, &peer.sin_addr, from, sizeof from);
      printf ("%" G_GINT64_FORMAT " %s\n", g_get_real_time (), from);
      fflush (stdout);
    }
  close (fd);
  return 0;
}

static int
usage (void)
{
  g_printerr ("usage: probe tcp ADDR PORT [INTERVAL_MS [TIMEOUT_MS]]\n"
              "       probe serve PORT NAME\n"
              "       probe stamp\n"
              "       probe sniff udp PORT | probe sniff vrrp [IFNAME]\n");
  return 2;
}

int
main (int argc, char **argv)
{
  /* No SA_RESTART: a signal must interrupt accept/recvfrom/poll so we exit. */
  struct sigaction sa = { .sa_handler = on_signal };

  sigaction (SIGTERM, &sa, NULL);
  sigaction (SIGINT, &sa, NULL);
  signal (SIGPIPE, SIG_IGN);
  if (argc >= 4 && argc <= 6 && strcmp (argv[1], "tcp") == 0)
    return run_tcp (argv[2], argv[3], argc > 4 ? argv[4] : NULL, argc > 5 ? argv[5] : NULL);
  if (argc == 4 && strcmp (argv[1], "serve") == 0)
    return run_serve (argv[2], argv[3]);
  if (argc == 2 && strcmp (argv[1], "stamp") == 0)
    return run_stamp ();
  if ((argc == 3 || argc == 4) && strcmp (argv[1], "sniff") == 0)
    return run_sniff (argv[2], argc == 4 ? argv[3] : NULL);
  return usage ();
}
