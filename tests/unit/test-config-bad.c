/* systole: every bad input of ha.cf, authkeys and haresources must give an
 * error with the right code, file, line and text (and nothing else). */
#include <glib/gstdio.h>
#include <string.h>

#include "config-testutil.h"

typedef struct
{
  const char *name;
  const char *hacf;        /* NULL = good default */
  const char *haresources; /* NULL = good default */
  const char *authkeys;    /* NULL = good default */
  guint mode;              /* authkeys mode; 0 = 0600 */
  HbConfigError code;
  const char *file;        /* "ha.cf", "haresources" or "authkeys" */
  guint line;
  const char *text;        /* must appear in the message */
  guint n_errors;          /* 0 means exactly 1 */
  const char *forbidden;   /* must not appear in any message (secrets) */
} BadCase;

/* The default ha.cf has 8 lines: an appended line is line 9. */
#define H(extra) HB_TEST_HACF extra
#define HACF_BASE "node alpha\nnode beta\nkeepalive 1\ndeadtime 10\ninitdead 20\nauto_failback on\n"

#define E(c) HB_CONFIG_ERROR_##c
#define HAR_NONE "# no groups\n"

static const BadCase cases[] = {
  /* ---- ha.cf: syntax and values ---- */
  { "hacf/unknown-directive", H ("foo bar\n"), .code = E (UNKNOWN_DIRECTIVE), "ha.cf", 9, "Illegal directive [foo]" },
  { "hacf/unknown-after-comment", H ("# note\nkeepalive2 1\n"), .code = E (UNKNOWN_DIRECTIVE), "ha.cf", 10,
    "Illegal directive [keepalive2]" },
  { "hacf/time-suffix", H ("keepalive 1x\n"), .code = E (BAD_VALUE), "ha.cf", 9, "bad time value [1x] for keepalive" },
  { "hacf/time-negative", H ("keepalive -1\n"), .code = E (BAD_VALUE), "ha.cf", 9, "bad time value [-1] for keepalive" },
  { "hacf/time-minutes", H ("deadtime 10m\n"), .code = E (BAD_VALUE), "ha.cf", 9, "bad time value [10m] for deadtime" },
  { "hacf/time-two-dots", H ("initdead 1.5.2\n"), .code = E (BAD_VALUE), "ha.cf", 9, "bad time value [1.5.2] for initdead" },
  { "hacf/time-overflow", H ("deadping 99999999999\n"), .code = E (BAD_VALUE), "ha.cf", 9,
    "bad time value [99999999999] for deadping" },
  { "hacf/missing-value", H ("warntime\n"), .code = E (MISSING_VALUE), "ha.cf", 9, "directive [warntime] needs a value" },
  { "hacf/missing-value-comment", H ("node # nobody\n"), .code = E (MISSING_VALUE), "ha.cf", 9,
    "directive [node] needs a value" },
  { "hacf/udpport-zero", H ("udpport 0\n"), .code = E (BAD_VALUE), "ha.cf", 9,
    "bad value [0] for udpport: expected a whole number from 1 to 65535" },
  { "hacf/udpport-big", H ("udpport 65536\n"), .code = E (BAD_VALUE), "ha.cf", 9, "bad value [65536] for udpport" },
  { "hacf/udpport-word", H ("udpport ha\n"), .code = E (BAD_VALUE), "ha.cf", 9, "bad value [ha] for udpport" },
  { "hacf/udpport-fraction", H ("udpport 1.5\n"), .code = E (BAD_VALUE), "ha.cf", 9, "bad value [1.5] for udpport" },
  { "hacf/hopfudge-range", H ("hopfudge 256\n"), .code = E (BAD_VALUE), "ha.cf", 9, "bad value [256] for hopfudge" },
  { "hacf/debug-range", H ("debug 300\n"), .code = E (BAD_VALUE), "ha.cf", 9, "bad value [300] for debug" },
  { "hacf/rtprio-zero", H ("rtprio 0\n"), .code = E (BAD_VALUE), "ha.cf", 9, "bad value [0] for rtprio" },
  { "hacf/conn-logd-time", H ("conn_logd_time 0\n"), .code = E (BAD_VALUE), "ha.cf", 9,
    "bad time value [0] for conn_logd_time: expected 1 second or more" },
  { "hacf/conn-logd-time-ms", H ("conn_logd_time 500ms\n"), .code = E (BAD_VALUE), "ha.cf", 9,
    "bad time value [500ms] for conn_logd_time" },
  { "hacf/keepalive-zero-ms", H ("keepalive 0.0001\n"), .code = E (TIMING), "ha.cf", 9,
    "keepalive [0.0001] is invalid: it must be greater than 0" },
  { "hacf/max-rexmit", H ("max_rexmit_delay soon\n"), .code = E (BAD_VALUE), "ha.cf", 9,
    "bad value [soon] for max_rexmit_delay" },
  { "hacf/memreserve", H ("memreserve lots\n"), .code = E (BAD_VALUE), "ha.cf", 9, "bad value [lots] for memreserve" },
  { "hacf/bool", H ("realtime perhaps\n"), .code = E (BAD_VALUE), "ha.cf", 9, "bad boolean value [perhaps] for realtime" },
  { "hacf/bool-log-badpack", H ("log_badpack 2\n"), .code = E (BAD_VALUE), "ha.cf", 9,
    "bad boolean value [2] for log_badpack" },
  { "hacf/facility", H ("logfacility local9\n"), .code = E (BAD_VALUE), "ha.cf", 9,
    "Log facility(local9) not valid: expected none or one of auth," },
  { "hacf/msgfmt", H ("msgfmt xml\n"), .code = E (BAD_VALUE), "ha.cf", 9,
    "bad value [xml] for msgfmt: expected one of classic, netstring" },
  { "hacf/hbgenmethod", H ("hbgenmethod random\n"), .code = E (BAD_VALUE), "ha.cf", 9, "bad value [random] for hbgenmethod" },
  { "hacf/uuidfrom", H ("uuidfrom mac\n"), .code = E (BAD_VALUE), "ha.cf", 9, "bad value [mac] for uuidfrom" },
  { "hacf/auto-failback", H ("auto_failback maybe\n"), .code = E (BAD_VALUE), "ha.cf", 9,
    "bad value [maybe] for auto_failback: expected on, off or legacy" },
  { "hacf/nice-failback-bad", H ("nice_failback sometimes\n"), .code = E (BAD_VALUE), "ha.cf", 9,
    "bad boolean value [sometimes] for nice_failback" },
  { "hacf/nice-failback-conflict", H ("nice_failback on\n"), .code = E (DUPLICATE), "ha.cf", 9,
    "nice_failback (= auto_failback off) contradicts auto_failback on on line 7" },
  { "hacf/env", H ("env FOO\n"), .code = E (BAD_VALUE), "ha.cf", 9, "bad env value [FOO]: expected NAME=value" },
  /* ---- ha.cf: media and nodes ---- */
  { "hacf/bcast-ifname", H ("bcast eth0/1\n"), .code = E (BAD_VALUE), "ha.cf", 9, "bad interface name [eth0/1] for bcast" },
  { "hacf/bcast-long-ifname", H ("bcast abcdefghijklmnop\n"), .code = E (BAD_VALUE), "ha.cf", 9,
    "bad interface name [abcdefghijklmnop] for bcast" },
  { "hacf/mcast-count", H ("mcast eth0 225.0.0.1 694 1\n"), .code = E (MISSING_VALUE), "ha.cf", 9,
    "mcast needs 5 values (interface, group, port, ttl, loop), got 4" },
  { "hacf/mcast-group", H ("mcast eth0 192.0.2.1 694 1 0\n"), .code = E (BAD_VALUE), "ha.cf", 9,
    "bad mcast group [192.0.2.1]: expected a class D address" },
  { "hacf/mcast-port", H ("mcast eth0 225.0.0.1 0 1 0\n"), .code = E (BAD_VALUE), "ha.cf", 9, "bad mcast port [0]: expected 1-65535" },
  { "hacf/mcast-ttl", H ("mcast eth0 225.0.0.1 694 300 0\n"), .code = E (BAD_VALUE), "ha.cf", 9, "bad mcast ttl [300]: expected 0-255" },
  { "hacf/mcast-loop", H ("mcast eth0 225.0.0.1 694 1 2\n"), .code = E (BAD_VALUE), "ha.cf", 9, "bad mcast loop [2]: expected 0-1" },
  { "hacf/ucast-count", H ("ucast eth0\n"), .code = E (MISSING_VALUE), "ha.cf", 9,
    "ucast needs 2 values (interface, peer address), got 1" },
  { "hacf/ucast-hostname", H ("ucast eth0 beta\n"), .code = E (BAD_VALUE), "ha.cf", 9,
    "bad ucast peer address [beta]: host names cannot be resolved here; write an IPv4 address" },
  { "hacf/ucast-not-a-name", H ("ucast eth0 peer/2\n"), .code = E (BAD_VALUE), "ha.cf", 9,
    "bad ucast peer address [peer/2]: expected an IPv4 address or a host name" },
  { "hacf/ucast-octet", H ("ucast eth0 192.0.2.300\n"), .code = E (BAD_VALUE), "ha.cf", 9, "bad ucast peer address [192.0.2.300]: expected an IPv4 address or a host name" },
  { "hacf/ping", H ("ping gateway\n"), .code = E (BAD_VALUE), "ha.cf", 9, "bad ping address [gateway]" },
  { "hacf/ping-group-short", H ("ping_group routers\n"), .code = E (MISSING_VALUE), "ha.cf", 9,
    "ping_group needs a name and at least one address" },
  { "hacf/ping-group-name", H ("ping_group alpha 192.0.2.1\n"), .code = E (DUPLICATE), "ha.cf", 9,
    "ping_group name [alpha] is already a node name" },
  { "hacf/ping-group-addr", H ("ping_group routers 192.0.2.1 router2\n"), .code = E (BAD_VALUE), "ha.cf", 9,
    "bad ping_group address [router2]" },
  /* ---- ha.cf: features we refuse ---- */
  { "hacf/crm-on", H ("crm on\n"), .code = E (UNSUPPORTED), "ha.cf", 9,
    "crm on is not supported: systole manages resources from haresources only" },
  { "hacf/crm-respawn", H ("crm respawn\n"), .code = E (UNSUPPORTED), "ha.cf", 9, "crm respawn is not supported" },
  { "hacf/pacemaker-yes", H ("pacemaker yes\n"), .code = E (UNSUPPORTED), "ha.cf", 9, "pacemaker yes is not supported" },
  { "hacf/autojoin", H ("autojoin any\n"), .code = E (UNSUPPORTED), "ha.cf", 9,
    "R1 style resource management conflicts with  autojoin set (autojoin any)" },
  { "hacf/autojoin-word", H ("autojoin all\n"), .code = E (BAD_VALUE), "ha.cf", 9,
    "bad value [all] for autojoin: expected one of none, other, any" },
  /* ---- ha.cf: validation (docs/PROTOCOL.md, "ha.cf validation") ---- */
  { "hacf/keepalive-zero", H ("keepalive 0\n"), .code = E (TIMING), "ha.cf", 9, "keepalive [0] is invalid: it must be greater than 0" },
  { "hacf/deadtime-small", H ("deadtime 2\n"), .code = E (TIMING), "ha.cf", 9,
    "Dead time [2000ms] is too small compared to keeplive [1000ms]" },
  { "hacf/deadtime-small-keepalive-later", "node alpha\nnode beta\nbcast eth0\ndeadtime 3\ninitdead 20\n"
    "auto_failback on\nlogfacility daemon\nkeepalive 1500ms\n", .code = E (TIMING), "ha.cf", 4,
    "Dead time [3000ms] is too small compared to keeplive [1500ms]" },
  { "hacf/initdead-small", H ("initdead 5\n"), .code = E (TIMING), "ha.cf", 9,
    "Initial dead time [5000ms] is smaller than deadtime [10000ms]" },
  { "hacf/deadping-small", H ("deadping 2\n"), .code = E (TIMING), "ha.cf", 9,
    "Ping dead time [2000ms] is too small compared to keeplive [1000ms]" },
  { "hacf/warntime-zero", H ("warntime 0\n"), .code = E (TIMING), "ha.cf", 9, "Warn time [0] is invalid. (it must be greater than 0)" },
  { "hacf/no-media", HACF_BASE "logfacility daemon\n", .code = E (NO_MEDIA), "ha.cf", 0, "No heartbeat media defined" },
  { "hacf/serial-only", HACF_BASE "logfacility daemon\nserial /dev/ttyS0\n", .code = E (NO_MEDIA), "ha.cf", 0,
    "No heartbeat media defined" },
  { "hacf/no-nodes", "bcast eth0\nlogfacility daemon\nauto_failback on\n", HAR_NONE, .code = E (NO_NODES), "ha.cf", 0,
    "no nodes defined" },
  { "hacf/local-node", "node beta\nnode gamma\nbcast eth0\nauto_failback on\nlogfacility daemon\n", "beta 192.0.2.10\n",
    .code = E (LOCAL_NODE), "ha.cf", 0,
    "Current node [alpha] not in configuration! Nodes are named by uname -n and each must appear in a node line "
    "(nodes: beta, gamma)" },
  { "hacf/local-node-is-ping", "node beta\nping alpha\nbcast eth0\nauto_failback on\nlogfacility daemon\n",
    "beta 192.0.2.10\n", .code = E (BAD_VALUE), "ha.cf", 2, "bad ping address [alpha]", 2 },
  { "hacf/use-logd-off", HACF_BASE "bcast eth0\nuse_logd off\n", .code = E (MISSING_VALUE), "ha.cf", 8,
    "No log entry found in ha.cf and use_logd is set to off" },
  { "hacf/missing", HB_TEST_ABSENT, .code = E (IO), "ha.cf", 0, "Cannot open config file [" },
  /* ---- authkeys (docs/PROTOCOL.md, "authkeys") ---- */
  { "authkeys/missing", .authkeys = HB_TEST_ABSENT, .code = E (IO), "authkeys", 0, "Cannot open keyfile [" },
  { "authkeys/mode-0644", .mode = 0644, .code = E (PERMISSIONS), "authkeys", 0,
    "Bad permissions on keyfile [", .forbidden = "s3cret" },
  { "authkeys/mode-0640", .mode = 0640, .code = E (PERMISSIONS), "authkeys", 0, "600 recommended. (mode is 0640" },
  { "authkeys/mode-0604", .mode = 0604, .code = E (PERMISSIONS), "authkeys", 0, "600 recommended. (mode is 0604" },
  { "authkeys/no-auth", .authkeys = "1 sha1 s3cret\n", .code = E (AUTH), "authkeys", 0, "Missing auth directive in keyfile [" },
  { "authkeys/empty", .authkeys = "# nothing\n\n", .code = E (AUTH), "authkeys", 0, "Missing auth directive in keyfile [" },
  { "authkeys/auth-alone", .authkeys = "auth\n1 crc\n", .code = E (AUTH), "authkeys", 1,
    "Invalid auth line [auth]: expected auth N", 2 },
  { "authkeys/auth-no-number", .authkeys = "auth\t\n1 crc\n", .code = E (AUTH), "authkeys", 1, "Invalid auth line [auth]", 2 },
  /* Found by fuzz-authkeys: a malformed auth line was echoed whole, key included. */
  { "authkeys/auth-line-hides-rest", .authkeys = "auth sha1 s3cret\n1 crc\n", .code = E (AUTH), "authkeys", 1,
    "Invalid auth line [auth sha1 ...]: expected auth N", 2, .forbidden = "s3cret" },
  { "authkeys/auth-16", .authkeys = "auth 16\n1 crc\n", .code = E (AUTH), "authkeys", 1, "Invalid authnum [16]: expected 0-15", 2 },
  { "authkeys/auth-word", .authkeys = "auth one\n1 crc\n", .code = E (AUTH), "authkeys", 1, "Invalid auth line [auth one]: expected auth N", 2 },
  { "authkeys/key-16", .authkeys = "auth 1\n1 crc\n16 crc\n", .code = E (AUTH), "authkeys", 3, "Invalid authnum [16]" },
  { "authkeys/key-negative", .authkeys = "auth 1\n1 crc\n-1 crc\n", .code = E (AUTH), "authkeys", 3, "Invalid authnum [-1]" },
  { "authkeys/method", .authkeys = "auth 1\n1 crc\n2 sha256 s3cret\n", .code = E (AUTH), "authkeys", 3,
    "Invalid authtype [sha256]: expected crc, md5 or sha1", .forbidden = "s3cret" },
  { "authkeys/method-case", .authkeys = "auth 1\n1 crc\n2 SHA1 s3cret\n", .code = E (AUTH), "authkeys", 3,
    "Invalid authtype [SHA1]" },
  { "authkeys/crc-key", .authkeys = "auth 1\n1 crc\n2 crc s3cret\n", .code = E (AUTH), "authkeys", 3,
    "Auth method [crc] doesn't use a key", .forbidden = "s3cret" },
  { "authkeys/md5-no-key", .authkeys = "auth 1\n1 crc\n2 md5\n", .code = E (AUTH), "authkeys", 3,
    "Auth method [md5] requires a key" },
  { "authkeys/sha1-no-key", .authkeys = "auth 1\n1 sha1\n", .code = E (AUTH), "authkeys", 2,
    "Auth method [sha1] requires a key", 2 },
  { "authkeys/not-a-key-line", .authkeys = "auth 1\n1 crc\nsha1 s3cret\n", .code = E (AUTH), "authkeys", 3,
    "Auth line [sha1 ...] is invalid: expected auth N or N METHOD [KEY]", .forbidden = "s3cret" },
  { "authkeys/auth-word-first", .authkeys = "auth 1\nauthentication 1\n1 crc\n", .code = E (AUTH), "authkeys", 2,
    "Auth line [authentication ...] is invalid" },
  { "authkeys/number-only", .authkeys = "auth 1\n1 crc\n2\n", .code = E (AUTH), "authkeys", 3,
    "Auth line [2] is invalid: expected N METHOD [KEY]" },
  { "authkeys/key-not-found", .authkeys = "auth 2\n1 sha1 s3cret\n", .code = E (AUTH), "authkeys", 1,
    "Auth Key [2] not found in keyfile [" },
  { "authkeys/key-not-found-later", .authkeys = "1 sha1 s3cret\n3 md5 other\nauth 2\n", .code = E (AUTH), "authkeys", 3,
    "Auth Key [2] not found in keyfile [" },
  { "authkeys/duplicate-key", .authkeys = "auth 1\n1 crc\n1 sha1 s3cret\n", .code = E (DUPLICATE), "authkeys", 3,
    "duplicate key [1]: already defined on line 2", .forbidden = "s3cret" },
  { "authkeys/duplicate-auth", .authkeys = "auth 1\nauth 2\n1 crc\n", .code = E (DUPLICATE), "authkeys", 2,
    "duplicate auth directive [auth 2]: already given on line 1" },
  { "authkeys/crlf-auth", .authkeys = "auth 1\r\n1 sha1\r\n", .code = E (AUTH), "authkeys", 2,
    "Auth method [sha1] requires a key", 2 },
  /* ---- haresources (docs/PROTOCOL.md, "haresources") ---- */
  { "haresources/missing", .haresources = HB_TEST_ABSENT, .code = E (IO), "haresources", 0,
    "Cannot open resources file [" },
  { "haresources/unknown-node", .haresources = "gamma 192.0.2.10\n", .code = E (BAD_NODE), "haresources", 1,
    "Bad nodename in haresources [gamma]: not a node line of ha.cf (known nodes: alpha, beta)" },
  { "haresources/ping-node", H ("ping 192.0.2.1\n"), "192.0.2.1 myop.sh\n", .code = E (BAD_NODE), "haresources", 1,
    "Bad nodename in haresources [192.0.2.1]" },
  { "haresources/no-resources", .haresources = "alpha\n", .code = E (RESOURCE), "haresources", 1,
    "resource group for node [alpha] lists no resources" },
  { "haresources/duplicate-key", .haresources = "alpha 192.0.2.10\nbeta 192.0.2.10 other.sh\n", .code = E (DUPLICATE),
    "haresources", 2, "duplicate resource group key [192.0.2.10]: the group on line 1 starts with the same resource" },
  { "haresources/duplicate-key-spelled", .haresources = "alpha 192.0.2.10\nbeta IPaddr::192.0.2.10\n",
    .code = E (DUPLICATE), "haresources", 2, "duplicate resource group key [IPaddr::192.0.2.10]" },
  { "haresources/ip-octet", .haresources = "alpha 192.0.2.300\n", .code = E (RESOURCE), "haresources", 1,
    "bad IPaddr argument [192.0.2.300] in resource [192.0.2.300]: the address is not an IPv4 address" },
  { "haresources/cidr", .haresources = "alpha 192.0.2.10/33\n", .code = E (RESOURCE), "haresources", 1,
    "the netmask must be 0-32 bits or a dotted netmask" },
  { "haresources/netmask-holes", .haresources = "alpha IPaddr::192.0.2.10/255.0.255.0\n", .code = E (RESOURCE),
    "haresources", 1, "the netmask must be 0-32 bits or a dotted netmask" },
  { "haresources/too-many-parts", .haresources = "alpha 192.0.2.10/24/eth0/192.0.2.255/x\n", .code = E (RESOURCE),
    "haresources", 1, "too many parts (expected ip[/cidr[/nic[/broadcast]]])" },
  { "haresources/bcast-then-more", .haresources = "alpha 192.0.2.10/24/192.0.2.255/eth0\n", .code = E (RESOURCE),
    "haresources", 1, "a broadcast address (third part) cannot be followed by a fourth part" },
  { "haresources/bad-broadcast3", .haresources = "alpha 192.0.2.10/24/999.0.2.255\n", .code = E (RESOURCE),
    "haresources", 1, "the broadcast address is not an IPv4 address" },
  { "haresources/bad-broadcast4", .haresources = "alpha 192.0.2.10/24/eth0/300.1.1.1\n", .code = E (RESOURCE),
    "haresources", 1, "the broadcast address is not an IPv4 address" },
  { "haresources/bad-nic", .haresources = "alpha 192.0.2.10/24/averyveryverylongifname\n", .code = E (RESOURCE),
    "haresources", 1, "the interface name is not valid" },
  { "haresources/ipaddr-no-arg", .haresources = "alpha IPaddr\n", .code = E (RESOURCE), "haresources", 1,
    "bad resource [IPaddr]: IPaddr needs an address argument" },
  { "haresources/ipaddr2-bad", .haresources = "alpha IPaddr2::10.0.0\n", .code = E (RESOURCE), "haresources", 1,
    "bad IPaddr argument [10.0.0] in resource [IPaddr2::10.0.0]" },
  { "haresources/empty-arg", .haresources = "alpha myop.sh::\n", .code = E (RESOURCE), "haresources", 1,
    "bad resource [myop.sh::]: empty argument" },
  { "haresources/empty-script", .haresources = "alpha ::arg\n", .code = E (RESOURCE), "haresources", 1,
    "bad resource [::arg]: empty script name" },
  { "haresources/slash", .haresources = "alpha ../bin/evil\n", .code = E (RESOURCE), "haresources", 1,
    "bad resource [../bin/evil]: the script name must not contain '/'" },
  { "haresources/continued", .haresources = "# groups\nalpha \\\n  myop.sh \\\n  IPaddr\n", .code = E (RESOURCE),
    "haresources", 2, "bad resource [IPaddr]: IPaddr needs an address argument" },
  { "haresources/after-comments", .haresources = "# comment\n\nbeta 192.0.2.11 # home beta\ngamma x\n",
    .code = E (BAD_NODE), "haresources", 4, "Bad nodename in haresources [gamma]" },
  /* Directive names are case-sensitive in Heartbeat: it says Illegal directive. */
  { "hacf/directive-case", H ("Keepalive 2\n"), .code = E (UNKNOWN_DIRECTIVE), "ha.cf", 9,
    "Illegal directive [Keepalive]" },
  /* Heartbeat applies every value in turn, so each must be valid. */
  { "hacf/single-bad-first-value", H ("deadtime x 12\n"), .code = E (BAD_VALUE), "ha.cf", 9,
    "bad time value [x] for deadtime" },
  { "hacf/single-bad-middle-value", H ("logfacility daemon bogus local0\n"), .code = E (BAD_VALUE), "ha.cf", 9,
    "Log facility(bogus) not valid" },
  /* ---- odd bytes ---- */
  { "bytes/hacf-comma-in-directive", H ("node,gamma\n"), .code = E (UNKNOWN_DIRECTIVE), "ha.cf", 9,
    "Illegal directive [node,gamma]" },
  { "bytes/hacf-escape-shown", H ("frob\x1b[2J 1\n"), .code = E (UNKNOWN_DIRECTIVE), "ha.cf", 9,
    "Illegal directive [frob\\x1b[2J]" },
  { "bytes/hacf-bad-utf8-shown", H ("logfacility \xff\xfe\n"), .code = E (BAD_VALUE), "ha.cf", 9,
    "Log facility(\\xff\\xfe) not valid" },
  { "bytes/authkeys-vt-before-comment", .authkeys = "auth 1\n1 sha1 k\n\v# note\n", .code = E (AUTH), "authkeys", 3,
    "Auth line [# ...] is invalid" },
  { "bytes/authkeys-vt-alone", .authkeys = "auth 1\n1 sha1 k\n \v\n", .code = E (AUTH), "authkeys", 3,
    "Auth line [\\x0b] is invalid" },
  { "bytes/haresources-form-feed", .haresources = "alpha 192.0.2.10 httpd\f\n", .code = E (RESOURCE),
    "haresources", 1, "control character \\x0c in the line" },
  { "bytes/haresources-cr-inside", .haresources = "alpha 192.0.2.10\rhttpd\n", .code = E (RESOURCE),
    "haresources", 1, "control character \\x0d in the line" },
  { "bytes/haresources-vt-continued", .haresources = "alpha 192.0.2.10 \\\n httpd\v\n", .code = E (RESOURCE),
    "haresources", 2, "control character \\x0b in the line" },
};

