/* physics_array.c (impl_bump) — the engine of workloads/physics_scenes.h in the array style of
   the seed's rk4: every phase before the solver is expressions over whole arrays (structure of
   arrays), one operation a line, each returning a fresh array from the step's scope (vec.h);
   nbody's rows and the blocks of candidate pairs have scopes of their own, reset for each.
   The solver and the wall-impulse sums are the loop engine's (physics_common.h). Every element
   takes the loop engine's operations in its order (physics.c): the two engines' bits agree. */
#include <limits.h>

#include "physics_common.h"
#include "vec.h"

/* The five cells a body meets candidates in: its own (the bodies after it in `order`) and the
   loop engine's half-stencil E, NW, N, NE. −1 is UINT_MAX: off the left edge the column wraps
   past grid_w, where the bounds test rejects it. */
static const unsigned phys_sx[5] = {0, 1, UINT_MAX, 0, 1}, phys_sy[5] = {0, 0, 1, 1, 1};

/* The walls in the loop engine's order per body: left, right, bottom, top. */
static const float phys_wall_nx[4] = {-1.0f, 1.0f, 0.0f, 0.0f}, phys_wall_ny[4] = {0.0f, 0.0f, -1.0f, 1.0f};

//~ Forces, then velocities (symplectic Euler: velocities first)

/* Cloth: each spring's force as arrays over the springs; springs whose ends coincide (no
   direction) are left out; then each force is added to one end and taken from the other in
   spring order, so every body sums its springs as the loop engine does. */
enum { PHYS_SPRING_ARRAYS = 36 };
static void phys_springs(ss_allocator t, const phys_world *w, float *fx, float *fy) {
    const unsigned ns = w->nsprings;
    const phys_params *p = &w->p;
    unsigned *sa = new_indices(t, ns);
    unsigned *sb = new_indices(t, ns);
    float *rest = new_vector(t, ns);
    for (unsigned s = 0; s < ns; s++) { /* the scene keeps springs as records: their columns */
        sa[s] = w->springs[s].a;
        sb[s] = w->springs[s].b;
        rest[s] = w->springs[s].rest;
    }
    float *xa = gather(t, w->x, sa, ns);
    float *xb = gather(t, w->x, sb, ns);
    float *ya = gather(t, w->y, sa, ns);
    float *yb = gather(t, w->y, sb, ns);
    float *dx = sub_vv(t, xb, xa, ns);
    float *dy = sub_vv(t, yb, ya, ns);
    float *dx2 = mul_vv(t, dx, dx, ns);
    float *dy2 = mul_vv(t, dy, dy, ns);
    float *d2 = add_vv(t, dx2, dy2, ns);
    float *d = sqrt_v(t, d2, ns);
    float *ux = div_vv(t, dx, d, ns);
    float *uy = div_vv(t, dy, d, ns);
    float *vxa = gather(t, w->vx, sa, ns);
    float *vxb = gather(t, w->vx, sb, ns);
    float *vya = gather(t, w->vy, sa, ns);
    float *vyb = gather(t, w->vy, sb, ns);
    float *dvx = sub_vv(t, vxb, vxa, ns);
    float *dvy = sub_vv(t, vyb, vya, ns);
    float *vrel_x = mul_vv(t, dvx, ux, ns);
    float *vrel_y = mul_vv(t, dvy, uy, ns);
    float *vrel = add_vv(t, vrel_x, vrel_y, ns);
    float *stretch = sub_vv(t, d, rest, ns);
    float *f_spring = mul_vs(t, stretch, p->spring_k, ns);
    float *f_damp = mul_vs(t, vrel, p->spring_c, ns);
    float *f = add_vv(t, f_spring, f_damp, ns);
    float *fux = mul_vv(t, f, ux, ns);
    float *fuy = mul_vv(t, f, uy, ns);
    unsigned *apart = gt_vs(t, d, 0.0f, ns);
    const unsigned nk = sum_u(apart, ns);
    unsigned *kept = nonzero(t, apart, ns, nk);
    unsigned *ka = gather_u(t, sa, kept, nk);
    unsigned *kb = gather_u(t, sb, kept, nk);
    float *kfx = gather(t, fux, kept, nk);
    float *kfy = gather(t, fuy, kept, nk);
    scatter_pairs(fx, ka, kb, kfx, nk);
    scatter_pairs(fy, ka, kb, kfy, nk);
}

/* nbody, row i: body i against the bodies j > i, as arrays over j. Body i's share is summed
   left to right (the loop engine's order), the others' taken from them in place. */
