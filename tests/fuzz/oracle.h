/* oracle.h -- properties every fuzz target checks of what mlcoach writes,
 * shared so that each target means the same thing by "safe output". Each
 * check aborts (a finding for libFuzzer, a failed replay for `make test`)
 * when the property does not hold.
 */
#ifndef MLCOACH_FUZZ_ORACLE_H
#define MLCOACH_FUZZ_ORACLE_H

#include <stddef.h>

/* Every line of the n bytes at s is one JSON object, and the last line
 * ends with a newline (JSON Lines). */
void oracle_json_lines(const char *s, size_t n);

/* The n bytes at s are one JSON object (pretty-printed output). */
void oracle_json_document(const char *s, size_t n);

/* The n bytes at s hold nothing a terminal would act on: valid UTF-8 with
 * no C0 or C1 control character but newline, no DEL, and no escape apart
 * from render.c's own bold, dim and reset when color is set. */
void oracle_text(const char *s, size_t n, int color);

#endif
