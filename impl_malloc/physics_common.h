/* physics_common.h (impl_malloc) — what the loop engine (physics.c) and the array engine
   (physics_array.c) share: the memory strategy (malloc and RAII-style free, the contact
   lists), the sequential-impulse solver with the wall-impulse sums, whose Gauss–Seidel order
   is the result's bits, and the step's statistics. Static functions, so each engine's step
   inlines them as if they were its own. */
#ifndef PHYS_MALLOC_COMMON_H
#define PHYS_MALLOC_COMMON_H

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "physics_scenes.h"

//~ Memory strategy

typedef struct phys_contacts {
    phys_contact *data;
    size_t len, cap;
} phys_contacts;

/* Out of memory in a step cannot be recovered from: say so and stop. */
static void *phys_xrealloc(void *p, size_t bytes) {
    void *q = realloc(p, bytes ? bytes : 1);
    if (q == NULL) {
        fprintf(stderr, "physics (malloc): out of memory asking for %zu bytes\n", bytes);
        abort();
    }
    return q;
}
#define phys_new(T, count) ((T *)phys_xrealloc(NULL, sizeof(T) * (size_t)(count)))

/* Scope-bound ownership: PHYS_FREED(kind) frees the variable when it goes out of scope. */
static inline void phys_free_floats(float **p) { free(*p); }
static inline void phys_free_unsigneds(unsigned **p) { free(*p); }
static inline void phys_free_contacts(phys_contacts *a) { free(a->data); }
#define PHYS_FREED(kind) __attribute__((cleanup(phys_free_##kind)))

/* The slow path of phys_push: the capacity doubles from 16, as the allocator's arrays do. */
__attribute__((noinline, cold)) static void phys_grow(phys_contacts *a) {
    a->cap = a->cap ? 2 * a->cap : 16;
    a->data = phys_xrealloc(a->data, a->cap * sizeof *a->data);
}

static inline void phys_push(phys_contacts *a, phys_contact c) {
    if (a->len == a->cap) phys_grow(a);
    a->data[a->len++] = c;
}

typedef struct phys_handle {
    unsigned long allocs; /* allocator calls of the last step */
} phys_handle;

/* Allocator calls of a list pushed to `len` elements: one per doubling of its capacity. */
static inline unsigned long phys_growths(size_t len) {
    unsigned long calls = 0;
    for (size_t cap = 0; cap < len; cap = cap ? 2 * cap : 16) calls++; /* phys_grow */
    return calls;
}

//~ Sequential impulses

/* A contact's target normal velocity is the larger of its Baumgarte separation speed and
   the restitution target, which comes from the normal velocity the first pass meets (after
   the contacts solved before it): an isolated collision then reverses exactly the velocity
   it resolves, so billiards (one pass, beta 0) conserves energy up to rounding. */
static float phys_bias(const phys_params *p, float vn) {
    return vn < -p->bounce_threshold ? -p->restitution * vn : 0.0f;
}

static void phys_solve(phys_world *w, phys_contacts *contacts, phys_contacts *walls) {
    float *vx = w->vx, *vy = w->vy;
    const float *inv_m = w->inv_m;
    for (unsigned it = 0; it < w->p.iterations; it++) {
        for (size_t k = 0; k < contacts->len; k++) {
            phys_contact *c = &contacts->data[k];
            const unsigned a = c->a, b = c->b;
            const float vn = (vx[b] - vx[a]) * c->nx + (vy[b] - vy[a]) * c->ny;
            if (it == 0 && phys_bias(&w->p, vn) > c->bias) c->bias = phys_bias(&w->p, vn);
            const float acc = c->acc;
            float lambda = (c->bias - vn) * c->mass;
            c->acc = acc + lambda > 0.0f ? acc + lambda : 0.0f;
            lambda = c->acc - acc;
            const float px = lambda * c->nx, py = lambda * c->ny;
            vx[a] -= px * inv_m[a];
            vy[a] -= py * inv_m[a];
            vx[b] += px * inv_m[b];
            vy[b] += py * inv_m[b];
        }
        for (size_t k = 0; k < walls->len; k++) {
            phys_contact *c = &walls->data[k];
            const unsigned a = c->a;
            const float vn = -(vx[a] * c->nx + vy[a] * c->ny);
            if (it == 0) c->bias = phys_bias(&w->p, vn);
            const float acc = c->acc;
            float lambda = (c->bias - vn) * c->mass;
            c->acc = acc + lambda > 0.0f ? acc + lambda : 0.0f;
            lambda = c->acc - acc;
            vx[a] -= lambda * c->nx * inv_m[a];
            vy[a] -= lambda * c->ny * inv_m[a];
        }
    }
    for (size_t k = 0; k < walls->len; k++) {
        w->wall_px -= (double)(walls->data[k].acc * walls->data[k].nx);
        w->wall_py -= (double)(walls->data[k].acc * walls->data[k].ny);
    }
}

//~ The step's statistics, and the steps

static void phys_tally(phys_world *w, const phys_contacts *contacts, const phys_contacts *walls,
                       int overflow) {
    w->steps++;
    w->contacts_total += contacts->len;
    w->walls_total += walls->len;
    w->contacts_last = (unsigned)contacts->len;
    w->walls_last = (unsigned)walls->len;
    if (contacts->len > w->contacts_max) w->contacts_max = (unsigned)contacts->len;
    w->overflow |= overflow;
}

/* Each engine's step (physics.c, physics_array.c): it returns how many allocator calls it made. */
static unsigned long phys_step(phys_world *w);

/* A direct call of the step: through a function pointer gcc inlines it only late, and the
   loop engine's step came out longer (callgrind, rain at 256 bodies). */
static void phys_run(void *engine, phys_world *w, unsigned steps) {
    phys_handle *e = engine;
    for (unsigned i = 0; i < steps; i++) {
        e->allocs = phys_step(w);
    }
}

//~ Engine lifetime

/* Nothing outlives a step but the count of its allocator calls. */
static void *phys_create_handle(const phys_world *w, const char *engine) {
    phys_handle *e = malloc(sizeof *e);
    if (e == NULL) {
        fprintf(stderr, "physics (malloc, %s engine): out of memory for n = %u\n", engine, w->n);
        return NULL;
    }
    e->allocs = 0;
    return e;
}

static void phys_destroy(void *engine) { free(engine); }

static unsigned long phys_allocs(const void *engine, const phys_world *w) {
    (void)w;
    return ((const phys_handle *)engine)->allocs;
}

/* The phys_impl of the engine a file defines (its own static phys_create and phys_step). */
#define PHYS_IMPL(form)                                                                                      \
    {                                                                                                        \
        .name = "malloc", .engine = PHYS_ENGINE_##form, .create = phys_create, .run = phys_run,              \
        .destroy = phys_destroy, .allocs_per_step = phys_allocs                                              \
    }

#endif