enum { PHYS_ROW_ARRAYS = 14 };
static void phys_gravity_row(ss_allocator t, const phys_world *w, unsigned i, float *fx, float *fy) {
    const unsigned m = w->n - i - 1;
    const phys_params *p = &w->p;
    const float soft2 = p->softening * p->softening;
    float *dx = sub_vs(t, w->x + i + 1, w->x[i], m);
    float *dy = sub_vs(t, w->y + i + 1, w->y[i], m);
    float *dx2 = mul_vv(t, dx, dx, m);
    float *dy2 = mul_vv(t, dy, dy, m);
    float *r2 = add_vv(t, dx2, dy2, m);
    float *d2 = add_vs(t, r2, soft2, m);
    float *d = sqrt_v(t, d2, m);
    float *inv_d = div_sv(t, 1.0f, d, m);
    float *inv_d2 = mul_vv(t, inv_d, inv_d, m);
    float *inv_d3 = mul_vv(t, inv_d2, inv_d, m);
    float *gm = mul_vs(t, w->m + i + 1, p->G * w->m[i], m);
    float *s = mul_vv(t, gm, inv_d3, m);
    float *sdx = mul_vv(t, s, dx, m);
    float *sdy = mul_vv(t, s, dy, m);
    fx[i] += sum_v(sdx, m);
    fy[i] += sum_v(sdy, m);
    sub_vv_to(fx + i + 1, fx + i + 1, sdx, m);
    sub_vv_to(fy + i + 1, fy + i + 1, sdy, m);
}

static void phys_forces(ss_allocator t, const phys_world *w, float *fx, float *fy) {
    if (w->nsprings) phys_springs(t, w, fx, fy);
    if (w->p.G == 0.0f) return;
    ss_scope row;
    ss_allocator t_row = ss_scope_begin(&row, t);
    for (unsigned i = 0; i < w->n; i++) {
        ss_scope_reset(&row);
        phys_gravity_row(t_row, w, i, fx, fy);
    }
    ss_scope_end(&row);
}

enum { PHYS_KICK_ARRAYS = 4 };
static void phys_kick(ss_allocator t, phys_world *w, const float *fx, const float *fy) {
    const unsigned n = w->n;
    const float dt = w->p.dt;
    float *ax = mul_vv(t, fx, w->inv_m, n);
    float *ay = mul_vv(t, fy, w->inv_m, n);
    float *dvx = mul_vs(t, ax, dt, n);
    float *dvy = mul_vs(t, ay, dt, n);
    add_vv_to(w->vx, w->vx, dvx, n);
    add_vv_to(w->vy, w->vy, dvy, n);
}

//~ Broad phase: the cell ids as array expressions, then a counting sort (vec.h)

enum { PHYS_CELL_ARRAYS = 14 };
static unsigned *phys_cells(ss_allocator t, const phys_world *w) {
    const unsigned n = w->n;
    const phys_params *p = &w->p;
    const float right = (float)(p->grid_w - 1), top = (float)(p->grid_h - 1);
    float *cx = div_vs(t, w->x, p->cell, n);
    float *cy = div_vs(t, w->y, p->cell, n);
    /* Clamp in float first, NaN to 0: converting an out-of-range float to unsigned is undefined. */
    unsigned *cx_in = ge_vs(t, cx, 0.0f, n);
    unsigned *cy_in = ge_vs(t, cy, 0.0f, n);
    float *cx0 = select_vs(t, cx_in, cx, 0.0f, n);
    float *cy0 = select_vs(t, cy_in, cy, 0.0f, n);
    unsigned *cx_left = le_vs(t, cx0, right, n);
    unsigned *cy_below = le_vs(t, cy0, top, n);
    float *cx1 = select_vs(t, cx_left, cx0, right, n);
    float *cy1 = select_vs(t, cy_below, cy0, top, n);
    unsigned *col = as_index(t, cx1, n);
    unsigned *row = as_index(t, cy1, n);
    unsigned *row_start = mul_us(t, row, p->grid_w, n);
    return add_uu(t, row_start, col, n);
}

//~ Narrow phase: candidate pairs as ranges of the sorted bodies, examined in blocks

/* The step's candidate pairs, in the loop engine's order: range k pairs body[k] with
   order[first[k] + i] for i < bounds[k + 1] − bounds[k]; bounds counts them from the first. */
typedef struct phys_ranges {
    const unsigned *order, *body, *first, *bounds;
    unsigned count;
} phys_ranges;

