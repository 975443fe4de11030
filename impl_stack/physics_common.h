/* physics_common.h (impl_stack) — what the loop engine (physics.c) and the array engine
   (physics_array.c) share: the memory strategy (fixed arrays, the contact lists), the
   sequential-impulse solver with the wall-impulse sums, whose Gauss–Seidel order is the
   result's bits, and the step's statistics. Static functions, so each engine's step inlines
   them as if they were its own. */
#ifndef PHYS_STACK_COMMON_H
#define PHYS_STACK_COMMON_H

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "physics_scenes.h"

//~ Memory strategy

#ifndef PHYS_N
#error "impl_stack's physics engines are built once per size: compile with -DPHYS_N=n"
#endif
#if PHYS_N > 1024
#define PHYS_TEMP static
#else
#define PHYS_TEMP
#endif
/* The exported names: PHYS_NAME(phys_impl_stack_) is phys_impl_stack_<PHYS_N>. */
#define PHYS__NAME(prefix, n) prefix##n
#define PHYS_NAME(prefix, n) PHYS__NAME(prefix, n)

/* A bounded list over a fixed array: the narrow phase never pushes more than
   PHYS_MAX_CONTACTS(n) contacts, and a body touches at most 4 walls. */
typedef struct phys_contacts {
    phys_contact *data;
    size_t len;
} phys_contacts;

static inline void phys_push(phys_contacts *a, phys_contact c) { a->data[a->len++] = c; }

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

/* Each engine's step (physics.c, physics_array.c). */
static void phys_step(phys_world *w);

/* A direct call of the step: through a function pointer gcc inlines it only late, and the
   loop engine's step came out longer (callgrind, rain at 256 bodies). The handle holds
   nothing (phys_create_handle). */
static void phys_run(void *engine, phys_world *w, unsigned steps) {
    (void)engine;
    for (unsigned i = 0; i < steps; i++) {
        phys_step(w);
    }
}

//~ Engine lifetime

/* The capacities are this build's: the world must have exactly PHYS_N bodies. */
static void *phys_create_handle(const phys_world *w, const char *engine) {
    static char nothing;
    if (w->n != PHYS_N || w->p.grid_w * w->p.grid_h > PHYS_MAX_CELLS(PHYS_N) ||
        w->nsprings > PHYS_MAX_SPRINGS(PHYS_N)) {
        fprintf(stderr, "physics (stack, %s engine): this build is for n = %u bodies; got n = %u\n", engine,
                PHYS_N, w->n);
        return NULL;
    }
    return &nothing;
}

static void phys_destroy(void *engine) { (void)engine; }

/* Fixed arrays: no allocator calls. */
static unsigned long phys_allocs(const void *engine, const phys_world *w) {
    (void)engine, (void)w;
    return 0;
}

/* The phys_impl of the engine a file defines (its own static phys_create and phys_step). */
#define PHYS_IMPL(form)                                                                                      \
    {                                                                                                        \
        .name = "stack", .engine = PHYS_ENGINE_##form, .n = PHYS_N, .create = phys_create, .run = phys_run,  \
        .destroy = phys_destroy, .allocs_per_step = phys_allocs                                              \
    }

#endif
