/* systole: what the ha.cf parser files share (lib/config-hacf*.c only).
 * One table (config-hacf.c) maps each directive to a handler; the handlers
 * live with their kind: generic values, nodes, media. */
#pragma once

#include "config-private.h"

G_BEGIN_DECLS

typedef struct HbHacfDirective HbHacfDirective;
typedef void (*HbHacfHandler) (HbConfigBuilder *b, const HbHacfDirective *d, guint line, char **values);

typedef enum
{
  HB_HACF_PER_WORD,     /* values split on blanks and commas, each applied */
  HB_HACF_REST_OF_LINE, /* media/plugin lines: the rest split on blanks only */
} HbHacfArgs;

struct HbHacfDirective
{
  const char *name;
  HbHacfHandler handler;
  HbHacfArgs args;
  gsize offset;                 /* field of HbConfig for the generic handlers */
  guint64 min, max;             /* hb_hacf_uint */
  const char *const *choices;   /* hb_hacf_choice */
  const char *note;             /* why a directive is ignored */
};

/* The field of HbConfig a generic handler writes. */
#define HB_HACF_FIELD(type, b, d) ((type *) (void *) ((char *) (b)->config + (d)->offset))

const char *hb_hacf_file (HbConfigBuilder *b);
/* The value of a single-valued directive (hb_hacf_apply() gives each value
 * of the line in turn). */
const char *hb_hacf_single (char **values);

/* config-hacf-values.c: directives that set one field of HbConfig. */
void hb_hacf_time (HbConfigBuilder *b, const HbHacfDirective *d, guint line, char **values);
void hb_hacf_time_positive (HbConfigBuilder *b, const HbHacfDirective *d, guint line, char **values);
void hb_hacf_time_seconds (HbConfigBuilder *b, const HbHacfDirective *d, guint line, char **values);
void hb_hacf_bool (HbConfigBuilder *b, const HbHacfDirective *d, guint line, char **values);
void hb_hacf_uint (HbConfigBuilder *b, const HbHacfDirective *d, guint line, char **values);
void hb_hacf_port (HbConfigBuilder *b, const HbHacfDirective *d, guint line, char **values);
void hb_hacf_string (HbConfigBuilder *b, const HbHacfDirective *d, guint line, char **values);
void hb_hacf_choice (HbConfigBuilder *b, const HbHacfDirective *d, guint line, char **values);
void hb_hacf_logfacility (HbConfigBuilder *b, const HbHacfDirective *d, guint line, char **values);

/* config-hacf-nodes.c: node, ping, ping_group. */
void hb_hacf_node (HbConfigBuilder *b, const HbHacfDirective *d, guint line, char **values);
void hb_hacf_ping (HbConfigBuilder *b, const HbHacfDirective *d, guint line, char **values);
void hb_hacf_ping_group (HbConfigBuilder *b, const HbHacfDirective *d, guint line, char **values);
/* The IPv4 address of a peer written as an address or a host name. */
char *hb_hacf_address (HbConfigBuilder *b, const char *what, const char *text, guint line);

/* config-hacf-media.c: bcast (and udp), ucast, mcast. */
void hb_hacf_bcast (HbConfigBuilder *b, const HbHacfDirective *d, guint line, char **values);
void hb_hacf_ucast (HbConfigBuilder *b, const HbHacfDirective *d, guint line, char **values);
void hb_hacf_mcast (HbConfigBuilder *b, const HbHacfDirective *d, guint line, char **values);

G_END_DECLS