/* The solver's records (physics_common.h), appended to the list; bias NULL: 0. */
static void phys_pack(phys_contacts *list, const unsigned *a, const unsigned *b, const float *nx,
                      const float *ny, const float *bias, const float *mass, unsigned k) {
    phys_contact *c = list->data + list->len;
    for (unsigned i = 0; i < k; i++)
        c[i] = (phys_contact){.a = a[i],
                              .b = b[i],
                              .nx = nx[i],
                              .ny = ny[i],
                              .bias = bias ? bias[i] : 0.0f,
                              .mass = mass[i],
                              .acc = 0.0f};
    list->len += k;
}

/* Candidates q0 … q0 + m − 1: their geometry over gathered arrays; the touching pairs that are
   not both pinned, compacted in order into the contact list up to its capacity (past it the
   step overflows); then the contacts' normals, Baumgarte biases and masses. */
enum { PHYS_PAIR_ARRAYS = 47 };
static void phys_pairs(ss_allocator t, const phys_world *w, const phys_ranges *g, unsigned q0, unsigned m,
                       phys_contacts *contacts, int *overflow) {
    unsigned *q = iota(t, q0, m);
    unsigned *range = segment_of(t, g->bounds, g->count, q0, m);
    unsigned *a = gather_u(t, g->body, range, m);
    unsigned *start = gather_u(t, g->bounds, range, m);
    unsigned *skip = sub_uu(t, q, start, m);
    unsigned *from = gather_u(t, g->first, range, m);
    unsigned *at = add_uu(t, from, skip, m);
    unsigned *b = gather_u(t, g->order, at, m);
    float *xa = gather(t, w->x, a, m);
    float *xb = gather(t, w->x, b, m);
    float *ya = gather(t, w->y, a, m);
    float *yb = gather(t, w->y, b, m);
    float *dx = sub_vv(t, xb, xa, m);
    float *dy = sub_vv(t, yb, ya, m);
    float *ra = gather(t, w->r, a, m);
    float *rb = gather(t, w->r, b, m);
    float *rs = add_vv(t, ra, rb, m);
    float *dx2 = mul_vv(t, dx, dx, m);
    float *dy2 = mul_vv(t, dy, dy, m);
    float *d2 = add_vv(t, dx2, dy2, m);
    float *rs2 = mul_vv(t, rs, rs, m);
    unsigned *touch = lt_vv(t, d2, rs2, m);
    float *wa = gather(t, w->inv_m, a, m);
    float *wb = gather(t, w->inv_m, b, m);
    float *wsum = add_vv(t, wa, wb, m);
    unsigned *movable = ne_vs(t, wsum, 0.0f, m);
    unsigned *keep = and_uu(t, touch, movable, m);
    const unsigned found = sum_u(keep, m);
    const unsigned room = PHYS_MAX_CONTACTS(w->n) - (unsigned)contacts->len;
    const unsigned k = found < room ? found : room;
    if (found > room) *overflow = 1;
    unsigned *idx = nonzero(t, keep, m, k);
    unsigned *ca = gather_u(t, a, idx, k);
    unsigned *cb = gather_u(t, b, idx, k);
    float *cdx = gather(t, dx, idx, k);
    float *cdy = gather(t, dy, idx, k);
    float *cd2 = gather(t, d2, idx, k);
    float *crs = gather(t, rs, idx, k);
    float *cw = gather(t, wsum, idx, k);
    float *d = sqrt_v(t, cd2, k);
    float *gap = sub_vv(t, crs, d, k);
    float *overlap = sub_vs(t, gap, w->p.slop, k);
    unsigned *apart = gt_vs(t, d, 0.0f, k);
    float *ux = div_vv(t, cdx, d, k);
    float *uy = div_vv(t, cdy, d, k);
    float *nx = select_vs(t, apart, ux, 1.0f, k);
    float *ny = select_vs(t, apart, uy, 0.0f, k);
    /* Baumgarte: separate at the speed that removes the fraction beta of the overlap in a step. */
    unsigned *deep = gt_vs(t, overlap, 0.0f, k);
    float *push = mul_vs(t, overlap, w->p.beta / w->p.dt, k);
    float *bias = select_vs(t, deep, push, 0.0f, k);
    float *mass = div_sv(t, 1.0f, cw, k);
    phys_pack(contacts, ca, cb, nx, ny, bias, mass, k);
}

/* Five ranges per sorted body k (own cell, E, NW, N, NE: 5k … 5k + 4), cells outside the grid
   emptied; then the candidates in blocks of PHYS_MAX_PAIRS(n). Returns the number of blocks. */
