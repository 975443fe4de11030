/* physics_scenes.c — scenes, initial states, comparisons and invariant checks of the physics
   engine (physics_scenes.h). Written once; the implementations only step. */
#include "physics_scenes.h"

#include <errno.h>
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

const char *const phys_scene_names[PHYS_SCENE_COUNT] = {
#define PHYS__X(name, doc) #name,
    PHYS_SCENES(PHYS__X)
#undef PHYS__X
};
const char *const phys_scene_docs[PHYS_SCENE_COUNT] = {
#define PHYS__X(name, doc) doc,
    PHYS_SCENES(PHYS__X)
#undef PHYS__X
};

static int phys__index_of(const char *const *names, int count, const char *name) {
    for (int i = 0; i < count; i++)
        if (!strcmp(name, names[i])) return i;
    return -1;
}

int phys_scene_from_name(const char *name) {
    return phys__index_of(phys_scene_names, PHYS_SCENE_COUNT, name);
}

const char *const phys_engine_names[PHYS_ENGINE_COUNT] = {
#define PHYS__X(name, doc) #name,
    PHYS_ENGINES(PHYS__X)
#undef PHYS__X
};
const char *const phys_engine_docs[PHYS_ENGINE_COUNT] = {
#define PHYS__X(name, doc) doc,
    PHYS_ENGINES(PHYS__X)
#undef PHYS__X
};

int phys_engine_from_name(const char *name) {
    return phys__index_of(phys_engine_names, PHYS_ENGINE_COUNT, name);
}

//~ The one PRNG: splitmix64, so every implementation (and the WebAssembly build) starts equal.

