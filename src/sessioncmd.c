/* sessioncmd.c -- the slash commands of a session. Start at session_cmds[]
 * at the bottom: one row per command drives dispatch, /help and completion.
 * Each command writes text, or one JSON object naming the command.
 */
#include <stdlib.h>
#include <string.h>

#include "reply.h"
#include "session_internal.h"

size_t session_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    size_t *row = xmalloc((lb + 1) * sizeof *row), d;

    for (size_t j = 0; j <= lb; j++)
        row[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t diag = row[0];

        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t up = row[j], best = diag + (a[i - 1] != b[j - 1]);

            if (up + 1 < best)
                best = up + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            diag = up;
            row[j] = best;
        }
    }
    d = row[lb];
    free(row);
    return d;
}

/* /more and /sources need an answer: say why there is none. */
static int no_answer(struct session *s, const char *command, const char *then)
{
    if (s->last_question)
        return session_error(s, command, "\"%s\" got no answer; ask another question. %s",
                             s->last_question, then);
    return session_error(s, command, "Ask a question first; %s", then);
}

/* The width of /help's first column: the longest "/name args", after two
 * spaces, and two before the description. When that leaves the
 * description too little room, each description goes under its command. */
#define HELP_MIN_TEXT 24
#define HELP_NARROW_INDENT 6

static unsigned help_column(const struct session *s)
{
    size_t wide = 0;

    for (const struct session_cmd *c = session_cmds; c->name; c++) {
        size_t n = 1 + strlen(c->name) + (*c->args ? 1 + strlen(c->args) : 0);

        wide = n > wide ? n : wide;
    }
    wide += 4;
    return s->render.width && wide + HELP_MIN_TEXT > s->render.width ? HELP_NARROW_INDENT
                                                                     : (unsigned)wide;
}

/* /help: the table itself, so a new row documents itself. */
static int cmd_help(struct session *s, const char *arg)
{
    json_t *list = json_array();
    unsigned cols = help_column(s);
    struct sbuf b = {0};
    int rc = 0;

    (void)arg;
    if (!s->json)
        rc = session_say(s, "Commands:");
    for (const struct session_cmd *c = session_cmds; c->name && rc == 0; c++) {
        struct sbuf name = {0};

        sbuf_printf(&name, "  /%s%s%s", c->name, *c->args ? " " : "", c->args);
        if (s->json)
            json_array_append_new(list, json_pack("{s:s, s:s, s:s}", "name", name.s + 2, "args",
                                                  c->args, "help", c->help));
        else
            render_hanging(&b, name.s, c->help, s->render.width, cols);
        sbuf_free(&name);
    }
    if (s->json)
        return session_json(s, json_pack("{s:s, s:o}", "command", "help", "commands", list));
    json_decref(list);
    sbuf_putc(&b, '\n');
    if (rc || session_write(s, &b) != 0)
        return -1;
    return session_say(s, "After an answer you can say \"tell me more\", \"why?\", "
                          "\"example?\", \"what do you mean?\", \"sources?\" or \"what "
                          "about seniors?\". A number picks from the last numbered list "
                          "(See also, /topic, suggestions). Tab completes commands, topics "
                          "and words.");
}

static int cmd_topics(struct session *s, const char *arg)
{
    json_t *list;

    (void)arg;
    /* The same renderer as `mlcoach topics`, so the two lists agree. */
    if (!s->json) {
        if (render_topics(s->out, s->kb, 0, s->render.width) != 0)
            return -1;
        return session_say(s, "/topic NAME lists a topic's entries.");
    }
    list = json_array();
    for (size_t i = 0; i < KB_NTOPICS; i++) {
        const struct kb_topic *t = &s->kb->topic_list[i];

        json_array_append_new(list, json_pack("{s:s, s:i, s:s}", "topic", t->name, "entries",
                                              (int)t->nentries, "about", t->about));
    }
    return session_json(s, json_pack("{s:s, s:o}", "command", "topics", "topics", list));
}

/* How far name is from topic: the edit distance to the whole name, to
 * each of its hyphenated words ("carreer" is 1 from "career" in
 * "career-paths") and to its start as long as name, whichever is least. */