enum { PHYS_RANGE_ARRAYS = 26 };
static unsigned phys_narrow_phase(ss_allocator t, const phys_world *w, const unsigned *cell,
                                  const unsigned *offset, const unsigned *order, phys_contacts *contacts,
                                  int *overflow) {
    const unsigned n = w->n, nr = 5 * n, block = PHYS_MAX_PAIRS(n);
    const unsigned gw = w->p.grid_w, gh = w->p.grid_h;
    unsigned *range = iota(t, 0, nr);
    unsigned *k = div_us(t, range, 5, nr);
    unsigned *side = mod_us(t, range, 5, nr);
    unsigned *body = gather_u(t, order, k, nr);
    unsigned *c = gather_u(t, cell, body, nr);
    unsigned *cx = mod_us(t, c, gw, nr);
    unsigned *cy = div_us(t, c, gw, nr);
    unsigned *sx = gather_u(t, phys_sx, side, nr);
    unsigned *sy = gather_u(t, phys_sy, side, nr);
    unsigned *ox = add_uu(t, cx, sx, nr);
    unsigned *oy = add_uu(t, cy, sy, nr);
    unsigned *in_x = lt_us(t, ox, gw, nr);
    unsigned *in_y = lt_us(t, oy, gh, nr);
    unsigned *inside = and_uu(t, in_x, in_y, nr);
    unsigned *oy_start = mul_us(t, oy, gw, nr);
    unsigned *o_any = add_uu(t, oy_start, ox, nr);
    /* outside the grid: cell 0, its range emptied below */
    unsigned *o = select_us(t, inside, o_any, 0, nr);
    unsigned *o_next = add_us(t, o, 1, nr);
    unsigned *begin = gather_u(t, offset, o, nr);
    unsigned *end = gather_u(t, offset, o_next, nr);
    unsigned *own = eq_us(t, side, 0, nr);
    unsigned *after = add_us(t, k, 1, nr);
    unsigned *first = select_uu(t, own, after, begin, nr);
    unsigned *span = sub_uu(t, end, first, nr);
    unsigned *len = select_us(t, inside, span, 0, nr);
    unsigned *bounds = cumsum_u(t, len, nr);
    const phys_ranges g = {order, body, first, bounds, nr};
    const unsigned total = bounds[nr];
    ss_scope pairs;
    ss_allocator t_pairs = ss_scope_begin(&pairs, t);
    for (unsigned q0 = 0; q0 < total; q0 += block) {
        ss_scope_reset(&pairs);
        phys_pairs(t_pairs, w, &g, q0, total - q0 < block ? total - q0 : block, contacts, overflow);
    }
    ss_scope_end(&pairs);
    return (total + block - 1) / block;
}

enum { PHYS_WALL_ARRAYS = 22 };
static void phys_find_walls(ss_allocator t, const phys_world *w, phys_contacts *walls) {
    const unsigned n = w->n;
    const phys_params *p = &w->p;
    if (!p->walls) return;
    unsigned *movable = ne_vs(t, w->inv_m, 0.0f, n);
    float *x_lo = sub_vv(t, w->x, w->r, n);
    float *x_hi = add_vv(t, w->x, w->r, n);
    float *y_lo = sub_vv(t, w->y, w->r, n);
    float *y_hi = add_vv(t, w->y, w->r, n);
    unsigned *left = le_vs(t, x_lo, 0.0f, n);
    unsigned *right = ge_vs(t, x_hi, p->width, n);
    unsigned *bottom = le_vs(t, y_lo, 0.0f, n);
    unsigned *top = ge_vs(t, y_hi, p->height, n);
    unsigned *at_left = and_uu(t, movable, left, n);
    unsigned *at_right = and_uu(t, movable, right, n);
    unsigned *at_bottom = and_uu(t, movable, bottom, n);
    unsigned *at_top = and_uu(t, movable, top, n);
    const unsigned *sides[4] = {at_left, at_right, at_bottom, at_top};
    unsigned *touch = interleave_u(t, sides, 4, n);
    const unsigned nw = sum_u(touch, 4 * n);
    unsigned *idx = nonzero(t, touch, 4 * n, nw);
    unsigned *a = div_us(t, idx, 4, nw);
    unsigned *side = mod_us(t, idx, 4, nw);
    float *nx = gather(t, phys_wall_nx, side, nw);
    float *ny = gather(t, phys_wall_ny, side, nw);
    float *inv_m = gather(t, w->inv_m, a, nw);
    float *mass = div_sv(t, 1.0f, inv_m, nw);
    walls->data = ss_new(t, phys_contact, nw);
    phys_pack(walls, a, a, nx, ny, NULL, mass, nw);
}

//~ Positions

enum { PHYS_DRIFT_ARRAYS = 2 };
static void phys_drift(ss_allocator t, phys_world *w) {
    const unsigned n = w->n;
    const float dt = w->p.dt;
    float *dx = mul_vs(t, w->vx, dt, n);
    float *dy = mul_vs(t, w->vy, dt, n);
    add_vv_to(w->x, w->x, dx, n);
    add_vv_to(w->y, w->y, dy, n);
}

