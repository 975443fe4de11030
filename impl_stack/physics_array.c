/* physics_array.c (impl_stack) — the engine of workloads/physics_scenes.h in the array style of
   the seed's rk4: every phase before the solver is expressions over whole arrays (structure of
   arrays), one operation a line, each writing a fixed-size array of its phase's capacity,
   declared where it is made (vec.h): on the stack up to n = 1024, in static storage above, as
   the loop engine's temporaries (physics.c) — -DPHYS_N=n, one build per size.
   The solver and the wall-impulse sums are the loop engine's (physics_common.h). Every element
   takes the loop engine's operations in its order (physics.c): the two engines' bits agree. */
#include <limits.h>

#include "physics_common.h"
#include "vec.h"

/* The capacities of the phases' arrays: springs, the five candidate ranges per body, a block
   of candidate pairs (bodies: PHYS_N; the four walls per body: 4 * PHYS_N). */
#define PHYS_SPRINGS PHYS_MAX_SPRINGS(PHYS_N)
#define PHYS_RANGES (5 * PHYS_N)
#define PHYS_PAIRS PHYS_MAX_PAIRS(PHYS_N)

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
static void phys_springs(const phys_world *w, float *fx, float *fy) {
    const unsigned ns = w->nsprings;
    const phys_params *p = &w->p;
    PHYS_TEMP unsigned sa[PHYS_SPRINGS];
    PHYS_TEMP unsigned sb[PHYS_SPRINGS];
    PHYS_TEMP float rest[PHYS_SPRINGS];
    for (unsigned s = 0; s < ns; s++) { /* the scene keeps springs as records: their columns */
        sa[s] = w->springs[s].a;
        sb[s] = w->springs[s].b;
        rest[s] = w->springs[s].rest;
    }
    PHYS_TEMP float xa[PHYS_SPRINGS];
    gather_to(xa, w->x, sa, ns);
    PHYS_TEMP float xb[PHYS_SPRINGS];
    gather_to(xb, w->x, sb, ns);
    PHYS_TEMP float ya[PHYS_SPRINGS];
    gather_to(ya, w->y, sa, ns);
    PHYS_TEMP float yb[PHYS_SPRINGS];
    gather_to(yb, w->y, sb, ns);
    PHYS_TEMP float dx[PHYS_SPRINGS];
    sub_vv_to(dx, xb, xa, ns);
    PHYS_TEMP float dy[PHYS_SPRINGS];
    sub_vv_to(dy, yb, ya, ns);
    PHYS_TEMP float dx2[PHYS_SPRINGS];
    mul_vv_to(dx2, dx, dx, ns);
    PHYS_TEMP float dy2[PHYS_SPRINGS];
    mul_vv_to(dy2, dy, dy, ns);
    PHYS_TEMP float d2[PHYS_SPRINGS];
    add_vv_to(d2, dx2, dy2, ns);
    PHYS_TEMP float d[PHYS_SPRINGS];
    sqrt_v_to(d, d2, ns);
    PHYS_TEMP float ux[PHYS_SPRINGS];
    div_vv_to(ux, dx, d, ns);
    PHYS_TEMP float uy[PHYS_SPRINGS];
    div_vv_to(uy, dy, d, ns);
    PHYS_TEMP float vxa[PHYS_SPRINGS];
    gather_to(vxa, w->vx, sa, ns);
    PHYS_TEMP float vxb[PHYS_SPRINGS];
    gather_to(vxb, w->vx, sb, ns);
    PHYS_TEMP float vya[PHYS_SPRINGS];
    gather_to(vya, w->vy, sa, ns);
    PHYS_TEMP float vyb[PHYS_SPRINGS];
    gather_to(vyb, w->vy, sb, ns);
    PHYS_TEMP float dvx[PHYS_SPRINGS];
    sub_vv_to(dvx, vxb, vxa, ns);
    PHYS_TEMP float dvy[PHYS_SPRINGS];
    sub_vv_to(dvy, vyb, vya, ns);
    PHYS_TEMP float vrel_x[PHYS_SPRINGS];
    mul_vv_to(vrel_x, dvx, ux, ns);
    PHYS_TEMP float vrel_y[PHYS_SPRINGS];
    mul_vv_to(vrel_y, dvy, uy, ns);
    PHYS_TEMP float vrel[PHYS_SPRINGS];
    add_vv_to(vrel, vrel_x, vrel_y, ns);
    PHYS_TEMP float stretch[PHYS_SPRINGS];
    sub_vv_to(stretch, d, rest, ns);
    PHYS_TEMP float f_spring[PHYS_SPRINGS];
    mul_vs_to(f_spring, stretch, p->spring_k, ns);
    PHYS_TEMP float f_damp[PHYS_SPRINGS];
    mul_vs_to(f_damp, vrel, p->spring_c, ns);
    PHYS_TEMP float f[PHYS_SPRINGS];
    add_vv_to(f, f_spring, f_damp, ns);
    PHYS_TEMP float fux[PHYS_SPRINGS];
    mul_vv_to(fux, f, ux, ns);
    PHYS_TEMP float fuy[PHYS_SPRINGS];
    mul_vv_to(fuy, f, uy, ns);
    PHYS_TEMP unsigned apart[PHYS_SPRINGS];
    gt_vs_to(apart, d, 0.0f, ns);
    const unsigned nk = sum_u(apart, ns);
    PHYS_TEMP unsigned kept[PHYS_SPRINGS];
    nonzero_to(kept, apart, ns, nk);
    PHYS_TEMP unsigned ka[PHYS_SPRINGS];
    gather_u_to(ka, sa, kept, nk);
    PHYS_TEMP unsigned kb[PHYS_SPRINGS];
    gather_u_to(kb, sb, kept, nk);
    PHYS_TEMP float kfx[PHYS_SPRINGS];
    gather_to(kfx, fux, kept, nk);
    PHYS_TEMP float kfy[PHYS_SPRINGS];
    gather_to(kfy, fuy, kept, nk);
    scatter_pairs(fx, ka, kb, kfx, nk);
    scatter_pairs(fy, ka, kb, kfy, nk);
}

