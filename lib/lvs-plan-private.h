/* systole: helpers shared by lib/lvs-plan*.c only. */
#pragma once

#include "lvs-plan.h"

G_BEGIN_DECLS

HbLvsVirtual *hb_lvs_virtual_new (HbLvsProto proto, const char *addr, guint16 port,
                                  const char *sched, guint persistence_s);
void hb_lvs_virtual_add_dest (HbLvsVirtual *v, const char *addr, guint16 port, HbLvsKind kind,
                              guint weight);
HbLvsVirtual *hb_lvs_table_find (const HbLvsTable *t, const HbLvsVirtual *like);
HbLvsDest *hb_lvs_virtual_find (const HbLvsVirtual *v, const HbLvsDest *like);

G_END_DECLS
