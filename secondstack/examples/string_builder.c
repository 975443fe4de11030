/* string_builder — text built in a region: a growable array of chars, formatted pieces
   and copies, nothing freed.

       string_builder [ROWS]        default 5

   Prints a small CSV table built with ss_push, ss_sprintf and ss_strdup. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <secondstack/ss_region.h>

SS_ARRAY_TYPE(text, char);

static void append(ss_allocator s, text *t, const char *str) {
    size_t n = strlen(str);
    ss_reserve(s, t, n + 1); /* one growth at most, and room for the '\0' */
    for (size_t i = 0; i < n; i++) ss_push(s, t, str[i]);
    t->data[t->len] = '\0'; /* kept terminated, not counted in len */
}

int main(int argc, char **argv) {
    int rows = argc > 1 ? atoi(argv[1]) : 5;
    ss_region r;
    if (ss_region_create(&r, "text", 1 << 20) != 0) {
        perror("string_builder: ss_region_create");
        return 2;
    }
    ss_allocator s = ss_region_allocator(&r);
    const char *names[] = {"decay", "oscillators", "lorenz96", "heat1d"};
    char *title = ss_strdup(s, "problem,n,steps,h");
    text csv = {0};
    append(s, &csv, title);
    append(s, &csv, "\n");
    for (int i = 0; i < rows; i++) {
        /* each row formatted into the region; the pieces stay until the region goes */
        char *row =
            ss_sprintf(s, "%s,%d,%d,%g\n", names[i % 4], 4 << (2 * i), 1000 * (i + 1), 1e-3 / (i + 1));
        append(s, &csv, row);
    }
    fputs(csv.data, stdout);
    printf("(%zu characters, %zu bytes of the region used)\n", csv.len, ss_region_used(&r));
    ss_region_destroy(&r);
    return 0;
}