static size_t topic_distance(const char *name, const char *topic)
{
    size_t best = session_distance(name, topic), len = strlen(name);
    char *copy = xstrdup(topic);

    for (char *w = strtok(copy, "-"); w; w = strtok(NULL, "-")) {
        size_t d = session_distance(name, w);

        best = d < best ? d : best;
    }
    if (strlen(topic) > len) {
        size_t d;

        copy[0] = '\0';
        strncat(copy, topic, len);
        d = session_distance(name, copy);
        best = d < best ? d : best;
    }
    free(copy);
    return best;
}

/* The topic named name, or NULL after naming the closest ones: those that
 * start with name, else the nearest (topic_distance). */
static const struct kb_topic *find_topic(struct session *s, const char *name, int *rc)
{
    const struct kb_topic *t = kb_topic_find(s->kb, name);
    const char *best = kb_topic_names[0];
    struct sbuf starts = {0};
    size_t nstarts = 0;

    if (t)
        return t;
    for (size_t i = 0; i < KB_NTOPICS; i++) {
        if (strncmp(kb_topic_names[i], name, strlen(name)) == 0)
            sbuf_printf(&starts, "%s%s", nstarts++ ? " or " : "", kb_topic_names[i]);
        if (topic_distance(name, kb_topic_names[i]) < topic_distance(name, best))
            best = kb_topic_names[i];
    }
    *rc = session_error(s, "topic", "There is no topic '%s'. Did you mean %s? (/topics lists "
                        "them)", name, nstarts ? starts.s : best);
    sbuf_free(&starts);
    return NULL;
}

/* /topic NAME: the topic's entries by title, numbered; they become the
 * list a bare number picks from. */
static int cmd_topic(struct session *s, const char *arg)
{
    const struct kb_topic *t;
    json_t *list = json_array(), *titles = json_array();
    int rc = 0;

    if (!(t = find_topic(s, arg, &rc))) { /* arg: the table says there is one */
        json_decref(list);
        json_decref(titles);
        return rc;
    }
    session_set_list(s, (const struct kb_entry *const *)t->entries, t->nentries);
    if (!s->json)
        rc = session_say(s, "%s: %s", t->name, t->about);
    for (size_t i = 0; i < t->nentries && rc == 0; i++) {
        const struct kb_entry *e = t->entries[i];

        if (s->json) {
            json_array_append_new(list, json_string(reply_question_of(e)));
            json_array_append_new(titles, json_string(e->title));
        } else {
            rc = session_say(s, "  %zu. %s", i + 1, e->title);
        }
    }
    if (s->json)
        return session_json(s, json_pack("{s:s, s:s, s:o, s:o}", "command", "topic", "topic",
                                          t->name, "titles", titles, "questions", list));
    json_decref(list);
    json_decref(titles);
    return rc ? rc : session_say(s, t->nentries ? "Type a number to read one." : "(no entries)");
}

/* The level closest to name, as a hint. */
static const char *closest_level(const char *name)
{
    int best = 0;

    for (int l = 1; l < KB_NLEVELS; l++)
        if (session_distance(name, kb_level_name((enum kb_level)l)) <
            session_distance(name, kb_level_name((enum kb_level)best)))
            best = l;
    return kb_level_name((enum kb_level)best);
}

/* /level LEVEL sets the level for the questions that follow; /level alone
 * says what it is. Follow-ups like "what about seniors?" leave it alone.
 * Case does not matter ("Senior"). */
static int cmd_level(struct session *s, const char *arg)
{
    int level = arg ? kb_level_parse_typed(arg) : (int)s->level;

    if (level < 0)
        return session_error(s, "level", "Levels are junior, senior and any; '%s' is not one. "
                             "Did you mean %s?", arg, closest_level(arg));
    s->level = (enum kb_level)level;
    if (s->json)
        return session_json(s, json_pack("{s:s, s:s}", "command", "level", "level",
                                         kb_level_name(s->level)));
    if (s->level == KB_LEVEL_ANY)
        return session_say(s, "Answers are for any level%s.",
                           arg ? "" : " (/level junior or /level senior tailors them)");
    return session_say(s, "Answers are tailored for %ss.", kb_level_name(s->level));
}

/* /more walks the related list of the entry the last question chose, not
 * of whatever /more showed last, so repeating it goes down one list. */
