/* repl.h -- the interactive session at a terminal: libedit line editing,
 * the persistent history, Tab completion, signals, the prompt and the
 * greeting. What each line means is the session's business (session.h);
 * this module only reads lines and keeps the terminal sane.
 */
#ifndef MLCOACH_REPL_H
#define MLCOACH_REPL_H

#include "cmd.h"

/* Make the C library read and write UTF-8: setlocale(LC_CTYPE, ""), and
 * C.UTF-8 when the environment's codeset is not UTF-8 (LANG unset, say),
 * so accented input edits as single characters. */
void repl_locale(void);

/* Run a session on the terminal (standard input and output must both be
 * one) until /quit, Ctrl-D, SIGTERM or SIGHUP, answering with ctx's
 * knowledge, level and render options. History is loaded from and saved to
 * histfile_path(); a history that cannot be read or saved gives one warning
 * on stderr and the session goes on. Returns 0, CMD_IOERR when the terminal
 * cannot be written, or 128 + the signal number for SIGTERM and SIGHUP. */
int repl_run(struct cmd_ctx *ctx);

#endif
