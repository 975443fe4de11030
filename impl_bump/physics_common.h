/* physics_common.h (impl_bump) — what the loop engine (physics.c) and the array engine
   (physics_array.c) share: the memory strategy (a region, scopes, the contact lists), the
   sequential-impulse solver with the wall-impulse sums, whose Gauss–Seidel order is the
   result's bits, and the step's statistics. Static functions, so each engine's step inlines
   them as if they were its own. */
#ifndef PHYS_BUMP_COMMON_H
#define PHYS_BUMP_COMMON_H

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "physics_scenes.h"
#include "ss_region.h"

//~ Memory strategy

typedef SS_ARRAY(phys_contact) phys_contacts;

typedef struct phys_handle {
    ss_region region;
    unsigned long allocs; /* allocator calls of the last step */
} phys_handle;

/* Allocator calls of a list pushed to `len` elements: one per doubling of its capacity. */
static inline unsigned long phys_growths(size_t len) {
    unsigned long calls = 0;
    for (size_t cap = 0; cap < len; cap = cap ? 2 * cap : SS_ARRAY_MIN_CAP) calls++; /* secondstack.h */
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

/* Each engine's step (physics.c, physics_array.c): it allocates from t, the step's scope, and
   returns how many allocator calls it made. */
static unsigned long phys_step(ss_allocator t, phys_world *w);

/* Every step in one scope, reset each step. A direct call of the step: through a function
   pointer gcc inlines it only late, and the loop engine's step came out 5 % longer (callgrind,
   rain at 256 bodies). */
static void phys_run(void *engine, phys_world *w, unsigned steps) {
    phys_handle *e = engine;
    ss_scope sc;
    ss_allocator t = ss_scope_begin(&sc, ss_region_allocator(&e->region));
    for (unsigned i = 0; i < steps; i++) {
        ss_scope_reset(&sc);
        e->allocs = phys_step(t, w);
    }
    ss_scope_end(&sc);
}

//~ Engine lifetime

/* A region of `bytes`, what one step can take at most (each engine's phys_step_bytes). */
static void *phys_create_handle(const phys_world *w, const char *engine, size_t bytes) {
    phys_handle *e = malloc(sizeof *e);
    if (e == NULL || ss_region_create(&e->region, "physics", bytes) != 0) {
        fprintf(stderr, "physics (bump, %s engine): cannot allocate a region of %zu bytes for n = %u\n",
                engine, bytes, w->n);
        free(e);
        return NULL;
    }
    e->allocs = 0;
    return e;
}

static void phys_destroy(void *engine) {
    phys_handle *e = engine;
    if (e == NULL) return;
    ss_region_destroy(&e->region);
    free(e);
}

static unsigned long phys_allocs(const void *engine, const phys_world *w) {
    (void)w;
    return ((const phys_handle *)engine)->allocs;
}

/* The phys_impl of the engine a file defines (its own static phys_create and phys_step). */
#define PHYS_IMPL(form)                                                                                      \
    {                                                                                                        \
        .name = "bump", .engine = PHYS_ENGINE_##form, .create = phys_create, .run = phys_run,                \
        .destroy = phys_destroy, .allocs_per_step = phys_allocs                                              \
    }

#endif
