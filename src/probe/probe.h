/* probe.h: `plainsight probe`, the active check of a mail server's
 * POP3/IMAP security posture (docs/probe.md).
 *
 * The passive sensor shows who logs in in cleartext; probe shows the
 * server's side of the same checklist: is secure login enforced, does
 * STARTTLS work, will clients trust the certificate.
 */
#ifndef PLAINSIGHT_PROBE_H
#define PLAINSIGHT_PROBE_H

/* probe_main(): run the command.  argv[0] is "probe"; the options and
 * targets follow.  Returns the exit status: 0 every check passed
 * (warnings allowed), 1 a check failed, 2 a usage error or a port that
 * could not be checked.  Never exits. */
int probe_main(int argc, char **argv);

#endif
