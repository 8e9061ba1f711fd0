/* Scenarios for the takeover engine (lib/takeover*): two engines wired
 * together in memory, a fake clock and fake agents. */
#include "test-takeover-harness.h"

static const TkGroupSpec seed_groups[] = { { "node1", "192.0.2.10" } };

static void
test_startup_both_off (void)
{
  g_autoptr (TkLab) lab = lab_new (HB_FAILBACK_OFF, seed_groups, 1);

  lab_start_both (lab);
  lab_advance (lab, 10000);
  lab_dump (lab, 0);
  lab_dump (lab, 1);
  g_assert_cmpstr (lab_runner (lab, "192.0.2.10"), ==, "node1");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/takeover/startup/both-off", test_startup_both_off);
  return g_test_run ();
}
