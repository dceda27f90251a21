/* lint.c -- warnings about patterns that can backtrack catastrophically.
 *
 * lint_patterns() runs each check of checks[] on every pattern of the
 * knowledge: a scan of the regex for nested unbounded quantifiers, then
 * probe strings run with matcher's own limits. A pattern gets at most one
 * warning, from the first check that finds something.
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "lint.h"
#include "lint_internal.h"

#include <pcre2.h>
#include <string.h>

#include "match.h"

/* Groups nested deeper than this are not scanned (no warning either way). */
#define LINT_MAX_DEPTH 64

/* The quantifier at r, if any: its length, whether it has no upper bound
 * ('*', '+', "{n,}") and whether it is possessive (a '+' after it). */
struct quant {
    size_t len;
    int unbounded, possessive;
};

static struct quant quantifier_at(const char *r)
{
    struct quant q = {0, 0, 0};

    if (*r == '*' || *r == '+' || *r == '?') {
        q.len = 1;
        q.unbounded = *r != '?';
    } else if (*r == '{') {
        size_t i = 1;

        while (r[i] >= '0' && r[i] <= '9')
            i++;
        if (i == 1 || (r[i] != '}' && r[i] != ','))
            return q; /* a literal '{' */
        if (r[i] == ',') {
            size_t digits = ++i;

            while (r[i] >= '0' && r[i] <= '9')
                i++;
            if (r[i] != '}')
                return q;
            q.unbounded = i == digits;
        }
        q.len = i + 1;
    }
    if (q.len && (r[q.len] == '+' || r[q.len] == '?')) {
        q.possessive = r[q.len] == '+';
        q.len++;
    }
    return q;
}

size_t lint_escape_len(const char *r)
{
    size_t n = r[1] ? 2 : 1;

    if (r[1] && r[n] == '{' && strchr("pPxoNkgu", r[1]))
        while (r[n] && r[n++] != '}')
            ;
    return n;
}

size_t lint_class_len(const char *r)
{
    size_t i = 1;

    if (r[i] == '^')
        i++;
    if (r[i] == ']')
        i++; /* a ']' first is literal */
    while (r[i] && r[i] != ']') {
        if (r[i] == '\\' && r[i + 1])
            i++;
        else if (r[i] == '[' && r[i + 1] == ':' && strstr(r + i, ":]"))
            i = (size_t)(strstr(r + i, ":]") - r) + 1;
        i++;
    }
    return r[i] ? i + 1 : i;
}

/* The offset in regex of the first quantifier that repeats, without bound,
 * a group that itself repeats without bound, or -1. Atomic groups and
 * possessive quantifiers cannot backtrack into and do not count. */
static long nested_quantifier(const char *r)
{
    struct {
        int repeats, atomic;
    } stack[LINT_MAX_DEPTH + 1] = {{0, 0}};
    size_t depth = 0, i = 0;

    while (r[i]) {
        struct quant q;
        int group_repeats = 0, atomic = 0;

        if (r[i] == '\\') {
            i += lint_escape_len(r + i);
        } else if (r[i] == '[') {
            i += lint_class_len(r + i);
        } else if (r[i] == '(') {
            if (depth == LINT_MAX_DEPTH)
                return -1;
            atomic = strncmp(r + i, "(?>", 3) == 0 || strncmp(r + i, "(*atomic:", 9) == 0;
            stack[++depth].repeats = 0;
            stack[depth].atomic = atomic;
            i += r[i + 1] == '?' || r[i + 1] == '*' ? 2 : 1; /* "(?" is no quantifier */
            continue;
        } else if (r[i] == ')' && depth > 0) {
            group_repeats = stack[depth].repeats && !stack[depth].atomic;
            depth--;
            i++;
        } else {
            i++;
        }
        q = quantifier_at(r + i);
        if (group_repeats && q.unbounded && !q.possessive)
            return (long)i;
        stack[depth].repeats |= group_repeats || (q.unbounded && !q.possessive);
        i += q.len;
    }
    return -1;
}

/* Does re hit a match limit on any probe built from the letters of regex?
 * The probe that did is left in probe. */