static int cmd_more(struct session *s, const char *arg)
{
    const struct kb_entry *e = s->more_of;

    (void)arg;
    if (!e)
        return no_answer(s, "more", "/more then gives related advice.");
    if (s->more_next >= e->nrelated)
        return session_error(s, "more", "That is all the related advice on \"%s\". /topic %s "
                             "lists the rest of its topic.", e->title, e->topic->name);
    e = e->related[s->more_next++];
    return session_show_entry(s, e, s->level, reply_question_of(e));
}

/* The candidates of a match as [{intent, score}], best first. */
static json_t *candidates_json(const struct match_result *r)
{
    json_t *a = json_array();

    for (size_t i = 0; i < r->ntop; i++)
        json_array_append_new(a, json_pack("{s:s, s:f}", "intent", r->top[i].entry->id,
                                           "score", r->top[i].score));
    return a;
}

static int cmd_why(struct session *s, const char *arg)
{
    struct match_result r;
    struct reply rep;

    (void)arg;
    if (!s->last_question)
        return session_error(s, "why", "Ask a question first; /why then shows how it was "
                             "answered.");
    /* The matcher is deterministic: asking again rebuilds the very result
     * the answer came from, with nothing copied out of its buffers. */
    match_question(s->matcher, s->last_question, strlen(s->last_question), s->last_level, &r);
    reply_build(s->kb, &r, s->last_question, s->last_level, &rep);
    if (s->json)
        return session_json(s, json_pack("{s:s, s:o, s:o, s:b, s:o, s:f, s:f, s:o, s:o}",
                                         "command", "why", "question",
                                         render_json_text(s->last_question), "normalised",
                                         render_json_text(r.norm), "answered", rep.answered,
                                         "intent", rep.entry ? json_string(rep.entry->id)
                                                             : json_null(),
                                         "confidence", r.confidence, "threshold",
                                         MATCH_THRESHOLD, "candidates", candidates_json(&r),
                                         "shown", s->last_entry ? json_string(s->last_entry->id)
                                                                : json_null()));
    if (s->last_entry && s->last_entry != rep.entry &&
        session_say(s, "\"%s\" came from /more: it is related advice listed under %s. The "
                    "question \"%s\" was answered like this:", s->last_entry->title,
                    s->more_of->id, s->last_question) != 0)
        return -1;
    return render_explain(s->out, &rep, &s->render);
}

/* /sources: each cited section with its reference and the document's
 * file, so a reader can open the text the advice was written from. */
static int cmd_sources(struct session *s, const char *arg)
{
    const struct kb_entry *e = s->last_entry;
    json_t *list = json_array();
    int rc = 0;

    (void)arg;
    if (!e) {
        json_decref(list);
        return no_answer(s, "sources", "/sources then cites the answer in full.");
    }
    if (!s->json)
        rc = session_say(s, "Sources of \"%s\" (%s):", e->title, e->id);
    for (size_t i = 0; i < e->nsources && rc == 0; i++) {
        const struct kb_section *sec = e->sources[i];

        if (s->json)
            json_array_append_new(list, json_pack("{s:s, s:s, s:s, s:s, s:s}", "doc",
                                                  sec->doc->id, "title", sec->doc->title,
                                                  "section", sec->title, "ref", sec->ref,
                                                  "file", sec->doc->file ? sec->doc->file : ""));
        else
            rc = session_say(s, "  %zu. %s \xE2\x80\x94 %s [%s%s%s]", i + 1,
                             sec->doc->title, sec->title, sec->ref,
                             sec->doc->file ? ", file " : "",
                             sec->doc->file ? sec->doc->file : "");
    }
    if (s->json)
        return session_json(s, json_pack("{s:s, s:s, s:o}", "command", "sources", "intent",
                                          e->id, "sources", list));
    json_decref(list);
    return rc;
}

/* /history: the REPL's history (kept between sessions), or in pipe mode
 * the lines read so far, numbered, each wrapped under its number. */