static const HbDiag *
find_diag (GPtrArray *diags, const BadCase *c)
{
  for (guint i = 0; i < diags->len; i++)
    {
      const HbDiag *d = g_ptr_array_index (diags, i);
      g_autofree char *base = g_path_get_basename (d->file);

      if (d->severity == HB_DIAG_ERROR && d->domain == HB_CONFIG_ERROR && d->code == (gint) c->code
          && d->line == c->line && strcmp (base, c->file) == 0)
        {
          return d;
        }
    }
  return NULL;
}

static void
test_bad (gconstpointer data)
{
  const BadCase *c = data;
  g_autofree char *dir = hb_test_write_dir (c->hacf, c->haresources, c->authkeys, c->mode);
  g_autoptr (GPtrArray) diags = hb_diag_array_new ();
  g_autoptr (GError) error = NULL;
  g_autoptr (HbConfig) config = hb_test_load (dir, "alpha", NULL, diags, &error);

  hb_test_log_diags (diags);
  g_assert_null (config);
  g_assert_nonnull (error);
  g_assert_true (error->domain == HB_CONFIG_ERROR);
  const HbDiag *d = find_diag (diags, c);
  g_assert_nonnull (d);
  g_autofree char *prefix = g_strdup_printf ("%s/%s:%u: ", dir, c->file, c->line);
  g_assert_true (g_str_has_prefix (d->message, prefix));
  g_assert_nonnull (strstr (d->message + strlen (prefix), c->text));
  g_assert_cmpuint (hb_test_count (diags, HB_DIAG_ERROR), ==, c->n_errors != 0 ? c->n_errors : 1);
  for (guint i = 0; i < diags->len; i++)
    {
      const HbDiag *any = g_ptr_array_index (diags, i);
      g_assert_true (c->forbidden == NULL || strstr (any->message, c->forbidden) == NULL);
      g_assert_true (g_str_has_prefix (any->message, any->file));
    }
  /* The GError is the first error diagnostic. */
  for (guint i = 0; i < diags->len; i++)
    {
      const HbDiag *first = g_ptr_array_index (diags, i);
      if (first->severity == HB_DIAG_ERROR)
        {
          g_assert_cmpstr (error->message, ==, first->message);
          g_assert_cmpint (error->code, ==, first->code);
          break;
        }
    }
  hb_test_remove_dir (dir);
}