static uint64_t phys__next(uint64_t *state) {
    uint64_t z = (*state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

/* Uniform in [0, 1): the top 24 bits, exactly representable in float. */
static float phys__uniform(uint64_t *state) { return (float)(phys__next(state) >> 40) * 0x1p-24f; }

static unsigned phys__isqrt_ceil(unsigned n) {
    unsigned s = 1;
    while (s * s < n) s++;
    return s;
}

//~ Worlds

static int phys__alloc(phys_world *w) {
    const size_t n = w->n;
    float **arrays[] = {&w->x, &w->y, &w->vx, &w->vy, &w->r, &w->m, &w->inv_m};
    for (size_t i = 0; i < sizeof arrays / sizeof arrays[0]; i++)
        if ((*arrays[i] = calloc(n, sizeof(float))) == NULL) return -1;
    if (w->nsprings && (w->springs = calloc(w->nsprings, sizeof(phys_spring))) == NULL) return -1;
    return 0;
}

void phys_world_free(phys_world *w) {
    if (w == NULL) return;
    free(w->x);
    free(w->y);
    free(w->vx);
    free(w->vy);
    free(w->r);
    free(w->m);
    free(w->inv_m);
    free(w->springs);
    free(w);
}

/* The grid over the box; cells grow past 2·r_max only if the box would need more cells than
   PHYS_MAX_CELLS allows (the stack build's capacity). */
static void phys__grid(phys_world *w, float r_max) {
    phys_params *p = &w->p;
    p->cell = 2.0f * r_max;
    for (;;) {
        p->grid_w = (unsigned)ceilf(p->width / p->cell);
        p->grid_h = (unsigned)ceilf(p->height / p->cell);
        if (p->grid_w < 1) p->grid_w = 1;
        if (p->grid_h < 1) p->grid_h = 1;
        if ((uint64_t)p->grid_w * p->grid_h <= PHYS_MAX_CELLS(w->n)) break;
        p->cell *= 1.25f;
    }
}

static void phys__common(phys_params *p) {
    p->dt = 1.0f / 60.0f;
    p->iterations = 8;
    p->beta = 0.2f;
    p->slop = 0.01f;
    p->walls = 1;
}

/* Discs of radius 0.3–0.5 on a jittered lattice above a box about 1.5·√n wide; they fall
   about their own stack's height and pile up. */
static void phys__rain(phys_world *w, uint64_t *rng) {
    phys_params *p = &w->p;
    const unsigned n = w->n, s = phys__isqrt_ceil(n);
    p->gy = -10.0f;
    p->restitution = 0.3f;
    p->bounce_threshold = 1.0f;
    /* Wide enough that the pile is at most about ten discs deep: sequential impulses without
       warm starting cannot hold up a deeper one, and it would sink into itself. */
    p->width = (float)(3 * s / 2 > n / 12 ? 3 * s / 2 + 4 : n / 12 + 4);
    const unsigned cols = (unsigned)((p->width - 1.0f) / 1.1f);
    const unsigned rows = (n + cols - 1) / cols;
    p->height = 2.2f * (float)rows + 4.0f;
    for (unsigned i = 0; i < n; i++) {
        const unsigned col = i % cols, row = i / cols;
        w->r[i] = 0.3f + 0.2f * phys__uniform(rng);
        w->x[i] = 1.05f + 1.1f * (float)col + 0.08f * (phys__uniform(rng) - 0.5f);
        w->y[i] = p->height - 1.0f - 1.1f * (float)row + 0.08f * (phys__uniform(rng) - 0.5f);
        w->vx[i] = phys__uniform(rng) - 0.5f;
        w->vy[i] = -phys__uniform(rng);
    }
    phys__grid(w, 0.5f);
}

/* Sparse discs (about 6 % of the table covered) with speeds up to 4√2 m/s, no gravity,
   elastic everywhere. */
static void phys__billiards(phys_world *w, uint64_t *rng) {
    phys_params *p = &w->p;
    const unsigned n = w->n, s = phys__isqrt_ceil(n);
    p->restitution = 1.0f;
    p->bounce_threshold = 0.0f;
    p->iterations = 1; /* sequential binary collisions: each conserves energy (see the engine) */
    p->beta = 0.0f;    /* and no Baumgarte push, which would add energy */
    p->width = p->height = (float)(5 * s / 2 + 3);
    const float spacing = (p->width - 2.0f) / (float)s;
    for (unsigned i = 0; i < n; i++) {
        w->r[i] = 0.3f + 0.2f * phys__uniform(rng);
        w->x[i] = 1.0f + spacing * ((float)(i % s) + 0.5f) + 0.2f * (phys__uniform(rng) - 0.5f);
        w->y[i] = 1.0f + spacing * ((float)(i / s) + 0.5f) + 0.2f * (phys__uniform(rng) - 0.5f);
        w->vx[i] = 8.0f * (phys__uniform(rng) - 0.5f);
        w->vy[i] = 8.0f * (phys__uniform(rng) - 0.5f);
    }
    phys__grid(w, 0.5f);
}

/* A net of ⌊√n⌋ columns, spacing 1, joined by horizontal and vertical springs; the top row
   is pinned; the rest starts swinging (faster further down). Stiffness k/m = 600 s⁻² keeps
   symplectic Euler stable: the net's fastest mode √(8k/m)·dt ≈ 1.2 < 2. */
static void phys__cloth(phys_world *w, uint64_t *rng) {
    phys_params *p = &w->p;
    const unsigned n = w->n;
    unsigned cols = 1;
    while ((cols + 1) * (cols + 1) <= n) cols++;
    const unsigned rows = (n + cols - 1) / cols;
    p->gy = -4.0f;
    p->restitution = 0.0f;
    p->bounce_threshold = 0.0f;
    p->spring_k = 600.0f;
    p->spring_c = 1.0f;
    p->width = (float)(2 * cols + 4);
    p->height = 1.6f * (float)rows + 4.0f;
    const float x0 = (p->width - (float)(cols - 1)) / 2.0f, y0 = p->height - 2.0f;
    for (unsigned i = 0; i < n; i++) {
        const unsigned col = i % cols, row = i / cols;
        w->r[i] = 0.25f;
        w->x[i] = x0 + (float)col;
        w->y[i] = y0 - (float)row;
        if (row > 0) {
            w->vx[i] = 3.0f * (float)row / (float)rows + 0.1f * (phys__uniform(rng) - 0.5f);
            w->vy[i] = 0.1f * (phys__uniform(rng) - 0.5f);
        }
    }
    unsigned k = 0;
    for (unsigned i = 0; i < n; i++) {
        if (i % cols + 1 < cols && i + 1 < n) w->springs[k++] = (phys_spring){i, i + 1, 1.0f};
        if (i + cols < n) w->springs[k++] = (phys_spring){i, i + cols, 1.0f};
    }
    w->nsprings = k;
    phys__grid(w, 0.25f);
}

static unsigned phys__cloth_springs(unsigned n) {
    unsigned cols = 1;
    while ((cols + 1) * (cols + 1) <= n) cols++;
    unsigned k = 0;
    for (unsigned i = 0; i < n; i++) k += (i % cols + 1 < cols && i + 1 < n) + (i + cols < n);
    return k;
}

/* A disc of radius √n of bodies (mass 0.5–1.5, radius 0.1–0.2) turning at half the angular
   speed that would balance gravity, so it contracts and swirls; no walls. G = 10/√n keeps
   the time scale similar across n. The box only places the grid. */
static void phys__nbody(phys_world *w, uint64_t *rng) {
    phys_params *p = &w->p;
    const unsigned n = w->n, s = phys__isqrt_ceil(n);
    p->walls = 0;
    p->restitution = 0.5f;
    p->bounce_threshold = 0.5f;
    p->G = 10.0f / (float)s;
    p->softening = 0.5f;
    p->width = p->height = (float)(5 * s / 2 + 3);
    const float c = p->width / 2.0f, R = (float)s;
    double mass = 0.0;
    for (unsigned i = 0; i < n; i++) {
        float dx, dy;
        do {
            dx = R * (2.0f * phys__uniform(rng) - 1.0f);
            dy = R * (2.0f * phys__uniform(rng) - 1.0f);
        } while (dx * dx + dy * dy > R * R);
        w->x[i] = c + dx;
        w->y[i] = c + dy;
        w->r[i] = 0.1f + 0.1f * phys__uniform(rng);
        w->m[i] = 0.5f + phys__uniform(rng);
        mass += w->m[i];
    }
    const float omega = 0.5f * sqrtf(p->G * (float)mass / (R * R * R));
    for (unsigned i = 0; i < n; i++) {
        w->vx[i] = -omega * (w->y[i] - c);
        w->vy[i] = omega * (w->x[i] - c);
    }
    phys__grid(w, 0.2f);
}

phys_world *phys_world_create(phys_scene scene, unsigned n, uint64_t seed) {
    if ((unsigned)scene >= PHYS_SCENE_COUNT || n == 0) {
        errno = EINVAL;
        return NULL;
    }
    phys_world *w = calloc(1, sizeof *w);
    if (w == NULL) return NULL;
    w->scene = scene;
    w->n = n;
    w->seed = seed;
    w->nsprings = scene == PHYS_cloth ? phys__cloth_springs(n) : 0;
    if (phys__alloc(w) != 0) {
        phys_world_free(w);
        return NULL;
    }
    phys__common(&w->p);
    uint64_t rng = seed;
    for (unsigned i = 0; i < n; i++) w->m[i] = 1.0f;
    switch (scene) {
    case PHYS_rain:
        phys__rain(w, &rng);
        break;
    case PHYS_billiards:
        phys__billiards(w, &rng);
        break;
    case PHYS_cloth:
        phys__cloth(w, &rng);
        break;
    case PHYS_nbody:
        phys__nbody(w, &rng);
        break;
    default:
        break;
    }
    for (unsigned i = 0; i < n; i++) {
        /* Mass proportional to area (π dropped) where the scene did not set it. */
        if (scene == PHYS_rain || scene == PHYS_billiards) w->m[i] = w->r[i] * w->r[i];
        w->inv_m[i] = 1.0f / w->m[i];
    }
    if (scene == PHYS_cloth) {
        unsigned cols = 1;
        while ((cols + 1) * (cols + 1) <= n) cols++;
        for (unsigned i = 0; i < cols && i < n; i++) w->inv_m[i] = 0.0f; /* the pinned top row */
    }
    return w;
}

void phys_world_set(phys_world *dst, const phys_world *src) {
    const size_t b = (size_t)src->n * sizeof(float);
    float *keep[] = {dst->x, dst->y, dst->vx, dst->vy, dst->r, dst->m, dst->inv_m};
    phys_spring *springs = dst->springs;
    *dst = *src;
    dst->x = keep[0], dst->y = keep[1], dst->vx = keep[2], dst->vy = keep[3];
    dst->r = keep[4], dst->m = keep[5], dst->inv_m = keep[6], dst->springs = springs;
    memcpy(dst->x, src->x, b);
    memcpy(dst->y, src->y, b);
    memcpy(dst->vx, src->vx, b);
    memcpy(dst->vy, src->vy, b);
    memcpy(dst->r, src->r, b);
    memcpy(dst->m, src->m, b);
    memcpy(dst->inv_m, src->inv_m, b);
    if (src->nsprings) memcpy(dst->springs, src->springs, src->nsprings * sizeof(phys_spring));
}

phys_world *phys_world_copy(const phys_world *w) {
    phys_world *c = calloc(1, sizeof *c);
    if (c == NULL) return NULL;
    c->n = w->n;
    c->nsprings = w->nsprings;
    if (phys__alloc(c) != 0) {
        phys_world_free(c);
        return NULL;
    }
    phys_world_set(c, w);
    return c;
}

int phys_world_diff(const phys_world *a, const phys_world *b, char *why, size_t len) {
    if (a->n != b->n || a->scene != b->scene) {
        snprintf(why, len, "different worlds (scene %d n %u vs scene %d n %u)", a->scene, a->n, b->scene,
                 b->n);
        return 1;
    }
    const struct {
        const char *name;
        const float *p, *q;
    } arrays[] = {{"x", a->x, b->x}, {"y", a->y, b->y}, {"vx", a->vx, b->vx}, {"vy", a->vy, b->vy}};
    for (size_t k = 0; k < sizeof arrays / sizeof arrays[0]; k++)
        for (unsigned i = 0; i < a->n; i++)
            if (memcmp(&arrays[k].p[i], &arrays[k].q[i], sizeof(float)) != 0) {
                snprintf(why, len, "%s[%u] differs: %.9g vs %.9g", arrays[k].name, i, (double)arrays[k].p[i],
                         (double)arrays[k].q[i]);
                return 1;
            }
    if (a->steps != b->steps || a->contacts_total != b->contacts_total || a->walls_total != b->walls_total ||
        a->contacts_max != b->contacts_max || a->overflow != b->overflow ||
        memcmp(&a->wall_px, &b->wall_px, sizeof(double)) ||
        memcmp(&a->wall_py, &b->wall_py, sizeof(double))) {
        snprintf(why, len, "statistics differ: steps %llu/%llu contacts %llu/%llu walls %llu/%llu",
                 (unsigned long long)a->steps, (unsigned long long)b->steps,
                 (unsigned long long)a->contacts_total, (unsigned long long)b->contacts_total,
                 (unsigned long long)a->walls_total, (unsigned long long)b->walls_total);
        return 1;
    }
    return 0;
}

uint64_t phys_checksum(const phys_world *w) {
    uint64_t h = 0xcbf29ce484222325ull;
    const float *arrays[] = {w->x, w->y};
    for (int k = 0; k < 2; k++)
        for (unsigned i = 0; i < w->n; i++) {
            uint32_t bits;
            memcpy(&bits, &arrays[k][i], sizeof bits);
            for (int byte = 0; byte < 4; byte++) {
                h ^= (bits >> (8 * byte)) & 0xff;
                h *= 0x100000001b3ull;
            }
        }
    return h;
}

//~ Invariants

double phys_kinetic_energy(const phys_world *w) {
    double e = 0.0;
    for (unsigned i = 0; i < w->n; i++) {
        if (w->inv_m[i] == 0.0f) continue;
        e += 0.5 * (double)w->m[i] * ((double)w->vx[i] * w->vx[i] + (double)w->vy[i] * w->vy[i]);
    }
    return e;
}

void phys_momentum(const phys_world *w, double *px, double *py) {
    double x = 0.0, y = 0.0;
    for (unsigned i = 0; i < w->n; i++) {
        if (w->inv_m[i] == 0.0f) continue;
        x += (double)w->m[i] * w->vx[i];
        y += (double)w->m[i] * w->vy[i];
    }
    *px = x;
    *py = y;
}

/* Rain's fall time from the top of the box, twice over, plus five seconds to settle. */
unsigned phys_rain_settle_steps(unsigned n) {
    phys_world *w = phys_world_create(PHYS_rain, n, 1);
    if (w == NULL) return 0;
    const double fall = sqrt(2.0 * w->p.height / -w->p.gy) / w->p.dt;
    phys_world_free(w);
    return (unsigned)(2.0 * fall) + 300;
}

int phys_watch_begin(phys_watch *wa, const phys_world *w) {
    memset(wa, 0, sizeof *wa);
    wa->initial = phys_world_copy(w);
    if (wa->initial == NULL) return -1;
    wa->energy_scale = phys_kinetic_energy(w);
    return 0;
}

/* The momentum bound. In one step, rounding moves the total momentum by at most
   8 ε |p|_abs u, where ε is float's unit roundoff (2⁻²⁴), |p|_abs = Σ m(|vx| + |vy|) and u
   the velocity updates per body in the step: one kick, `iterations` per contact it is in
   (2 bodies per contact, 1 per wall contact), and for nbody √n for a force summed over n
   pairs (the random-walk growth of summation error; its worst case n ε is never approached).
   Each update rounds a body's momentum by at most ε/2 of itself plus three roundings of the
   increment; the factor 8 also covers velocities inside the solver up to twice those at the
   end of the step. Equal and opposite impulses and pair forces are otherwise exact in the
   accounting. Successive steps round independently, so the per-step bounds add as a random
   walk: the bound is their root sum of squares (measured errors stay 10⁻⁴ below it, while a
   10 % mass error on half the bodies exceeds it tenfold: tests/test_physics.c). */
void phys_watch_step(phys_watch *wa, const phys_world *w) {
    wa->steps++;
    const double e = phys_kinetic_energy(w);
    if (e > wa->energy_scale) wa->energy_scale = e;
    double p_abs = 0.0;
    for (unsigned i = 0; i < w->n; i++)
        if (w->inv_m[i] != 0.0f) p_abs += (double)w->m[i] * (fabs((double)w->vx[i]) + fabs((double)w->vy[i]));
    double u = 1.0 + (double)w->p.iterations * (2.0 * w->contacts_last + w->walls_last) / w->n;
    if (w->p.G != 0.0f) u += sqrt((double)w->n);
    const double step_bound = 8.0 * (FLT_EPSILON / 2) * p_abs * u;
    wa->momentum_var += step_bound * step_bound;
    wa->momentum_bound = sqrt(wa->momentum_var);
}

void phys_watch_end(phys_watch *wa) {
    phys_world_free(wa->initial);
    wa->initial = NULL;
}

#define PHYS__FAIL(...)                                                                                      \
    do {                                                                                                     \
        snprintf(why, len, __VA_ARGS__);                                                                     \
        return 1;                                                                                            \
    } while (0)

int phys_check(const phys_watch *wa, const phys_world *w, int settled, char *why, size_t len) {
    const phys_world *w0 = wa->initial;
    const phys_params *p = &w->p;
    const unsigned n = w->n;
    for (unsigned i = 0; i < n; i++)
        if (!isfinite(w->x[i]) || !isfinite(w->y[i]) || !isfinite(w->vx[i]) || !isfinite(w->vy[i]))
            PHYS__FAIL("no NaN: body %u is at (%g, %g) moving (%g, %g)", i, (double)w->x[i], (double)w->y[i],
                       (double)w->vx[i], (double)w->vy[i]);
    if (w->overflow) PHYS__FAIL("contact capacity: more than %u contacts in one step", PHYS_MAX_CONTACTS(n));

    /* Containment is exact: clamping into the box is the last write of every step. */
    if (w->scene != PHYS_nbody)
        for (unsigned i = 0; i < n; i++)
            if (w->x[i] < w->r[i] || w->x[i] > p->width - w->r[i] || w->y[i] < w->r[i] ||
                w->y[i] > p->height - w->r[i])
                PHYS__FAIL("containment: body %u (radius %g) at (%.9g, %.9g) is outside the box %g x %g", i,
                           (double)w->r[i], (double)w->x[i], (double)w->y[i], (double)p->width,
                           (double)p->height);

    if (w->scene == PHYS_billiards || w->scene == PHYS_nbody) {
        double px0, py0, px, py;
        phys_momentum(w0, &px0, &py0);
        phys_momentum(w, &px, &py);
        const double dx = px - px0 - w->wall_px, dy = py - py0 - w->wall_py;
        const double err = fabs(dx) > fabs(dy) ? fabs(dx) : fabs(dy);
        if (!(err <= wa->momentum_bound))
            PHYS__FAIL("momentum: |p - p0 - J_walls| = %.3g exceeds the rounding bound %.3g after %llu steps",
                       err, wa->momentum_bound, (unsigned long long)wa->steps);
    }

    /* Every collision in billiards (one solver pass, e = 1) reverses the normal velocity it
       resolves, conserving kinetic energy exactly but for rounding: at most 8 ε of the two
       bodies' energy per contact; the kick adds m·0 and the drift leaves velocities alone.
       Twice that, over every contact and wall contact so far, against the largest energy seen. */
    if (w->scene == PHYS_billiards) {
        const double e0 = phys_kinetic_energy(w0), e = phys_kinetic_energy(w);
        const double bound =
            16.0 * (FLT_EPSILON / 2) * wa->energy_scale * (double)(1 + w->contacts_total + w->walls_total);
        if (!(fabs(e - e0) <= bound))
            PHYS__FAIL(
                "energy: |E - E0| = %.3g (E0 = %.6g) exceeds the rounding bound %.3g after %llu contacts",
                fabs(e - e0), e0, bound, (unsigned long long)(w->contacts_total + w->walls_total));
    }

    /* At rest: the rms speed below g·dt, the speed gravity adds in one step. A resting pile
       has every step's increment taken back by its contacts (measured: 0.02 m/s at n = 1024,
       0.05 at 16384, against 0.17); a pile still bouncing or sliding moves faster. */
    if (w->scene == PHYS_rain && settled) {
        const double v_step = fabs((double)p->gy) * p->dt;
        double m = 0.0;
        for (unsigned i = 0; i < n; i++) m += w->m[i];
        const double v_rms = sqrt(2.0 * phys_kinetic_energy(w) / m);
        if (!(v_rms <= v_step))
            PHYS__FAIL("at rest: rms speed %.3g m/s after %llu steps exceeds g*dt = %.3g m/s", v_rms,
                       (unsigned long long)w->steps, v_step);
    }

    /* The pinned row never moves: its inverse mass 0 multiplies every update. */
    if (w->scene == PHYS_cloth)
        for (unsigned i = 0; i < n; i++)
            if (w0->inv_m[i] == 0.0f &&
                (memcmp(&w->x[i], &w0->x[i], sizeof(float)) || memcmp(&w->y[i], &w0->y[i], sizeof(float)) ||
                 w->vx[i] != 0.0f || w->vy[i] != 0.0f))
                PHYS__FAIL("pinned row: body %u moved from (%.9g, %.9g) to (%.9g, %.9g)", i, (double)w0->x[i],
                           (double)w0->y[i], (double)w->x[i], (double)w->y[i]);
    return 0;
}