/* nbody, row i: body i against the bodies j > i, as arrays over j. Body i's share is summed
   left to right (the loop engine's order), the others' taken from them in place. */
static void phys_gravity_row(const phys_world *w, unsigned i, float *fx, float *fy) {
    const unsigned m = PHYS_N - i - 1;
    const phys_params *p = &w->p;
    const float soft2 = p->softening * p->softening;
    PHYS_TEMP float dx[PHYS_N];
    sub_vs_to(dx, w->x + i + 1, w->x[i], m);
    PHYS_TEMP float dy[PHYS_N];
    sub_vs_to(dy, w->y + i + 1, w->y[i], m);
    PHYS_TEMP float dx2[PHYS_N];
    mul_vv_to(dx2, dx, dx, m);
    PHYS_TEMP float dy2[PHYS_N];
    mul_vv_to(dy2, dy, dy, m);
    PHYS_TEMP float r2[PHYS_N];
    add_vv_to(r2, dx2, dy2, m);
    PHYS_TEMP float d2[PHYS_N];
    add_vs_to(d2, r2, soft2, m);
    PHYS_TEMP float d[PHYS_N];
    sqrt_v_to(d, d2, m);
    PHYS_TEMP float inv_d[PHYS_N];
    div_sv_to(inv_d, 1.0f, d, m);
    PHYS_TEMP float inv_d2[PHYS_N];
    mul_vv_to(inv_d2, inv_d, inv_d, m);
    PHYS_TEMP float inv_d3[PHYS_N];
    mul_vv_to(inv_d3, inv_d2, inv_d, m);
    PHYS_TEMP float gm[PHYS_N];
    mul_vs_to(gm, w->m + i + 1, p->G * w->m[i], m);
    PHYS_TEMP float s[PHYS_N];
    mul_vv_to(s, gm, inv_d3, m);
    PHYS_TEMP float sdx[PHYS_N];
    mul_vv_to(sdx, s, dx, m);
    PHYS_TEMP float sdy[PHYS_N];
    mul_vv_to(sdy, s, dy, m);
    fx[i] += sum_v(sdx, m);
    fy[i] += sum_v(sdy, m);
    sub_vv_to(fx + i + 1, fx + i + 1, sdx, m);
    sub_vv_to(fy + i + 1, fy + i + 1, sdy, m);
}

