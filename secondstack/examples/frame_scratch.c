/* frame_scratch — a per-frame loop: what a frame makes lives in a scope reset every frame,
   and a helper that builds its result in the caller's allocator keeps its temporaries in a
   scratch region.

       frame_scratch [FRAMES]       default 1000

   Prints the memory held after the first frame and after the last: the same, because
   nothing outlives its frame. */
#include <stdio.h>
#include <stdlib.h>

#include <secondstack/ss_region.h>

typedef struct particle {
    float x, v;
} particle;

/* The positions of the n particles sorted, as a fresh array in `out`; the histogram and the
   prefix sums of the counting sort are temporaries, in scratch. */
static float *sorted_positions(ss_allocator out, const particle *p, unsigned n) {
    enum { BUCKETS = 64 };
    ss_scope sc;
    ss_allocator tmp = ss_scratch_begin(&sc, &out, 1);
    unsigned *count = ss_new_zero(tmp, unsigned, BUCKETS + 1);
    unsigned *bucket = ss_new(tmp, unsigned, n);
    for (unsigned i = 0; i < n; i++) {
        float x = p[i].x < 0 ? 0 : p[i].x >= 1 ? 0.999999f : p[i].x;
        bucket[i] = (unsigned)(x * BUCKETS);
        count[bucket[i] + 1]++;
    }
    for (unsigned b = 0; b < BUCKETS; b++) count[b + 1] += count[b];
    float *result = ss_alloc(out, n);
    for (unsigned i = 0; i < n; i++) result[count[bucket[i]]++] = p[i].x;
    /* within a bucket the order is arrival order: finish with insertion sort */
    for (unsigned i = 1; i < n; i++)
        for (unsigned j = i; j > 0 && result[j - 1] > result[j]; j--) {
            float t = result[j];
            result[j] = result[j - 1];
            result[j - 1] = t;
        }
    ss_scratch_end(&sc); /* count and bucket are gone; result stays in `out` */
    return result;
}

int main(int argc, char **argv) {
    unsigned frames = argc > 1 ? (unsigned)strtoul(argv[1], NULL, 10) : 1000;
    enum { N = 2000 };
    ss_region r;
    if (ss_region_create_kind(&r, "frames", 0, SS_REGION_GROW) != 0) {
        fprintf(stderr, "frame_scratch: %s\n", ss_region_error());
        return 2;
    }
    ss_allocator s = ss_region_allocator(&r);
    particle *p = ss_new(s, particle, N); /* lives as long as the program */
    for (unsigned i = 0; i < N; i++)
        p[i] = (particle){(float)((i * 7919u) % N) / N, 0.001f * (float)(i % 13)};

    ss_scope frame;
    ss_allocator f = ss_scope_begin(&frame, s);
    size_t first = 0, last = 0;
    float median = 0;
    for (unsigned k = 0; k < frames; k++) {
        ss_scope_reset(&frame); /* everything the last frame made */
        for (unsigned i = 0; i < N; i++) {
            p[i].x += p[i].v;
            if (p[i].x >= 1) p[i].x -= 1;
        }
        float *xs = sorted_positions(f, p, N);
        median = xs[N / 2];
        char *line = ss_sprintf(f, "frame %8u: median %.4f", k, (double)median);
        (void)line; /* a frame's label, gone with the frame */
        size_t held = ss_scope_peak(&frame);
        if (k == 0) first = held;
        last = held;
        for (unsigned i = 1; i < N; i++)
            if (xs[i - 1] > xs[i]) {
                fprintf(stderr, "frame_scratch: frame %u not sorted at %u\n", k, i);
                return 1;
            }
    }
    ss_scope_end(&frame);
    printf("%u frames of %d particles: median %.4f; held by a frame: %zu bytes after the first, %zu after "
           "the last\n",
           frames, N, (double)median, first, last);
    ss_region_destroy(&r);
    return first == last ? 0 : 1;
}
