/* replay.c -- a main() for a libFuzzer target built without libFuzzer:
 * `replay_NAME FILE...` runs each file through LLVMFuzzerTestOneInput,
 * exactly as the fuzzer would. `make test` uses it to replay the seed
 * corpus and every input that once crashed (tests/fuzz/regressions/).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
/* Optional in a target, as in libFuzzer. */
int LLVMFuzzerInitialize(int *argc, char ***argv) __attribute__((weak));

/* Read path whole into a new buffer; NULL if it cannot be read. */
static uint8_t *slurp(const char *path, size_t *size)
{
    FILE *f = fopen(path, "rb");
    uint8_t *buf = NULL;
    size_t cap = 0, got;

    *size = 0;
    if (!f)
        return NULL;
    do {
        uint8_t *grown;

        cap = cap ? cap * 2 : 4096;
        grown = realloc(buf, cap);
        if (!grown) {
            free(buf);
            fclose(f);
            return NULL;
        }
        buf = grown;
        got = fread(buf + *size, 1, cap - *size, f);
        *size += got;
    } while (*size == cap);
    if (ferror(f)) {
        free(buf);
        buf = NULL;
    }
    fclose(f);
    return buf;
}

int main(int argc, char **argv)
{
    int status = 0;

    if (LLVMFuzzerInitialize)
        LLVMFuzzerInitialize(&argc, &argv);
    for (int i = 1; i < argc; i++) {
        size_t size;
        uint8_t *data = slurp(argv[i], &size);

        if (!data) {
            fprintf(stderr, "replay: cannot read %s\n", argv[i]);
            status = 2;
            continue;
        }
        /* An exact-size copy, as libFuzzer passes, so reading one byte
         * too far is caught by the sanitizers. */
        uint8_t *exact = malloc(size ? size : 1);

        if (exact) {
            memcpy(exact, data, size);
            LLVMFuzzerTestOneInput(exact, size);
        }
        free(exact);
        free(data);
    }
    return status;
}
