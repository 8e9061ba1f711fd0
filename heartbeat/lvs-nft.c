/* systole: nftables commands through libnftables. See lvs-nft.h. */
#include "lvs-nft.h"

#include <nftables/libnftables.h>

#include "lvs-backend.h"

gboolean
hb_lvs_nft_run (const char *commands, const char *what, char **out, char **err_out, GError **error)
{
  /* One context per command: ~0.1 ms, and the checker's worker thread never
   * shares one with anybody. */
  struct nft_ctx *nft = nft_ctx_new (NFT_CTX_DEFAULT);
  g_autofree char *err_text = NULL;
  gboolean ok;

  if (nft == NULL)
    {
      g_set_error (error, HB_LVS_DIRECTOR_ERROR, HB_LVS_DIRECTOR_ERROR_COMMAND,
                   "'nft %s' failed: libnftables could not set up a context", what);
      return FALSE;
    }
  nft_ctx_buffer_output (nft);
  nft_ctx_buffer_error (nft);
  ok = nft_run_cmd_from_buffer (nft, commands) == 0;
  if (ok && out != NULL)
    {
      *out = g_strdup (nft_ctx_get_output_buffer (nft));
    }
  if (!ok)
    {
      err_text = g_strstrip (g_strdup (nft_ctx_get_error_buffer (nft)));
      g_set_error (error, HB_LVS_DIRECTOR_ERROR, HB_LVS_DIRECTOR_ERROR_COMMAND, "'nft %s' failed: %s", what,
                   *err_text != '\0' ? err_text : "(no message)");
      if (err_out != NULL)
        {
          *err_out = g_steal_pointer (&err_text);
        }
    }
  nft_ctx_free (nft);
  return ok;
}