static int cmd_history(struct session *s, const char *arg)
{
    const struct histfile *h = s->history;
    json_t *list = json_array();
    struct sbuf b = {0};

    (void)arg;
    for (size_t i = 0; h && i < h->n; i++) {
        char label[32];

        if (s->json) {
            json_array_append_new(list, render_json_text(h->lines[i])); /* piped: any bytes */
            continue;
        }
        snprintf(label, sizeof label, "%5zu  ", i + 1);
        render_hanging(&b, label, h->lines[i], s->render.width, (unsigned)strlen(label));
    }
    if (s->json)
        return session_json(s, json_pack("{s:s, s:o}", "command", "history", "entries", list));
    json_decref(list);
    return h && h->n ? session_write(s, &b) : session_say(s, "No history yet.");
}

/* /clear forgets the conversation; clearing the screen is the REPL's job,
 * so a piped /clear writes no escape codes. */
static int cmd_clear(struct session *s, const char *arg)
{
    (void)arg;
    session_forget(s);
    s->clear = 1;
    return s->json ? session_json(s, json_pack("{s:s}", "command", "clear")) : 0;
}

/* /quit: in JSON it still answers, so every input line gets one object. */
static int cmd_quit(struct session *s, const char *arg)
{
    (void)arg;
    s->quit = 1;
    return s->json ? session_json(s, json_pack("{s:s}", "command", "quit")) : 0;
}

/* To add a command: write cmd_NAME above and add a row here; /help,
 * completion and the unknown-command hint pick it up. */
const struct session_cmd session_cmds[] = {
    {"help", "", "list the commands", SESSION_ARG_NONE, 0, 0, cmd_help},
    {"topics", "", "list the topics", SESSION_ARG_NONE, 0, 0, cmd_topics},
    {"topic", "NAME", "the topic's entries by title, numbered", SESSION_ARG_TOPIC, 1, 1,
     cmd_topic},
    {"level", "junior|senior|any", "tailor answers to a level", SESSION_ARG_LEVEL, 0, 1,
     cmd_level},
    {"more", "", "the next related advice", SESSION_ARG_NONE, 0, 0, cmd_more},
    {"why", "", "how the last answer was chosen", SESSION_ARG_NONE, 0, 0, cmd_why},
    {"sources", "", "full citations of the last answer", SESSION_ARG_NONE, 0, 0, cmd_sources},
    {"profile", "[set KEY=VALUE...]", "show or change your profile", SESSION_ARG_NONE, 0, -1,
     session_cmd_profile},
    {"assess", "", "rate yourself on the statements; see your gaps", SESSION_ARG_NONE, 0, 0,
     session_cmd_assess},
    {"plan", "", "your steps toward the next level", SESSION_ARG_NONE, 0, 0, session_cmd_plan},
    {"done", "N", "mark step N of the plan done", SESSION_ARG_NONE, 1, 1, session_cmd_done},
    {"progress", "", "your scores over time and the plan's completion", SESSION_ARG_NONE, 0, 0,
     session_cmd_progress},
    {"export", "", "all your personal data as one JSON document", SESSION_ARG_NONE, 0, 0,
     session_cmd_export},
    {"forget", "[--yes]", "delete all your personal data (asks first)", SESSION_ARG_NONE, 0, 1,
     session_cmd_forget},
    {"history", "", "the questions asked so far", SESSION_ARG_NONE, 0, 0, cmd_history},
    {"clear", "", "clear the screen and forget the conversation", SESSION_ARG_NONE, 0, 0,
     cmd_clear},
    {"quit", "", "end the session (Ctrl-D too)", SESSION_ARG_NONE, 0, 0, cmd_quit},
    {NULL, NULL, NULL, SESSION_ARG_NONE, 0, 0, NULL},
};

const struct session_cmd *session_cmd_find(const char *name)
{
    for (const struct session_cmd *c = session_cmds; c->name; c++)
        if (strcmp(c->name, name) == 0)
            return c;
    return NULL;
}

const struct session_cmd *session_cmd_closest(const char *name)
{
    const struct session_cmd *best = session_cmds;

    if (*name)
        for (const struct session_cmd *c = session_cmds; c->name; c++)
            if (strncmp(c->name, name, strlen(name)) == 0)
                return c; /* "/he" means /help, however far the distance */
    for (const struct session_cmd *c = session_cmds + 1; c->name; c++)
        if (session_distance(name, c->name) < session_distance(name, best->name))
            best = c;
    return best;
}
