#ifndef NGRAM_KERNELS_H
#define NGRAM_KERNELS_H

/* The softmax passes of one training step over a row's explicit weights, in C so that one
 * binary carries both a portable (SSE2) and an AVX2 version and picks one at run time.
 * Both versions compile the same source with floating-point contraction off and fused
 * multiply-adds only where written (the CPU's in the AVX2 version, the C library's correctly
 * rounded fma() in the portable one), so they give bit-identical results. */

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Stores e^(w[j] - m) in s[j] for j < k and returns their sum (8 lane sums over full blocks of
 * eight, added lane 0..7 in order, then the remaining columns one by one). The vector part uses
 * a table-and-polynomial exp with fused multiply-adds (within an ulp of the C library's; 0 below
 * -708); the remaining columns use exp(). */
double ngk_exp_sum(const double *w, double *s, long k, double m);

/* The update of one step: p[j] = s[j] * rz (rz = 1 / z; s is not written), w[j] -= lr * p[j].
 * Writes the largest s (0 when k = 0; the largest p is its s * rz, as p rounds monotonically in
 * s) and the largest new w (-inf when k = 0). */
void ngk_update(double *w, const double *s, long k, double rz, double lr, double *max_s, double *max_w);

/* Carried exps. Between two steps a column that is not the target loses d = lr * p of its
 * weight, so its exp (relative to a fixed reference weight) is multiplied by e^-d, which for the
 * small d of a row with many columns takes a short polynomial instead of a whole exp.
 * ngk_update_carry is ngk_update (the same w, largest s and largest new w) that also writes
 * s2[j] = s[j] + s[j] * (e^-d - 1) with e^y - 1 = y (1 + y/2! + ... + y^(n-1)/n!) of degree n;
 * ngk_carry_degree(dmax) is the lowest degree n whose truncation error is below 2^-56 for every
 * d <= dmax (0: none is, the exps must be computed afresh). ngk_sum is the sum of stored exps
 * in ngk_exp_sum's order, and writes their largest (0 when k = 0). */
int ngk_carry_degree(double dmax);
/* How many of s[0..k) are at least t. */
long ngk_count_at_least(const double *s, long k, double t);
void ngk_update_carry(double *w, const double *s, double *s2, long k, double rz, double lr, int degree,
                      double *max_s, double *max_w);
double ngk_sum(const double *s, long k, double *max_s);
double ngk_sum_portable(const double *s, long k, double *max_s);
double ngk_sum_avx2(const double *s, long k, double *max_s);
void ngk_update_carry_portable(double *w, const double *s, double *s2, long k, double rz, double lr, int degree,
                               double *max_s, double *max_w);
void ngk_update_carry_avx2(double *w, const double *s, double *s2, long k, double rz, double lr, int degree,
                           double *max_s, double *max_w);

/* The scalar exp the vector kernels use past the last full block: the C library's. */
double ngk_exp1(double x);

/* Which implementation runs: 1 when the CPU has AVX2 and FMA, else 0 (the portable one).
 * ngk_force_portable(1) makes every later call use the portable one (for tests). */
int ngk_uses_avx2(void);
void ngk_force_portable(int on);

/* The portable and AVX2 versions directly (the AVX2 one only where ngk_cpu_has_avx2()). */
int ngk_cpu_has_avx2(void);
double ngk_exp_sum_portable(const double *w, double *s, long k, double m);
double ngk_exp_sum_avx2(const double *w, double *s, long k, double m);
void ngk_update_portable(double *w, const double *s, long k, double rz, double lr, double *max_s, double *max_w);
void ngk_update_avx2(double *w, const double *s, long k, double rz, double lr, double *max_s, double *max_w);

/* Two threads inside one row: one training step of a row with k explicit columns, the same bits
 * as ngk_exp_sum followed by ngk_update (or, with s2 not NULL and ngk_carry_degree(dnum * (1 / z))
 * not 0, ngk_update_carry into s2 at that degree, returned in `degree`), with the columns split between the calling thread (the
 * driver) and a helper thread that runs ngk_team_serve until ngk_team_stop. The step computes
 * z = head + (the sum ngk_exp_sum returns, in its order), then the update with rz = 1 / z; it
 * returns z, the update's largest s and largest new w, and s[target] (the exp) and w[target]
 * before the update (for target < k). If the helper has not picked up its half, the driver does
 * it itself. */
typedef struct ngk_team ngk_team;
typedef struct {
  double z, s_target, w_target, max_s, max_w;
  int degree;
} ngk_step_result;
ngk_team *ngk_team_new(void);
void ngk_team_free(ngk_team *t);
void ngk_team_serve(ngk_team *t);
void ngk_team_stop(ngk_team *t);
void ngk_team_step(ngk_team *t, double *w, double *s, double *s2, long k, double m, double head, double lr,
                   double dnum, long target, ngk_step_result *r);

/* glibc: allocations of at least `bytes` get their own mapping, returned to the system when
 * freed (a fixed threshold: glibc otherwise raises it after each such free). Returns 1 on
 * success, 0 where there is nothing to set. */
int ngk_fix_mmap_threshold(long bytes);

/* SHA-256 (FIPS 180-4): runs the compression function over `count` 64-byte blocks at `p`,
 * updating the eight state words. Uses the x86 SHA extensions where the CPU has them, else
 * portable C (the same function; both exposed for tests, the SHA-NI one only where
 * ngk_cpu_has_sha()). */
void ngk_sha256_blocks(uint32_t state[8], const unsigned char *p, long count);
int ngk_uses_sha_ni(void);
int ngk_cpu_has_sha(void);
void ngk_sha256_blocks_portable(uint32_t state[8], const unsigned char *p, long count);
void ngk_sha256_blocks_shani(uint32_t state[8], const unsigned char *p, long count);

#ifdef __cplusplus
}
#endif

#endif