/* One run reports the problems of all three files. */
static void
test_all_files_one_run (void)
{
  g_autofree char *dir = hb_test_write_dir (H ("keepalive 2x\nbogus 1\n"), "alpha 192.0.2.10\ngamma x.sh\n",
                                            "auth 3\n1 crc\n", 0644);
  g_autoptr (GPtrArray) diags = hb_diag_array_new ();
  g_autoptr (GError) error = NULL;
  g_autoptr (HbConfig) config = hb_test_load (dir, "alpha", NULL, diags, &error);
  static const struct
  {
    const char *file;
    guint line;
    const char *text;
  } expected[] = {
    { "ha.cf", 9, "bad time value [2x] for keepalive" },
    { "ha.cf", 10, "Illegal directive [bogus]" },
    { "authkeys", 0, "Bad permissions on keyfile" },
    { "authkeys", 1, "Auth Key [3] not found" },
    { "haresources", 2, "Bad nodename in haresources [gamma]" },
  };
  guint next = 0;

  hb_test_log_diags (diags);
  g_assert_null (config);
  g_assert_error (error, HB_CONFIG_ERROR, HB_CONFIG_ERROR_BAD_VALUE);
  for (guint i = 0; i < diags->len && next < G_N_ELEMENTS (expected); i++)
    {
      const HbDiag *d = g_ptr_array_index (diags, i);
      g_autofree char *prefix = g_strdup_printf ("%s/%s:%u: ", dir, expected[next].file, expected[next].line);
      if (d->severity == HB_DIAG_ERROR && g_str_has_prefix (d->message, prefix)
          && strstr (d->message, expected[next].text) != NULL)
        {
          next++;
        }
    }
  g_assert_cmpuint (next, ==, G_N_ELEMENTS (expected));
  g_assert_cmpuint (hb_test_count (diags, HB_DIAG_ERROR), ==, G_N_ELEMENTS (expected));
  hb_test_remove_dir (dir);
}

