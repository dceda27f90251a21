/* coachcmd.h -- the personal coaching commands: profile, assess, plan, done,
 * progress, export and forget.
 *
 * Each is one call with the same struct cmd_ctx every subcommand gets, its
 * arguments in ctx->args / ctx->nargs (without the command name), so the
 * command line (cmd_table) and the REPL's /profile, /assess, /plan, /done
 * and /progress run the same code and give the same results. They write to
 * ctx->out, report problems on stderr, read from ctx->in (assess, forget)
 * and return a cmd_exit code:
 *   0 done; 1 nothing to show yet (no plan, no assessment, nothing rated);
 *   64 bad arguments; 65 a personal file is damaged or from a newer mlcoach
 *   (it is named, left untouched, and nothing is saved to it), or assess got
 *   an answer that is not 1-5/s/empty; 73 the data directory or a file
 *   cannot be created; 74 reading, writing or syncing a file failed.
 */
#ifndef MLCOACH_COACHCMD_H
#define MLCOACH_COACHCMD_H

#include "cmd.h"
#include "util.h"

/* profile [--json]: show the profile. profile set KEY=VALUE...: change it
 * (level=junior|senior, years=N, focus=TOPIC,TOPIC, goals=TEXT; an empty
 * value clears a key) and rebuild the plan, keeping its done steps. */
int coach_cmd_profile(struct cmd_ctx *ctx);

/* assess: rate each statement 1-5 (empty line or "s" skips, "q" stops); one
 * answer per line when ctx->in is not a terminal. Shows scores, strengths and
 * the largest gaps with advice for ctx->level; saves the assessment with its
 * date and rebuilds the plan. */
int coach_cmd_assess(struct cmd_ctx *ctx);

/* plan [--json]: the steps toward the next level (built and saved on first
 * use if there is none). */
int coach_cmd_plan(struct cmd_ctx *ctx);

/* done N: mark step N of the plan done with today's date. */
int coach_cmd_done(struct cmd_ctx *ctx);

/* progress [--json]: each topic's score over the assessments as a small
 * chart (Unicode blocks in a UTF-8 locale, ASCII otherwise), and the plan's
 * completion. */
int coach_cmd_progress(struct cmd_ctx *ctx);

/* export: every personal file as one JSON document on ctx->out. */
int coach_cmd_export(struct cmd_ctx *ctx);

/* forget [--yes]: delete every personal file after a y/N question on a
 * terminal; without a terminal ctx->yes must be set. */
int coach_cmd_forget(struct cmd_ctx *ctx);

/* The level of the stored profile, for answers when --level is not given:
 * KB_LEVEL_ANY when there is no profile or it has no level. When the profile
 * cannot be used, *why says why (naming the file) and KB_LEVEL_ANY is
 * returned. */
enum kb_level coach_default_level(const struct kb *kb, struct sbuf *why);

#endif