/* One axis into [r, size − r], the loop engine's two tests in its order, for bodies that move. */
static void phys_clamp_axis(ss_allocator t, const phys_world *w, float *pos, float size,
                            const unsigned *movable) {
    const unsigned n = w->n;
    float *hi = sub_sv(t, size, w->r, n);
    unsigned *below = lt_vv(t, pos, w->r, n);
    float *up = select_vv(t, below, w->r, pos, n);
    unsigned *above = gt_vv(t, up, hi, n);
    float *in = select_vv(t, above, hi, up, n);
    select_vv_to(pos, movable, in, pos, n);
}

enum { PHYS_CLAMP_ARRAYS = 1 + 2 * 5 };
static void phys_clamp(ss_allocator t, phys_world *w) {
    if (!w->p.walls) return;
    unsigned *movable = ne_vs(t, w->inv_m, 0.0f, w->n);
    phys_clamp_axis(t, w, w->x, w->p.width, movable);
    phys_clamp_axis(t, w, w->y, w->p.height, movable);
}

//~ The step

/* The step's own arrays: the contact list, the forces, and the counting sort's four. */
enum { PHYS_STEP_ARRAYS = 1 + 2 + 4 };
static unsigned long phys_step(ss_allocator t, phys_world *w) {
    const unsigned n = w->n;
    const unsigned ncells = w->p.grid_w * w->p.grid_h;
    phys_contacts contacts = {.data = ss_new(t, phys_contact, PHYS_MAX_CONTACTS(n))};
    phys_contacts walls = {0};
    int overflow = 0;

    float *fx = mul_vs(t, w->m, w->p.gx, n);
    float *fy = mul_vs(t, w->m, w->p.gy, n);
    phys_forces(t, w, fx, fy);
    phys_kick(t, w, fx, fy);
    unsigned *cell = phys_cells(t, w);
    unsigned *count = bincount(t, cell, n, ncells);
    unsigned *offset = cumsum_u(t, count, ncells);
    unsigned *order = sort_by_key(t, cell, offset, n, ncells);
    const unsigned blocks = phys_narrow_phase(t, w, cell, offset, order, &contacts, &overflow);
    phys_find_walls(t, w, &walls);
    phys_solve(w, &contacts, &walls);
    phys_drift(t, w);
    phys_clamp(t, w);

    phys_tally(w, &contacts, &walls, overflow);
    /* The allocator calls above, for allocs_per_step (tests/test_physics_allocs.c counts them). */
    unsigned long calls = PHYS_STEP_ARRAYS + PHYS_KICK_ARRAYS + PHYS_CELL_ARRAYS + PHYS_RANGE_ARRAYS +
                          PHYS_DRIFT_ARRAYS + (unsigned long)blocks * PHYS_PAIR_ARRAYS;
    if (w->nsprings) calls += PHYS_SPRING_ARRAYS;
    if (w->p.G != 0.0f) calls += (unsigned long)n * PHYS_ROW_ARRAYS;
    if (w->p.walls) calls += PHYS_WALL_ARRAYS + PHYS_CLAMP_ARRAYS;
    return calls;
}

//~ Engine lifetime

/* What one step can take: each phase's arrays at their longest (a nbody row and a block of
   candidates one at a time, in their scopes), the two contact lists, and alignment. */
static size_t phys_step_bytes(const phys_world *w) {
    const size_t n = w->n, ncells = (size_t)w->p.grid_w * w->p.grid_h;
    const size_t words =
        (2 + PHYS_KICK_ARRAYS + PHYS_CELL_ARRAYS + PHYS_DRIFT_ARRAYS + PHYS_CLAMP_ARRAYS) * n +
        3 * (ncells + 1) + n + PHYS_SPRING_ARRAYS * (size_t)PHYS_MAX_SPRINGS(n) + PHYS_ROW_ARRAYS * n +
        PHYS_RANGE_ARRAYS * (5 * n + 1) + PHYS_PAIR_ARRAYS * (size_t)PHYS_MAX_PAIRS(n) +
        PHYS_WALL_ARRAYS * 4 * n;
    return words * sizeof(float) + ((size_t)PHYS_MAX_CONTACTS(n) + 4 * n) * sizeof(phys_contact) + 4096;
}

static void *phys_create(const phys_world *w) { return phys_create_handle(w, "array", phys_step_bytes(w)); }

const phys_impl phys_impl_bump_array = PHYS_IMPL(array);