/* The diags array is the caller's: earlier entries are kept, and the
 * GError names the first error of this run. */
static void
test_diags_appended (void)
{
  g_autofree char *dir = hb_test_write_dir (H ("bogus\n"), NULL, NULL, 0);
  g_autoptr (GPtrArray) diags = hb_diag_array_new ();
  g_autoptr (GError) error = NULL;
  HbDiag *old = g_new0 (HbDiag, 1);

  old->severity = HB_DIAG_ERROR;
  old->file = g_strdup ("x");
  old->message = g_strdup ("x:1: older");
  g_ptr_array_add (diags, old);
  g_assert_null (hb_test_load (dir, "alpha", NULL, diags, &error));
  g_assert_cmpuint (diags->len, ==, 2);
  g_assert_nonnull (strstr (error->message, "Illegal directive [bogus]"));
  /* No diags array at all is fine too. */
  g_clear_error (&error);
  HbConfigPaths paths = { .confdir = dir };
  g_assert_null (hb_config_load (&paths, "alpha", NULL, &error));
  g_assert_error (error, HB_CONFIG_ERROR, HB_CONFIG_ERROR_UNKNOWN_DIRECTIVE);
  hb_test_remove_dir (dir);
}

/* A NUL byte would silently cut a file short: each file refuses it. */
static void
test_nul_byte (gconstpointer data)
{
  const char *name = data;
  g_autofree char *dir = hb_test_write_dir (NULL, NULL, NULL, 0);
  g_autofree char *path = g_build_filename (dir, name, NULL);
  static const char text[] = "# first\nsecond\0line\n";
  g_autoptr (GPtrArray) diags = hb_diag_array_new ();
  g_autoptr (GError) error = NULL;

  g_assert_true (g_file_set_contents (path, text, sizeof text - 1, NULL));
  g_assert_cmpint (g_chmod (path, 0600), ==, 0);
  g_assert_null (hb_test_load (dir, "alpha", NULL, diags, &error));
  hb_test_log_diags (diags);
  g_assert_error (error, HB_CONFIG_ERROR, HB_CONFIG_ERROR_IO);
  g_autofree char *expected = g_strdup_printf ("%s:2: contains a NUL byte: not a text file", path);
  g_assert_cmpstr (error->message, ==, expected);
  g_assert_cmpuint (hb_test_count (diags, HB_DIAG_ERROR), ==, 1);
  hb_test_remove_dir (dir);
}