static void phys_forces(const phys_world *w, float *fx, float *fy) {
    if (w->nsprings) phys_springs(w, fx, fy);
    if (w->p.G == 0.0f) return;
    for (unsigned i = 0; i < PHYS_N; i++) {
        phys_gravity_row(w, i, fx, fy);
    }
}

static void phys_kick(phys_world *w, const float *fx, const float *fy) {
    const unsigned n = PHYS_N;
    const float dt = w->p.dt;
    PHYS_TEMP float ax[PHYS_N];
    mul_vv_to(ax, fx, w->inv_m, n);
    PHYS_TEMP float ay[PHYS_N];
    mul_vv_to(ay, fy, w->inv_m, n);
    PHYS_TEMP float dvx[PHYS_N];
    mul_vs_to(dvx, ax, dt, n);
    PHYS_TEMP float dvy[PHYS_N];
    mul_vs_to(dvy, ay, dt, n);
    add_vv_to(w->vx, w->vx, dvx, n);
    add_vv_to(w->vy, w->vy, dvy, n);
}

//~ Broad phase: the cell ids as array expressions, then a counting sort (vec.h)

static void phys_cells(const phys_world *w, unsigned *cell) {
    const unsigned n = PHYS_N;
    const phys_params *p = &w->p;
    const float right = (float)(p->grid_w - 1), top = (float)(p->grid_h - 1);
    PHYS_TEMP float cx[PHYS_N];
    div_vs_to(cx, w->x, p->cell, n);
    PHYS_TEMP float cy[PHYS_N];
    div_vs_to(cy, w->y, p->cell, n);
    /* Clamp in float first, NaN to 0: converting an out-of-range float to unsigned is undefined. */
    PHYS_TEMP unsigned cx_in[PHYS_N];
    ge_vs_to(cx_in, cx, 0.0f, n);
    PHYS_TEMP unsigned cy_in[PHYS_N];
    ge_vs_to(cy_in, cy, 0.0f, n);
    PHYS_TEMP float cx0[PHYS_N];
    select_vs_to(cx0, cx_in, cx, 0.0f, n);
    PHYS_TEMP float cy0[PHYS_N];
    select_vs_to(cy0, cy_in, cy, 0.0f, n);
    PHYS_TEMP unsigned cx_left[PHYS_N];
    le_vs_to(cx_left, cx0, right, n);
    PHYS_TEMP unsigned cy_below[PHYS_N];
    le_vs_to(cy_below, cy0, top, n);
    PHYS_TEMP float cx1[PHYS_N];
    select_vs_to(cx1, cx_left, cx0, right, n);
    PHYS_TEMP float cy1[PHYS_N];
    select_vs_to(cy1, cy_below, cy0, top, n);
    PHYS_TEMP unsigned col[PHYS_N];
    as_index_to(col, cx1, n);
    PHYS_TEMP unsigned row[PHYS_N];
    as_index_to(row, cy1, n);
    PHYS_TEMP unsigned row_start[PHYS_N];
    mul_us_to(row_start, row, p->grid_w, n);
    add_uu_to(cell, row_start, col, n);
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
static void phys_pairs(const phys_world *w, const phys_ranges *g, unsigned q0, unsigned m,
                       phys_contacts *contacts, int *overflow) {
    PHYS_TEMP unsigned q[PHYS_PAIRS];
    iota_to(q, q0, m);
    PHYS_TEMP unsigned range[PHYS_PAIRS];
    segment_of_to(range, g->bounds, g->count, q0, m);
    PHYS_TEMP unsigned a[PHYS_PAIRS];
    gather_u_to(a, g->body, range, m);
    PHYS_TEMP unsigned start[PHYS_PAIRS];
    gather_u_to(start, g->bounds, range, m);
    PHYS_TEMP unsigned skip[PHYS_PAIRS];
    sub_uu_to(skip, q, start, m);
    PHYS_TEMP unsigned from[PHYS_PAIRS];
    gather_u_to(from, g->first, range, m);
    PHYS_TEMP unsigned at[PHYS_PAIRS];
    add_uu_to(at, from, skip, m);
    PHYS_TEMP unsigned b[PHYS_PAIRS];
    gather_u_to(b, g->order, at, m);
    PHYS_TEMP float xa[PHYS_PAIRS];
    gather_to(xa, w->x, a, m);
    PHYS_TEMP float xb[PHYS_PAIRS];
    gather_to(xb, w->x, b, m);
    PHYS_TEMP float ya[PHYS_PAIRS];
    gather_to(ya, w->y, a, m);
    PHYS_TEMP float yb[PHYS_PAIRS];
    gather_to(yb, w->y, b, m);
    PHYS_TEMP float dx[PHYS_PAIRS];
    sub_vv_to(dx, xb, xa, m);
    PHYS_TEMP float dy[PHYS_PAIRS];
    sub_vv_to(dy, yb, ya, m);
    PHYS_TEMP float ra[PHYS_PAIRS];
    gather_to(ra, w->r, a, m);
    PHYS_TEMP float rb[PHYS_PAIRS];
    gather_to(rb, w->r, b, m);
    PHYS_TEMP float rs[PHYS_PAIRS];
    add_vv_to(rs, ra, rb, m);
    PHYS_TEMP float dx2[PHYS_PAIRS];
    mul_vv_to(dx2, dx, dx, m);
    PHYS_TEMP float dy2[PHYS_PAIRS];
    mul_vv_to(dy2, dy, dy, m);
    PHYS_TEMP float d2[PHYS_PAIRS];
    add_vv_to(d2, dx2, dy2, m);
    PHYS_TEMP float rs2[PHYS_PAIRS];
    mul_vv_to(rs2, rs, rs, m);
    PHYS_TEMP unsigned touch[PHYS_PAIRS];
    lt_vv_to(touch, d2, rs2, m);
    PHYS_TEMP float wa[PHYS_PAIRS];
    gather_to(wa, w->inv_m, a, m);
    PHYS_TEMP float wb[PHYS_PAIRS];
    gather_to(wb, w->inv_m, b, m);
    PHYS_TEMP float wsum[PHYS_PAIRS];
    add_vv_to(wsum, wa, wb, m);
    PHYS_TEMP unsigned movable[PHYS_PAIRS];
    ne_vs_to(movable, wsum, 0.0f, m);
    PHYS_TEMP unsigned keep[PHYS_PAIRS];
    and_uu_to(keep, touch, movable, m);
    const unsigned found = sum_u(keep, m);
    const unsigned room = PHYS_MAX_CONTACTS(w->n) - (unsigned)contacts->len;
    const unsigned k = found < room ? found : room;
    if (found > room) *overflow = 1;
    PHYS_TEMP unsigned idx[PHYS_PAIRS];
    nonzero_to(idx, keep, m, k);
    PHYS_TEMP unsigned ca[PHYS_PAIRS];
    gather_u_to(ca, a, idx, k);
    PHYS_TEMP unsigned cb[PHYS_PAIRS];
    gather_u_to(cb, b, idx, k);
    PHYS_TEMP float cdx[PHYS_PAIRS];
    gather_to(cdx, dx, idx, k);
    PHYS_TEMP float cdy[PHYS_PAIRS];
    gather_to(cdy, dy, idx, k);
    PHYS_TEMP float cd2[PHYS_PAIRS];
    gather_to(cd2, d2, idx, k);
    PHYS_TEMP float crs[PHYS_PAIRS];
    gather_to(crs, rs, idx, k);
    PHYS_TEMP float cw[PHYS_PAIRS];
    gather_to(cw, wsum, idx, k);
    PHYS_TEMP float d[PHYS_PAIRS];
    sqrt_v_to(d, cd2, k);
    PHYS_TEMP float gap[PHYS_PAIRS];
    sub_vv_to(gap, crs, d, k);
    PHYS_TEMP float overlap[PHYS_PAIRS];
    sub_vs_to(overlap, gap, w->p.slop, k);
    PHYS_TEMP unsigned apart[PHYS_PAIRS];
    gt_vs_to(apart, d, 0.0f, k);
    PHYS_TEMP float ux[PHYS_PAIRS];
    div_vv_to(ux, cdx, d, k);
    PHYS_TEMP float uy[PHYS_PAIRS];
    div_vv_to(uy, cdy, d, k);
    PHYS_TEMP float nx[PHYS_PAIRS];
    select_vs_to(nx, apart, ux, 1.0f, k);
    PHYS_TEMP float ny[PHYS_PAIRS];
    select_vs_to(ny, apart, uy, 0.0f, k);
    /* Baumgarte: separate at the speed that removes the fraction beta of the overlap in a step. */
    PHYS_TEMP unsigned deep[PHYS_PAIRS];
    gt_vs_to(deep, overlap, 0.0f, k);
    PHYS_TEMP float push[PHYS_PAIRS];
    mul_vs_to(push, overlap, w->p.beta / w->p.dt, k);
    PHYS_TEMP float bias[PHYS_PAIRS];
    select_vs_to(bias, deep, push, 0.0f, k);
    PHYS_TEMP float mass[PHYS_PAIRS];
    div_sv_to(mass, 1.0f, cw, k);
    phys_pack(contacts, ca, cb, nx, ny, bias, mass, k);
}

/* Five ranges per sorted body k (own cell, E, NW, N, NE: 5k … 5k + 4), cells outside the grid
   emptied; then the candidates in blocks of PHYS_MAX_PAIRS(n). */
static void phys_narrow_phase(const phys_world *w, const unsigned *cell, const unsigned *offset,
                              const unsigned *order, phys_contacts *contacts, int *overflow) {
    const unsigned n = PHYS_N, nr = 5 * n, block = PHYS_MAX_PAIRS(n);
    const unsigned gw = w->p.grid_w, gh = w->p.grid_h;
    PHYS_TEMP unsigned range[PHYS_RANGES];
    iota_to(range, 0, nr);
    PHYS_TEMP unsigned k[PHYS_RANGES];
    div_us_to(k, range, 5, nr);
    PHYS_TEMP unsigned side[PHYS_RANGES];
    mod_us_to(side, range, 5, nr);
    PHYS_TEMP unsigned body[PHYS_RANGES];
    gather_u_to(body, order, k, nr);
    PHYS_TEMP unsigned c[PHYS_RANGES];
    gather_u_to(c, cell, body, nr);
    PHYS_TEMP unsigned cx[PHYS_RANGES];
    mod_us_to(cx, c, gw, nr);
    PHYS_TEMP unsigned cy[PHYS_RANGES];
    div_us_to(cy, c, gw, nr);
    PHYS_TEMP unsigned sx[PHYS_RANGES];
    gather_u_to(sx, phys_sx, side, nr);
    PHYS_TEMP unsigned sy[PHYS_RANGES];
    gather_u_to(sy, phys_sy, side, nr);
    PHYS_TEMP unsigned ox[PHYS_RANGES];
    add_uu_to(ox, cx, sx, nr);
    PHYS_TEMP unsigned oy[PHYS_RANGES];
    add_uu_to(oy, cy, sy, nr);
    PHYS_TEMP unsigned in_x[PHYS_RANGES];
    lt_us_to(in_x, ox, gw, nr);
    PHYS_TEMP unsigned in_y[PHYS_RANGES];
    lt_us_to(in_y, oy, gh, nr);
    PHYS_TEMP unsigned inside[PHYS_RANGES];
    and_uu_to(inside, in_x, in_y, nr);
    PHYS_TEMP unsigned oy_start[PHYS_RANGES];
    mul_us_to(oy_start, oy, gw, nr);
    PHYS_TEMP unsigned o_any[PHYS_RANGES];
    add_uu_to(o_any, oy_start, ox, nr);
    /* outside the grid: cell 0, its range emptied below */
    PHYS_TEMP unsigned o[PHYS_RANGES];
    select_us_to(o, inside, o_any, 0, nr);
    PHYS_TEMP unsigned o_next[PHYS_RANGES];
    add_us_to(o_next, o, 1, nr);
    PHYS_TEMP unsigned begin[PHYS_RANGES];
    gather_u_to(begin, offset, o, nr);
    PHYS_TEMP unsigned end[PHYS_RANGES];
    gather_u_to(end, offset, o_next, nr);
    PHYS_TEMP unsigned own[PHYS_RANGES];
    eq_us_to(own, side, 0, nr);
    PHYS_TEMP unsigned after[PHYS_RANGES];
    add_us_to(after, k, 1, nr);
    PHYS_TEMP unsigned first[PHYS_RANGES];
    select_uu_to(first, own, after, begin, nr);
    PHYS_TEMP unsigned span[PHYS_RANGES];
    sub_uu_to(span, end, first, nr);
    PHYS_TEMP unsigned len[PHYS_RANGES];
    select_us_to(len, inside, span, 0, nr);
    PHYS_TEMP unsigned bounds[PHYS_RANGES + 1];
    cumsum_u_to(bounds, len, nr);
    const phys_ranges g = {order, body, first, bounds, nr};
    const unsigned total = bounds[nr];
    for (unsigned q0 = 0; q0 < total; q0 += block) {
        phys_pairs(w, &g, q0, total - q0 < block ? total - q0 : block, contacts, overflow);
    }
}

static void phys_find_walls(const phys_world *w, phys_contacts *walls) {
    const unsigned n = PHYS_N;
    const phys_params *p = &w->p;
    if (!p->walls) return;
    PHYS_TEMP unsigned movable[PHYS_N];
    ne_vs_to(movable, w->inv_m, 0.0f, n);
    PHYS_TEMP float x_lo[PHYS_N];
    sub_vv_to(x_lo, w->x, w->r, n);
    PHYS_TEMP float x_hi[PHYS_N];
    add_vv_to(x_hi, w->x, w->r, n);
    PHYS_TEMP float y_lo[PHYS_N];
    sub_vv_to(y_lo, w->y, w->r, n);
    PHYS_TEMP float y_hi[PHYS_N];
    add_vv_to(y_hi, w->y, w->r, n);
    PHYS_TEMP unsigned left[PHYS_N];
    le_vs_to(left, x_lo, 0.0f, n);
    PHYS_TEMP unsigned right[PHYS_N];
    ge_vs_to(right, x_hi, p->width, n);
    PHYS_TEMP unsigned bottom[PHYS_N];
    le_vs_to(bottom, y_lo, 0.0f, n);
    PHYS_TEMP unsigned top[PHYS_N];
    ge_vs_to(top, y_hi, p->height, n);
    PHYS_TEMP unsigned at_left[PHYS_N];
    and_uu_to(at_left, movable, left, n);
    PHYS_TEMP unsigned at_right[PHYS_N];
    and_uu_to(at_right, movable, right, n);
    PHYS_TEMP unsigned at_bottom[PHYS_N];
    and_uu_to(at_bottom, movable, bottom, n);
    PHYS_TEMP unsigned at_top[PHYS_N];
    and_uu_to(at_top, movable, top, n);
    const unsigned *sides[4] = {at_left, at_right, at_bottom, at_top};
    PHYS_TEMP unsigned touch[4 * PHYS_N];
    interleave_u_to(touch, sides, 4, n);
    const unsigned nw = sum_u(touch, 4 * n);
    PHYS_TEMP unsigned idx[4 * PHYS_N];
    nonzero_to(idx, touch, 4 * n, nw);
    PHYS_TEMP unsigned a[4 * PHYS_N];
    div_us_to(a, idx, 4, nw);
    PHYS_TEMP unsigned side[4 * PHYS_N];
    mod_us_to(side, idx, 4, nw);
    PHYS_TEMP float nx[4 * PHYS_N];
    gather_to(nx, phys_wall_nx, side, nw);
    PHYS_TEMP float ny[4 * PHYS_N];
    gather_to(ny, phys_wall_ny, side, nw);
    PHYS_TEMP float inv_m[4 * PHYS_N];
    gather_to(inv_m, w->inv_m, a, nw);
    PHYS_TEMP float mass[4 * PHYS_N];
    div_sv_to(mass, 1.0f, inv_m, nw);
    phys_pack(walls, a, a, nx, ny, NULL, mass, nw);
}

//~ Positions

static void phys_drift(phys_world *w) {
    const unsigned n = PHYS_N;
    const float dt = w->p.dt;
    PHYS_TEMP float dx[PHYS_N];
    mul_vs_to(dx, w->vx, dt, n);
    PHYS_TEMP float dy[PHYS_N];
    mul_vs_to(dy, w->vy, dt, n);
    add_vv_to(w->x, w->x, dx, n);
    add_vv_to(w->y, w->y, dy, n);
}

/* One axis into [r, size − r], the loop engine's two tests in its order, for bodies that move. */
static void phys_clamp_axis(const phys_world *w, float *pos, float size, const unsigned *movable) {
    const unsigned n = PHYS_N;
    PHYS_TEMP float hi[PHYS_N];
    sub_sv_to(hi, size, w->r, n);
    PHYS_TEMP unsigned below[PHYS_N];
    lt_vv_to(below, pos, w->r, n);
    PHYS_TEMP float up[PHYS_N];
    select_vv_to(up, below, w->r, pos, n);
    PHYS_TEMP unsigned above[PHYS_N];
    gt_vv_to(above, up, hi, n);
    PHYS_TEMP float in[PHYS_N];
    select_vv_to(in, above, hi, up, n);
    select_vv_to(pos, movable, in, pos, n);
}

static void phys_clamp(phys_world *w) {
    if (!w->p.walls) return;
    PHYS_TEMP unsigned movable[PHYS_N];
    ne_vs_to(movable, w->inv_m, 0.0f, w->n);
    phys_clamp_axis(w, w->x, w->p.width, movable);
    phys_clamp_axis(w, w->y, w->p.height, movable);
}

//~ The step

static void phys_step(phys_world *w) {
    const unsigned n = PHYS_N;
    const unsigned ncells = w->p.grid_w * w->p.grid_h;
    PHYS_TEMP phys_contact contact_store[PHYS_MAX_CONTACTS(PHYS_N)];
    PHYS_TEMP phys_contact wall_store[4 * PHYS_N];
    phys_contacts contacts = {contact_store, 0};
    phys_contacts walls = {wall_store, 0};
    int overflow = 0;

    PHYS_TEMP float fx[PHYS_N];
    mul_vs_to(fx, w->m, w->p.gx, n);
    PHYS_TEMP float fy[PHYS_N];
    mul_vs_to(fy, w->m, w->p.gy, n);
    phys_forces(w, fx, fy);
    phys_kick(w, fx, fy);
    PHYS_TEMP unsigned cell[PHYS_N];
    phys_cells(w, cell);
    PHYS_TEMP unsigned count[PHYS_MAX_CELLS(PHYS_N)];
    bincount_to(count, cell, n, ncells);
    PHYS_TEMP unsigned offset[PHYS_MAX_CELLS(PHYS_N) + 1];
    cumsum_u_to(offset, count, ncells);
    PHYS_TEMP unsigned cursor[PHYS_MAX_CELLS(PHYS_N)];
    PHYS_TEMP unsigned order[PHYS_N];
    sort_by_key_to(order, cursor, cell, offset, n, ncells);
    phys_narrow_phase(w, cell, offset, order, &contacts, &overflow);
    phys_find_walls(w, &walls);
    phys_solve(w, &contacts, &walls);
    phys_drift(w);
    phys_clamp(w);

    phys_tally(w, &contacts, &walls, overflow);
}

//~ Engine lifetime

static void *phys_create(const phys_world *w) { return phys_create_handle(w, "array"); }

const phys_impl PHYS_NAME(phys_impl_stack_array_, PHYS_N) = PHYS_IMPL(array);
