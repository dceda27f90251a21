/* yamldoc.c -- print a C source holding the YAML documents of FILE... as
 * libyaml's yaml_parser_load() reads them, for kb_load_builtin(): parsing
 * the knowledge is a third of every start-up, and its result never changes
 * between builds. The output holds no pointers (so it needs no relocations
 * and stays read-only): nodes refer to text, items and pairs by offset, and
 * kb_yaml_load() turns a document back into a yaml_document_t. The layout
 * is struct kb_yaml_node and struct kb_yaml_doc in src/kb_internal.h.
 *
 * usage: yamldoc FILE... > builtin_yaml.c
 * A file that libyaml cannot read stops the build with FILE:LINE:COL.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

/* Every tag and scalar value, NUL-terminated, back to back. */
static unsigned char *text;
static size_t ntext, text_cap;

static size_t add_text(const unsigned char *s, size_t len)
{
    size_t at = ntext;

    while (ntext + len + 1 > text_cap) {
        text_cap = text_cap ? 2 * text_cap : 1 << 16;
        text = realloc(text, text_cap);
        if (!text) {
            perror("yamldoc");
            exit(1);
        }
    }
    memcpy(text + ntext, s, len);
    text[ntext + len] = '\0';
    ntext += len + 1;
    return at;
}

/* Tags repeat ("tag:yaml.org,2002:str"): keep each once. */
static size_t add_tag(const unsigned char *tag)
{
    static size_t seen[16], nseen;

    for (size_t i = 0; i < nseen; i++)
        if (strcmp((const char *)text + seen[i], (const char *)tag) == 0)
            return seen[i];
    if (nseen == sizeof seen / sizeof *seen)
        return add_text(tag, strlen((const char *)tag));
    return seen[nseen++] = add_text(tag, strlen((const char *)tag));
}

static size_t nitems, npairs, nnodes;

static void load(const char *path, yaml_document_t *doc)
{
    FILE *f = fopen(path, "rb");
    yaml_parser_t parser;

    if (!f || !yaml_parser_initialize(&parser)) {
        perror(path);
        exit(1);
    }
    yaml_parser_set_input_file(&parser, f);
    if (!yaml_parser_load(&parser, doc)) {
        fprintf(stderr, "%s:%zu:%zu: YAML syntax error: %s\n", path,
                parser.problem_mark.line + 1, parser.problem_mark.column + 1,
                parser.problem ? parser.problem : "unknown problem");
        exit(1);
    }
    yaml_parser_delete(&parser);
    fclose(f);
}

static void print_mark(const yaml_mark_t *m)
{
    printf("{%zu, %zu, %zu}", m->index, m->line, m->column);
}

/* Print the nodes of doc (their items and pairs are printed afterwards, in
 * the same order, which is how first is counted). */
static void print_nodes(yaml_document_t *doc)
{
    for (yaml_node_t *n = doc->nodes.start; n < doc->nodes.top; n++) {
        size_t tag = add_tag(n->tag), value = 0, length = 0, first = 0, count = 0;

        if (n->type == YAML_SCALAR_NODE) {
            value = add_text(n->data.scalar.value, n->data.scalar.length);
            length = n->data.scalar.length;
        } else if (n->type == YAML_SEQUENCE_NODE) {
            first = nitems;
            count = (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
            nitems += count;
        } else if (n->type == YAML_MAPPING_NODE) {
            first = npairs;
            count = (size_t)(n->data.mapping.pairs.top - n->data.mapping.pairs.start);
            npairs += count;
        }
        printf("    {%d, %d, %zu, %zu, %zu, %zu, %zu, ", (int)n->type,
               n->type == YAML_SCALAR_NODE ? (int)n->data.scalar.style
               : n->type == YAML_SEQUENCE_NODE ? (int)n->data.sequence.style
               : (int)n->data.mapping.style, tag, value, length, first, count);
        print_mark(&n->start_mark);
        printf(", ");
        print_mark(&n->end_mark);
        printf("},\n");
        nnodes++;
    }
}

static void print_items(yaml_document_t *doc)
{
    for (yaml_node_t *n = doc->nodes.start; n < doc->nodes.top; n++)
        for (yaml_node_item_t *it = n->type == YAML_SEQUENCE_NODE ? n->data.sequence.items.start
                                                                  : NULL;
             it && it < n->data.sequence.items.top; it++)
            printf("    %d,\n", *it);
}

static void print_pairs(yaml_document_t *doc)
{
    for (yaml_node_t *n = doc->nodes.start; n < doc->nodes.top; n++)
        for (yaml_node_pair_t *p = n->type == YAML_MAPPING_NODE ? n->data.mapping.pairs.start
                                                                : NULL;
             p && p < n->data.mapping.pairs.top; p++)
            printf("    {%d, %d},\n", p->key, p->value);
}

/* The text as an array of bytes (a string literal this long is beyond
 * what ISO C promises, and -Wpedantic says so). */
static void print_text(void)
{
    printf("static const char text[] = {");
    for (size_t i = 0; i < ntext; i++)
        printf("%s0x%02x,", i % 16 ? "" : "\n   ", text[i]);
    printf("\n    0x00,\n};\n\n");
}

int main(int argc, char **argv)
{
    yaml_document_t *docs = calloc((size_t)(argc > 1 ? argc - 1 : 1), sizeof *docs);
    size_t *first = calloc((size_t)(argc > 1 ? argc : 1), sizeof *first);

    if (!docs || !first) {
        perror("yamldoc");
        return 1;
    }
    printf("/* Generated by tools/yamldoc from the knowledge files. Do not edit. */\n"
           "#include \"kb_internal.h\"\n\nstatic const struct kb_yaml_node nodes[] = {\n");
    for (int i = 1; i < argc; i++) {
        load(argv[i], &docs[i - 1]);
        first[i - 1] = nnodes;
        print_nodes(&docs[i - 1]);
    }
    printf("    {0, 0, 0, 0, 0, 0, 0, {0, 0, 0}, {0, 0, 0}},\n};\n\n"
           "static const yaml_node_item_t items[] = {\n");
    for (int i = 1; i < argc; i++)
        print_items(&docs[i - 1]);
    printf("    0,\n};\n\nstatic const yaml_node_pair_t pairs[] = {\n");
    for (int i = 1; i < argc; i++)
        print_pairs(&docs[i - 1]);
    printf("    {0, 0},\n};\n\n");
    print_text();
    printf("const struct kb_yaml_doc kb_builtin_docs[] = {\n");
    for (int i = 1; i < argc; i++) {
        yaml_document_t *d = &docs[i - 1];

        printf("    {%zu, %zu, %d, %d, ", first[i - 1],
               (size_t)(d->nodes.top - d->nodes.start), d->start_implicit, d->end_implicit);
        print_mark(&d->start_mark);
        printf(", ");
        print_mark(&d->end_mark);
        printf("},\n");
        yaml_document_delete(d);
    }
    printf("    {0, 0, 0, 0, {0, 0, 0}, {0, 0, 0}},\n};\n\n"
           "const struct kb_yaml_image kb_builtin_yaml = {nodes, items, pairs, text};\n");
    free(docs);
    free(first);
    free(text);
    return ferror(stdout) ? 1 : 0;
}