/* Random lines made of the files' own vocabulary: never a crash, every
 * message names its file, and a failed load reports at least one error. */
static void
test_garbage (void)
{
  static const char *const words[] = {
    "node", "alpha", "beta", "bcast", "ucast", "mcast", "ping", "ping_group", "keepalive", "deadtime",
    "initdead", "warntime", "udpport", "auth", "1", "15", "16", "-1", "0", "crc", "sha1", "md5",
    "192.0.2.10", "192.0.2.10/24/eth0/192.0.2.255", "eth0", "IPaddr::", "::", "#", "\\", ",", "1.5",
    "1ms", "99999999999999999999", "auto_failback", "legacy", "nice_failback", "on", "crm", "x::y",
    "\t", "\r", "225.0.0.1", "256.1.1.1", "/", "//", "logfile", "use_logd", "off", "hopfudge",
  };
  g_autoptr (GRand) rand = g_rand_new_with_seed (20261122);

  for (guint round = 0; round < 300; round++)
    {
      const char *texts[3] = { NULL, NULL, NULL };
      g_autoptr (GString) text = g_string_new (NULL);
      guint which = g_rand_int_range (rand, 0, 3);
      for (gint line = g_rand_int_range (rand, 0, 12); line > 0; line--)
        {
          for (gint w = g_rand_int_range (rand, 0, 7); w > 0; w--)
            {
              g_string_append_printf (text, "%s%s", words[g_rand_int_range (rand, 0, G_N_ELEMENTS (words))],
                                      g_rand_boolean (rand) ? " " : "");
            }
          g_string_append_c (text, '\n');
        }
      texts[which] = text->str;
      g_autofree char *dir = hb_test_write_dir (texts[0], texts[1], texts[2], 0);
      g_autoptr (GPtrArray) diags = hb_diag_array_new ();
      g_autoptr (GError) error = NULL;
      g_autoptr (HbConfig) config = hb_test_load (dir, "alpha", NULL, diags, &error);

      g_assert_true ((config == NULL) == (error != NULL));
      g_assert_true (config != NULL || hb_test_count (diags, HB_DIAG_ERROR) > 0);
      for (guint i = 0; i < diags->len; i++)
        {
          const HbDiag *d = g_ptr_array_index (diags, i);
          g_autofree char *prefix = g_strdup_printf ("%s:%u: ", d->file, d->line);
          g_assert_true (g_str_has_prefix (d->message, prefix));
          g_assert_true (g_str_has_prefix (d->file, dir));
        }
      if (config != NULL)
        {
          g_autofree char *dump = hb_config_dump (config);
          g_assert_nonnull (dump);
        }
      hb_test_remove_dir (dir);
    }
}

