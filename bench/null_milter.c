/* null_milter: the do-nothing floor for `make bench`. A libmilter daemon that
 * receives what a verifying milter must receive (connect, HELO, MAIL FROM,
 * RCPT TO, every header field, end of headers, the body), negotiates the same
 * no-reply flags alignd asks for (SMFIP_NR_*), answers only at end of message
 * and inserts one header field there. It checks nothing: whatever alignd costs
 * above this is the price of the checks.
 *
 * usage: null_milter unix:/path/to/socket
 */
#include <libmilter/mfapi.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The protocol flags negotiated for this connection, kept in the private pointer.
 * A callback for a stage whose reply was waived (SMFIP_NR_*) must return
 * SMFIS_NOREPLY: returning SMFIS_CONTINUE there makes libmilter log an error
 * through syslog for every such event (a socket, a connect and a close per header
 * field where no syslog daemon listens), which is not the floor. */
static sfsistat nr(SMFICTX *c, unsigned long flag) {
  return ((unsigned long)(uintptr_t)smfi_getpriv(c) & flag) ? SMFIS_NOREPLY : SMFIS_CONTINUE;
}

static sfsistat nm_negotiate(SMFICTX *ctx, unsigned long f0, unsigned long f1, unsigned long f2,
                             unsigned long f3, unsigned long *pf0, unsigned long *pf1,
                             unsigned long *pf2, unsigned long *pf3) {
  (void)f2, (void)f3;
  *pf0 = f0 & SMFIF_ADDHDRS;
  *pf1 = f1 & (SMFIP_NR_CONN | SMFIP_NR_HELO | SMFIP_NR_RCPT | SMFIP_NR_HDR | SMFIP_NR_EOH |
               SMFIP_NR_BODY | SMFIP_NOUNKNOWN | SMFIP_NODATA | SMFIP_HDR_LEADSPC);
  *pf2 = *pf3 = 0;
  smfi_setpriv(ctx, (void *)(uintptr_t)*pf1);
  return SMFIS_CONTINUE;
}
static sfsistat nm_connect(SMFICTX *c, char *h, _SOCK_ADDR *a) { (void)h, (void)a; return nr(c, SMFIP_NR_CONN); }
static sfsistat nm_helo(SMFICTX *c, char *h) { (void)h; return nr(c, SMFIP_NR_HELO); }
static sfsistat nm_envfrom(SMFICTX *c, char **a) { (void)c, (void)a; return SMFIS_CONTINUE; }
static sfsistat nm_envrcpt(SMFICTX *c, char **a) { (void)a; return nr(c, SMFIP_NR_RCPT); }
static sfsistat nm_header(SMFICTX *c, char *n, char *v) { (void)n, (void)v; return nr(c, SMFIP_NR_HDR); }
static sfsistat nm_eoh(SMFICTX *c) { return nr(c, SMFIP_NR_EOH); }
static sfsistat nm_body(SMFICTX *c, unsigned char *b, size_t n) { (void)b, (void)n; return nr(c, SMFIP_NR_BODY); }
static sfsistat nm_eom(SMFICTX *ctx) {
  smfi_insheader(ctx, 0, "X-Null-Milter", " seen");
  return SMFIS_CONTINUE;
}

/* libmilter warns through syslog when the private pointer is not NULL at close. */
static sfsistat nm_close(SMFICTX *ctx) {
  smfi_setpriv(ctx, NULL);
  return SMFIS_CONTINUE;
}

static struct smfiDesc desc = {
    "null_milter", SMFI_VERSION, SMFIF_ADDHDRS,
    nm_connect, nm_helo, nm_envfrom, nm_envrcpt, nm_header, nm_eoh, nm_body, nm_eom,
    NULL /* abort */, nm_close, NULL /* unknown */, NULL /* data */, nm_negotiate,
};

int main(int argc, char **argv) {
  if (argc != 2 || strncmp(argv[1], "unix:", 5) != 0) {
    fprintf(stderr, "usage: null_milter unix:/path/to/socket\n");
    return 2;
  }
  unlink(argv[1] + 5);
  umask(0);
  if (smfi_setconn(argv[1]) != MI_SUCCESS || smfi_register(desc) != MI_SUCCESS) return 1;
  return smfi_main() == MI_SUCCESS ? 0 : 1;
}