static int hits_limit(pcre2_code *re, const char *regex, pcre2_match_data *md,
                      pcre2_match_context *mctx, char *probe)
{
    char seen[128] = {0};

    for (const char *p = regex; *p; p++) {
        unsigned char c = (unsigned char)*p;

        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) || seen[c])
            continue;
        seen[c] = 1;
        for (int spaced = 0; spaced < 2; spaced++) {
            size_t n = 0;
            int rc;

            for (size_t k = 0; k < LINT_PROBE_LEN; k++) {
                probe[n++] = (char)c;
                if (spaced)
                    probe[n++] = ' ';
            }
            probe[n++] = '!';
            probe[n] = '\0';
            rc = pcre2_match(re, (PCRE2_SPTR)probe, n, 0, 0, md, mctx);
            if (rc == PCRE2_ERROR_MATCHLIMIT || rc == PCRE2_ERROR_DEPTHLIMIT ||
                rc == PCRE2_ERROR_HEAPLIMIT)
                return 1;
        }
    }
    return 0;
}

struct lint {
    const struct kb *kb;
    struct diag *d;
    pcre2_match_data *md;
    pcre2_match_context *mctx;
};

typedef int (*check_fn)(struct lint *l, const struct kb_entry *e, const struct kb_pattern *p);

static int check_nested(struct lint *l, const struct kb_entry *e, const struct kb_pattern *p)
{
    long at = nested_quantifier(p->regex);
    size_t src;

    if (at < 0)
        return 0;
    src = kb_pattern_src_offset(l->kb, p, (size_t)at);
    diag_add(l->d, p->mark.file, p->mark.line, kb_pattern_col(p, src),
             "warning: nested quantifier in a pattern of entry '%s': a group that repeats "
             "is repeated again, so a question can make it backtrack until the match "
             "limit; make the inner or outer repeat possessive (++, *+) or the group "
             "atomic (?>...)", e->id);
    return 1;
}

static int check_probe(struct lint *l, const struct kb_entry *e, const struct kb_pattern *p)
{
    char probe[2 * LINT_PROBE_LEN + 2];
    int code, hit;
    PCRE2_SIZE off;
    pcre2_code *re = pcre2_compile((PCRE2_SPTR)p->regex, PCRE2_ZERO_TERMINATED,
                                   PCRE2_CASELESS | PCRE2_UTF | PCRE2_UCP, &code, &off, NULL);

    if (!re)
        return 0; /* match_new reports it */
    hit = hits_limit(re, p->regex, l->md, l->mctx, probe);
    pcre2_code_free(re);
    if (!hit)
        return 0;
    diag_add(l->d, p->mark.file, p->mark.line, p->mark.col,
             "warning: a pattern of entry '%s' hits the match limit on the probe \"%.12s...\" "
             "(%zu bytes): it backtracks catastrophically, costs questions like it the "
             "whole limit and then never matches them", e->id, probe, strlen(probe));
    return 1;
}

/* The checks, in order; a pattern gets the first warning only. To add one:
 * write check_NAME above (return 1 after adding a warning) and list it. */
static const check_fn checks[] = {check_nested, check_probe};

size_t lint_patterns(const struct kb *kb, struct diag *d)
{
    struct lint l = {kb, d, pcre2_match_data_create(1, NULL), pcre2_match_context_create(NULL)};
    size_t warnings = 0;

    if (!l.md || !l.mctx)
        xmalloc((size_t)-1); /* PCRE2 fails these only when memory is gone */
    pcre2_set_match_limit(l.mctx, MATCH_LIMIT);
    pcre2_set_depth_limit(l.mctx, MATCH_DEPTH_LIMIT);
    for (size_t i = 0; i < kb->nentries; i++) {
        const struct kb_entry *e = kb->entry_list[i];

        for (size_t k = 0; k < e->npatterns; k++)
            for (size_t c = 0; c < sizeof checks / sizeof *checks; c++)
                if (checks[c](&l, e, &e->patterns[k])) {
                    warnings++;
                    break;
                }
    }
    pcre2_match_data_free(l.md);
    pcre2_match_context_free(l.mctx);
    return warnings;
}