/* Files that could not be read, given to hb_config_load_texts(): each is
 * reported with the reason, in file order. */
static void
test_texts_unreadable (void)
{
  HbConfigPaths paths = { .confdir = "/nowhere" };
  HbConfigTexts texts = {
    .hacf = { .read_error = "No such file or directory" },
    .authkeys = { .read_error = "Permission denied" },
    .haresources = { .read_error = "not a regular file" },
  };
  g_autoptr (GPtrArray) diags = hb_diag_array_new ();
  g_autoptr (GError) error = NULL;
  const char *const expected[] = {
    "/nowhere/ha.cf:0: Cannot open config file [/nowhere/ha.cf]: No such file or directory",
    "/nowhere/authkeys:0: Cannot open keyfile [/nowhere/authkeys].  Stop. (Permission denied)",
  };

  g_assert_null (hb_config_load_texts (&paths, &texts, "alpha", NULL, diags, &error));
  g_assert_error (error, HB_CONFIG_ERROR, HB_CONFIG_ERROR_IO);
  hb_test_log_diags (diags);
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      g_assert_cmpstr (((HbDiag *) g_ptr_array_index (diags, i))->message, ==, expected[i]);
    }
  g_assert_true (g_str_has_prefix (((HbDiag *) g_ptr_array_index (diags, diags->len - 1))->message,
                                   "/nowhere/haresources:0: Cannot open resources file [/nowhere/haresources]: "
                                   "not a regular file"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/config/bad/%s", cases[i].name);
      g_test_add_data_func (path, &cases[i], test_bad);
    }
  g_test_add_func ("/config/bad/all-files-one-run", test_all_files_one_run);
  g_test_add_func ("/config/bad/diags-appended", test_diags_appended);
  g_test_add_data_func ("/config/bad/nul-byte/ha.cf", "ha.cf", test_nul_byte);
  g_test_add_data_func ("/config/bad/nul-byte/haresources", "haresources", test_nul_byte);
  g_test_add_data_func ("/config/bad/nul-byte/authkeys", "authkeys", test_nul_byte);
  g_test_add_func ("/config/bad/garbage", test_garbage);
  g_test_add_func ("/config/bad/texts-unreadable", test_texts_unreadable);
  return g_test_run ();
}
